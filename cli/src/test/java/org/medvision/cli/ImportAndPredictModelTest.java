package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.io.GraphFile;
import org.medvision.api.graph.io.GraphFiles;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.engine.onnx.OnnxExporter;
import org.medvision.io.image.ImagePreprocessor;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.TestData;

/**
 * {@code medvision import} and {@code predict --model}: an ONNX file our exporter wrote is imported, saved as a
 * .graph file and run on every engine from images and .npy files; each result is checked against the reference
 * interpreter run on independently prepared inputs.
 */
class ImportAndPredictModelTest {
  @TempDir
  Path dir;

  private final Graph graph = AllEnginesInOneJvmTest.smallGraph();
  private final Weights weights = RandomWeights.initialize(graph, 21);

  private Path onnx() {
    Path file = dir.resolve("small.onnx");
    OnnxExporter.export(graph, weights, file);
    return file;
  }

  /** A .npy float32 file of {@code t}, built from the format's description. */
  private Path npy(String name, Tensor t) throws IOException {
    StringBuilder shape = new StringBuilder();
    for (long d : t.shape().dims()) {
      shape.append(d).append(", ");
    }
    float[] v = t.toFloatArray();
    ByteBuffer data = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      data.putFloat(f);
    }
    Path file = dir.resolve(name);
    Files.write(file, NpyFilesTest.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }",
        data.array()));
    return file;
  }

  private static float[] logits(JsonObject json, String output, int sample, int classes) {
    JsonArray top = json.getAsJsonObject("outputs").getAsJsonObject(output).getAsJsonArray("topK").get(sample)
        .getAsJsonObject().getAsJsonArray("top");
    float[] out = new float[classes];
    java.util.Arrays.fill(out, Float.NaN);
    for (int i = 0; i < top.size(); i++) {
      JsonObject c = top.get(i).getAsJsonObject();
      out[c.get("class").getAsInt()] = c.get("logit").getAsFloat();
    }
    return out;
  }

  private static void assertClose(float[] expected, float[] actual, int row, String what) {
    int k = actual.length;
    for (int c = 0; c < k; c++) {
      assertEquals(expected[row * k + c], actual[c], 1e-4, what + " class " + c);
    }
  }

  @Test
  void importDescribesTheModelAndWritesAGraphFileEqualToTheExportedGraph() {
    Path out = dir.resolve("small.graph");
    Cli.Result r = Cli.run("import", onnx().toString(), "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains("input       image: float32[N, 3, 12, 12]"), r.out());
    assertTrue(r.out().contains("output      logits: float32[N, 4]"), r.out());
    assertTrue(r.out().contains("ops         9 nodes: conv x1, flatten x1, gelu x1, gemm x1, global_avg_pool x1, "
        + "identity x1, layer_norm x1, transpose x2"), r.out());
    assertTrue(r.out().contains("written     " + out), r.out());
    GraphFile back = GraphFiles.read(out);
    assertEquals(graph.nodes().stream().map(n -> n.op()).toList(), back.graph().nodes().stream().map(n -> n.op())
        .toList());
    assertEquals(graph.inputs(), back.graph().inputs());
    assertEquals(weights.tensors().keySet(), back.weights().tensors().keySet());
    weights.tensors().forEach((k, v) -> assertTrue(v.contentEquals(back.weights().tensors().get(k)), k));
  }

  @Test
  void importJsonCountsOpsAndParameters() {
    Cli.Result r = Cli.run("import", onnx().toString(), "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(2, json.getAsJsonObject("ops").get("transpose").getAsInt());
    assertEquals(graph.parameters().size(), json.getAsJsonArray("parameters").size());
    assertEquals(weights.elementCount(), json.get("parameterValues").getAsLong());
    assertTrue(json.get("written").isJsonNull());
  }

  @Test
  void importListsOperatorsOutsideTheIrInOneError() {
    Path cos = TestData.onnxNodeTests().resolve("test_cos/model.onnx");
    Cli.Result r = Cli.run("import", cos.toString(), "--out", dir.resolve("cos.graph").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("Cos"), r.err());
    assertTrue(!Files.exists(dir.resolve("cos.graph")));
  }

  @Test
  void importRefusesAFileThatIsNotOnnxAndNeedsOneFile() throws IOException {
    Path junk = Files.writeString(dir.resolve("junk.onnx"), "not a protobuf at all, just text");
    Cli.Result r = Cli.run("import", junk.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains(junk + " is not an ONNX model"), r.err());
    Cli.Result none = Cli.run("import", "--out", "x.graph");
    assertEquals(ExitCodes.USAGE_ERROR, none.code());
    assertTrue(none.err().contains("give exactly one ONNX model file"), none.err());
  }

  @ParameterizedTest
  @ValueSource(strings = {"onnx", "djl", "tensorflow"})
  void aGraphFileRunsOnEveryEngineFromNpyInputs(String engine) throws IOException {
    Path model = dir.resolve("small.graph");
    GraphFiles.write(graph, weights, model);
    Tensor batch = AllEnginesInOneJvmTest.random(Shape.of(2, 3, 12, 12), 8);
    Tensor single = AllEnginesInOneJvmTest.random(Shape.of(3, 12, 12), 9);
    Path batchFile = npy("batch.npy", batch);
    Path singleFile = npy("single.npy", single);
    Cli.Result r = Cli.run("predict", "--model", model.toString(), "--engine", engine, "--top", "4", "--json",
        batchFile.toString(), singleFile.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals(engine, json.getAsJsonObject("provenance").get("engine").getAsString());
    assertEquals(java.util.List.of(batchFile + "[0]", batchFile + "[1]", singleFile.toString()),
        java.util.List.of(json.getAsJsonArray("samples").get(0).getAsString(),
            json.getAsJsonArray("samples").get(1).getAsString(), json.getAsJsonArray("samples").get(2).getAsString()));
    float[] expectedBatch = ReferenceInterpreter.run(graph, weights, Map.of("image", batch)).get("logits")
        .toFloatArray();
    float[] expectedSingle = ReferenceInterpreter.run(graph, weights,
        Map.of("image", single.reshape(Shape.of(1, 3, 12, 12)))).get("logits").toFloatArray();
    assertClose(expectedBatch, logits(json, "logits", 0, 4), 0, "sample 0");
    assertClose(expectedBatch, logits(json, "logits", 1, 4), 1, "sample 1");
    assertClose(expectedSingle, logits(json, "logits", 2, 4), 0, "sample 2");
  }

  @Test
  void anOnnxModelRunsOnImagesPreprocessedToItsInput() throws IOException {
    Path png = Fixtures.png(dir, "a.png", 3);
    Cli.Result r = Cli.run("predict", "--model", onnx().toString(), "--engine", "tensorflow", "--mean",
        "0.5", "--std", "0.2,0.25,0.3", "--json", png.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    Tensor image = new ImagePreprocessor(new ImagePreprocessing(3, 12, 12, new float[] {0.5f, 0.5f, 0.5f},
        new float[] {0.2f, 0.25f, 0.3f})).load(png).reshape(Shape.of(1, 3, 12, 12));
    float[] expected = ReferenceInterpreter.run(graph, weights, Map.of("image", image)).get("logits").toFloatArray();
    assertClose(expected, logits(JsonParser.parseString(r.out()).getAsJsonObject(), "logits", 0, 4), 0, "png");
  }

  @Test
  void aNonClassifierOutputIsSummarised() throws IOException {
    GraphBuilder b = new GraphBuilder("features");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 2, 4, 4));
    Value w = b.parameter("conv.weight", Shape.of(3, 2, 1, 1), ParamRole.WEIGHT, Initializers.ones());
    b.output("y", b.apply(Op.CONV, x, w));
    Graph g = b.build();
    Path model = dir.resolve("features.graph");
    GraphFiles.write(g, RandomWeights.initialize(g, 1), model);
    float[] ones = new float[32];
    java.util.Arrays.fill(ones, 1f);
    Path input = npy("x.npy", Tensor.of(Shape.of(2, 4, 4), ones));
    Cli.Result r = Cli.run("predict", "--model", model.toString(), input.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    // A 1x1 convolution of all-ones weights over two all-ones channels gives 2 everywhere.
    assertTrue(r.out().contains("output 'y' float32[1, 3, 4, 4]: min 2.00000, max 2.00000, mean 2.00000"),
        r.out());
  }

  @Test
  void badModelInputsAreClearErrors() throws IOException {
    Path model = dir.resolve("small.graph");
    GraphFiles.write(graph, weights, model);
    Path wrong = npy("wrong.npy", AllEnginesInOneJvmTest.random(Shape.of(3, 10, 10), 1));
    Cli.Result shape = Cli.run("predict", "--model", model.toString(), wrong.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, shape.code(), shape.toString());
    assertTrue(shape.err().contains(wrong + " has shape [3, 10, 10], which fits neither input 'image' "
        + "[N, 3, 12, 12] nor one sample of it [3, 12, 12]"), shape.err());
    Cli.Result task = Cli.run("predict", "--model", model.toString(), "--task", "strokenext", wrong.toString());
    assertEquals(ExitCodes.USAGE_ERROR, task.code());
    assertTrue(task.err().contains("--task belongs to trained task models; --model small.graph carries its own "
        + "graph and weights"), task.err());
    Path text = Files.writeString(dir.resolve("model.txt"), "x");
    Cli.Result ext = Cli.run("predict", "--model", text.toString(), wrong.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, ext.code());
    assertTrue(ext.err().contains("model file " + text + " records no task"), ext.err());
    Cli.Result std = Cli.run("predict", "--model", model.toString(), "--std", "0", wrong.toString());
    assertEquals(ExitCodes.USAGE_ERROR, std.code());
    Cli.Result channels = Cli.run("predict", "--model", model.toString(), "--mean", "0.1,0.2",
        Fixtures.png(dir, "b.png", 1).toString());
    assertEquals(ExitCodes.USAGE_ERROR, channels.code());
    assertTrue(channels.err().contains("--mean has 2 values but the model's images have 3 channels"),
        channels.err());
  }
}
