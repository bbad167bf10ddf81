package org.medvision.engine.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;

/** Exported files are ordinary ONNX models: readable by protobuf, loadable by a fresh ORT session from the path. */
class OnnxExporterTest {
  private static Graph graph;
  private static Weights weights;
  private static Tensor x;
  private static float[] expected;

  @TempDir
  Path dir;

  @BeforeAll
  static void reference() {
    graph = TestModels.convClassifier();
    weights = EngineTestModels.randomWeights(graph, 11);
    x = EngineTestModels.uniform(Shape.of(2, 2, 5, 5), new SplittableRandom(5));
    try (OnnxEngine engine = OnnxEngine.load(OnnxModelWriter.EXTERNAL_DATA_THRESHOLD);
        CompiledModel m = engine.compile(graph, weights, CompileOptions.defaults())) {
      expected = m.run(Map.of("x", x)).get("probs").toFloatArray();
    }
  }

  /** Runs the model at {@code path} in a session of its own, feeding {@link #x} directly through ORT's API. */
  private static float[] runFromPath(Path path) throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession s = env.createSession(path.toString(), so);
        OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x.toFloatArray()), x.shape().dims());
        OrtSession.Result r = s.run(Map.of("x", in))) {
      assertEquals(List.of("x"), List.copyOf(s.getInputNames()));
      assertEquals("demo", s.getMetadata().getCustomMetadata().get("task"));
      OnnxTensor out = (OnnxTensor) r.get("probs").orElseThrow();
      assertArrayEquals(new long[] {2, 3}, out.getInfo().getShape());
      FloatBuffer fb = out.getFloatBuffer();
      float[] v = new float[fb.remaining()];
      fb.get(v);
      return v;
    }
  }

  private List<String> listing() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void exportWritesAStandardModelThatLoadsFromItsPath() throws Exception {
    Path out = dir.resolve("classifier.onnx");
    OnnxExporter.export(graph, weights, out);
    assertEquals(List.of("classifier.onnx"), listing(), "no temporary or data files left");
    OnnxMl.ModelProto m;
    try (InputStream in = Files.newInputStream(out)) {
      m = OnnxMl.ModelProto.parseFrom(in);
    }
    assertEquals(9L, m.getIrVersion());
    assertEquals(20L, m.getOpsetImport(0).getVersion());
    assertEquals("N", m.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
    assertEquals(4, m.getGraph().getInitializerCount());
    for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
      long n = t.getDimsList().stream().reduce(1L, (a, b) -> a * b);
      assertEquals(4 * n, t.getRawData().size(), t.getName());
      assertEquals(OnnxMl.TensorProto.DataLocation.DEFAULT, t.getDataLocation());
    }
    assertArrayEquals(OnnxExporter.toBytes(graph, weights), Files.readAllBytes(out));
    assertArrayEquals(expected, runFromPath(out), 1e-6f);
  }

  @Test
  void reExportReplacesTheFile() throws Exception {
    Path out = dir.resolve("m.onnx");
    OnnxExporter.export(graph, EngineTestModels.randomWeights(graph, 99), out);
    OnnxExporter.export(graph, weights, out);
    assertArrayEquals(expected, runFromPath(out), 1e-6f);
    assertEquals(List.of("m.onnx"), listing());
  }

  @Test
  void largeModelsKeepTheirParametersInAnExternalDataFile() throws Exception {
    Path out = dir.resolve("big.onnx");
    assertTrue(OnnxExporter.export(graph, weights, out, 0), "threshold 0 forces external data");
    assertEquals(List.of("big.onnx", "big.onnx.data"), listing());
    OnnxMl.ModelProto m;
    try (InputStream in = Files.newInputStream(out)) {
      m = OnnxMl.ModelProto.parseFrom(in);
    }
    long offset = 0;
    for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
      assertEquals(OnnxMl.TensorProto.DataLocation.EXTERNAL, t.getDataLocation(), t.getName());
      assertTrue(t.getRawData().isEmpty());
      Map<String, String> ext = t.getExternalDataList().stream().collect(
          Collectors.toMap(OnnxMl.StringStringEntryProto::getKey, OnnxMl.StringStringEntryProto::getValue));
      assertEquals("big.onnx.data", ext.get("location"));
      assertEquals(offset, Long.parseLong(ext.get("offset")), t.getName());
      long length = Long.parseLong(ext.get("length"));
      assertEquals(weights.find(t.getName()).orElseThrow().byteSize(), length);
      offset += length;
    }
    assertEquals(offset, Files.size(dir.resolve("big.onnx.data")));
    assertArrayEquals(expected, runFromPath(out), 1e-6f);
  }

  @Test
  void engineLoadsOversizedModelsThroughATemporaryDirectoryAndRemovesIt() throws Exception {
    Path tmp = Paths.get(System.getProperty("java.io.tmpdir"));
    List<Path> before = tempModelDirs(tmp);
    try (OnnxEngine engine = OnnxEngine.load(0); CompiledModel m = engine.compile(graph, weights,
        CompileOptions.defaults())) {
      assertArrayEquals(expected, m.run(Map.of("x", x)).get("probs").toFloatArray(), 1e-6f);
    }
    assertEquals(before, tempModelDirs(tmp));
  }

  private static List<Path> tempModelDirs(Path tmp) throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.filter(p -> p.getFileName().toString().startsWith("medvision-onnx-")).sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void inMemoryBytesRefuseModelsOverTheLimit() {
    EngineException e = assertThrows(EngineException.class,
        () -> OnnxModelWriter.toBytes(graph, weights.fitTo(graph), 100));
    assertTrue(e.getMessage().contains("conv-classifier") && e.getMessage().contains("OnnxExporter.export"),
        e.getMessage());
  }

  @Test
  void failedExportNamesThePathAndLeavesNoTemporaryFiles() throws Exception {
    Path occupied = dir.resolve("taken.onnx");
    Files.createDirectories(occupied);
    Files.writeString(occupied.resolve("keep.txt"), "not empty");
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> OnnxExporter.export(graph, weights, occupied));
    assertTrue(e.getMessage().contains(occupied.toString()), e.getMessage());
    assertEquals(List.of("taken.onnx"), listing());
    assertThrows(MedvisionException.class, () -> OnnxExporter.export(graph, weights, occupied, 0));
    assertEquals(List.of("taken.onnx"), listing(), "external data temp file removed too");
    assertFalse(Files.exists(dir.resolve("taken.onnx.data")));
    // A failure while the temporary files are open (here: weights that were never fitted) removes them as well.
    Path out = dir.resolve("half.onnx");
    assertThrows(IllegalArgumentException.class,
        () -> OnnxModelWriter.write(graph, Weights.of(Map.of(), "empty"), out, 0));
    assertEquals(List.of("taken.onnx"), listing());
  }

  @Test
  void onnxCheckerAcceptsTheExportWhenPythonOnnxIsInstalled() throws Exception {
    Assumptions.assumeTrue(pythonOnnxAvailable(), "python3 with the onnx package is not installed here");
    Path out = dir.resolve("checked.onnx");
    OnnxExporter.export(graph, weights, out);
    Process p = new ProcessBuilder("python3", "-c",
        "import sys, onnx; onnx.checker.check_model(onnx.load(sys.argv[1]), full_check=True); print('ok')",
        out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
  }

  private static boolean pythonOnnxAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import onnx").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
