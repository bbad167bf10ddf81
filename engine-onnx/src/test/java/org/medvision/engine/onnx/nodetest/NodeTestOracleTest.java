package org.medvision.engine.onnx.nodetest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.Engine;
import org.medvision.engine.onnx.OnnxEngineProvider;
import org.medvision.testkit.fixtures.TestData;

/** The node-test oracle on the ONNX Runtime engine, over libonnx-testdata's real node tests. */
class NodeTestOracleTest {
  private static Engine engine;
  private static ConformanceReport report;
  private static NodeTestCases cases;

  @BeforeAll
  static void run() {
    Path folder = TestData.onnxNodeTests();
    engine = new OnnxEngineProvider().create();
    cases = NodeTestCases.discover(folder);
    report = NodeTestOracle.run(folder, engine);
    System.out.print(report.renderTable());
  }

  @AfterAll
  static void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void everySupportedCasePasses() {
    assertTrue(report.allSupportedPassed(), () -> report.renderTable());
  }

  @Test
  void everyDiscoveredCaseIsListedOnceWithAStatus() {
    List<String> listed = report.cases().stream().map(CaseResult::name).toList();
    assertEquals(cases.selected().stream().map(NodeTestCase::name).toList(), listed);
    int folders = TestData.onnxNodeTests().toFile().list((dir, name) -> new java.io.File(dir, name).isDirectory())
        .length;
    assertEquals(folders, report.cases().size() + report.excluded().size());
    // Every mirrored operator family of the package is present (the package has 932 cases; these are facts of it).
    Map<String, Long> perOp = report.cases().stream()
        .collect(Collectors.groupingBy(CaseResult::operator, Collectors.counting()));
    for (String op : List.of("Conv", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Relu", "Sigmoid", "Softmax",
        "LayerNormalization", "BatchNormalization", "AveragePool", "MaxPool", "GlobalAveragePool", "Reshape",
        "Transpose", "Concat", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Dropout", "Erf",
        "SoftmaxCrossEntropyLoss", "Constant", "Gather", "Slice", "ReduceSum", "ReduceMean", "Sqrt", "Abs", "Tanh",
        "Clip")) {
      assertTrue(perOp.getOrDefault(op, 0L) > 0, "no cases for " + op);
    }
    assertEquals(9, perOp.get("Flatten"));
    assertEquals(1, perOp.get("Constant"), "test_constant, a float Constant that becomes a CONSTANT node");
    assertEquals(11, perOp.get("Gemm"));
  }

  @Test
  void mostCasesRunAndPass() {
    // The IR mirrors these operators closely: far more cases pass than are unsupported.
    long passed = report.withStatus(CaseStatus.PASSED).size();
    assertTrue(passed >= 180, "only " + passed + " cases passed:\n" + report.renderTable());
  }

  @Test
  void unsupportedReasonsAreSpecific() {
    Map<String, CaseResult> byName = report.cases().stream()
        .collect(Collectors.toMap(CaseResult::name, r -> r));
    assertUnsupported(byName, "test_add_uint8", "uint8");
    assertUnsupported(byName, "test_reshape_allowzero_reordered", "allowzero");
    assertUnsupported(byName, "test_batchnorm_example_training_mode", "training_mode");
    assertUnsupported(byName, "test_training_dropout", "training_mode true");
    assertUnsupported(byName, "test_sce_sum", "reduction 'sum'");
    assertUnsupported(byName, "test_sce_mean_weight_ii", "ignore_index");
    assertUnsupported(byName, "test_dropout_default_old", "opset 11");
    assertUnsupported(byName, "test_unsqueeze_axis_3", "opset 11");
    // The engine itself lacks the loss; the reason names the engine and the op.
    assertUnsupported(byName, "test_sce_mean", "cross_entropy");
    assertUnsupported(byName, "test_identity_sequence", "sequence");
    assertUnsupported(byName, "test_slice_neg_steps", "positive steps only");
    assertUnsupported(byName, "test_slice_start_out_of_bounds", "must keep at least one element");
    assertUnsupported(byName, "test_reduce_sum_empty_axes_input_noop_example", "noop_with_empty_axes 1");
    for (CaseResult r : report.withStatus(CaseStatus.UNSUPPORTED)) {
      assertFalse(r.detail().isBlank(), r.name() + " has no reason");
    }
  }

  @Test
  void theConstantTestPasses() {
    CaseResult constant = report.cases().stream().filter(r -> r.name().equals("test_constant")).findFirst()
        .orElseThrow();
    assertEquals(CaseStatus.PASSED, constant.status(), constant.detail());
  }

  @Test
  void auxiliaryOutputsAreNamedWhenNotCompared() {
    CaseResult ln = report.cases().stream().filter(r -> r.name().equals("test_layer_normalization_2d_axis0"))
        .findFirst().orElseThrow();
    assertEquals(CaseStatus.PASSED, ln.status(), ln.detail());
    assertTrue(ln.detail().contains("not compared"), ln.detail());
  }

  @Test
  void tableHasARowPerOperatorAndTheTotals() {
    String table = report.renderTable();
    for (ConformanceReport.OpSummary s : report.summary()) {
      assertTrue(table.contains("\n" + s.operator() + " "), s.operator());
    }
    assertTrue(table.contains("\ntotal "));
    assertTrue(table.contains(report.excluded().size() + " other case folders not selected"));
  }

  private static void assertUnsupported(Map<String, CaseResult> byName, String name, String reasonPart) {
    CaseResult r = byName.get(name);
    if (r == null) {
      throw new AssertionError(name + " is not in the report");
    }
    assertEquals(CaseStatus.UNSUPPORTED, r.status(), name + ": " + r.detail());
    assertTrue(r.detail().contains(reasonPart), name + ": " + r.detail());
  }
}
