package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.engine.onnx.importer.OnnxTensorFiles;
import org.medvision.engine.onnx.nodetest.NodeTestCases;
import org.medvision.testkit.fixtures.TestData;

/** {@code medvision conformance} on ONNX's own node tests (libonnx-testdata, through TestData). */
class ConformanceCommandTest {
  @TempDir
  Path dir;

  @Test
  void allEnginesInOneTableForTheChosenOperators() {
    Path data = TestData.onnxNodeTests();
    Cli.Result r = Cli.run("conformance", "--engine", "all", "--data", data.toString(), "--ops", "Relu,Gemm",
        "--threads", "1");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    long gemmCases = NodeTestCases.discover(data).selected().stream().filter(c -> c.operator().equals("Gemm"))
        .count();
    String header = r.out().lines().filter(l -> l.startsWith("operator")).findFirst().orElseThrow();
    for (String engine : List.of("onnx", "djl", "tensorflow")) {
      assertTrue(header.contains(engine + " p/f/u") && header.contains(engine + " max err"), header);
    }
    String gemm = r.out().lines().filter(l -> l.startsWith("Gemm ")).findFirst().orElseThrow();
    assertTrue(gemm.matches("Gemm\\s+gemm\\s+" + gemmCases + "\\s+.*"), gemm);
    // Every engine passes every Gemm case (no failures), with its largest error printed.
    assertEquals(3, gemm.split(gemmCases + "/0/0", -1).length - 1, gemm);
    assertTrue(r.out().contains("--details lists the unsupported cases"), r.out());
  }

  @Test
  void aCaseWhoseExpectedOutputIsWrongFailsWithExitCodeOne() throws IOException {
    Path source = TestData.onnxNodeTests().resolve("test_relu");
    Path node = dir.resolve("node");
    Path copy = node.resolve("test_relu");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path target = copy.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    // The expected output, with its first value changed by 1: the engine's (correct) relu must now disagree.
    Path expected = copy.resolve("test_data_set_0/output_0.pb");
    TensorProto original = TensorProto.parseFrom(Files.readAllBytes(expected));
    float[] values = OnnxTensorFiles.read(expected).toFloatArray();
    values[0] += 1f;
    TensorProto.Builder changed = original.toBuilder().clearRawData().clearFloatData();
    for (float v : values) {
      changed.addFloatData(v);
    }
    Files.write(expected, changed.build().toByteArray());
    Cli.Result r = Cli.run("conformance", "--engine", "onnx", "--data", node.toString(), "--details");
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.out().contains("0 passed, 1 failed, 0 unsupported of 1 cases  <-- FAILURES"), r.out());
    assertTrue(r.out().contains("onnx, failed (1):"), r.out());
    assertTrue(r.out().contains("test_relu [Relu]: test_data_set_0: output 'y': 1 of "), r.out());

    Cli.Result json = Cli.run("conformance", "--engine", "onnx", "--data", node.toString(), "--json");
    assertEquals(ExitCodes.RUNTIME_ERROR, json.code());
    JsonObject engine = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("engines").get(0)
        .getAsJsonObject();
    assertEquals(1, engine.get("failed").getAsInt());
    JsonArray cases = engine.getAsJsonArray("cases");
    assertEquals("failed", cases.get(0).getAsJsonObject().get("status").getAsString());
    assertEquals(1.0, cases.get(0).getAsJsonObject().get("maxAbsError").getAsDouble(), 1e-6);
  }

  @Test
  void unsupportedCasesAreListedWithReasonsAndDoNotFail() {
    Cli.Result r = Cli.run("conformance", "--engine", "onnx", "--data", TestData.onnxNodeTests().toString(),
        "--ops", "Softmax", "--details");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains("case folders not selected ("), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.startsWith("  test_cos: operator Cos has no IR counterpart")),
        r.out());
  }

  @Test
  void aMissingDataFolderSaysHowToGetIt() {
    Cli.Result r = Cli.run("conformance", "--engine", "onnx", "--data", dir.resolve("absent").toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code());
    assertTrue(r.err().contains("is not a folder"), r.err());
    assumeFalse(Files.isDirectory(Path.of("/usr/share/libonnx-testdata/data/node")), "apt's copy is installed");
    MedvisionException e = assertThrows(MedvisionException.class, () -> NodeTestData.resolve(null,
        Map.of("MEDVISION_TESTDATA", dir.resolve("t").toString()), dir.resolve("home")));
    assertTrue(e.getMessage().contains(dir.resolve("t/deb/libonnx-testdata/usr/share/libonnx-testdata/data/node")
        .toString()), e.getMessage());
    assertTrue(e.getMessage().contains(".ci/testdata") && e.getMessage().contains("apt install libonnx-testdata"),
        e.getMessage());
  }

  @Test
  void theDefaultFolderComesFromTheTestDataRoot() throws IOException {
    Path node = Files.createDirectories(dir.resolve("t/deb/libonnx-testdata/usr/share/libonnx-testdata/data/node"));
    assertEquals(node, NodeTestData.resolve(null, Map.of("MEDVISION_TESTDATA", dir.resolve("t").toString()),
        dir.resolve("home")));
  }

  @Test
  void anUnknownOperatorIsAUsageError() {
    Cli.Result r = Cli.run("conformance", "--engine", "onnx", "--data", TestData.onnxNodeTests().toString(),
        "--ops", "Frobnicate");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertTrue(r.err().contains("no selected test case exercises 'Frobnicate'"), r.err());
  }
}
