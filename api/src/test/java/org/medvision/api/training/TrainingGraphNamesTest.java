package org.medvision.api.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/** The structure {@link TrainingGraph} gives training graphs; testkit evaluates their losses. */
class TrainingGraphNamesTest {
  /** x [N, 3] → linear → logits [N, 2]. */
  static Graph model() {
    GraphBuilder b = new GraphBuilder("m");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 3));
    Value w = b.parameter("head.weight", Shape.of(2, 3), ParamRole.WEIGHT, Initializers.kaimingUniform());
    Value bias = b.parameter("head.bias", Shape.of(2), ParamRole.BIAS, Initializers.zeros());
    b.output("logits", b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, w, bias));
    return b.build();
  }

  /** Cross-entropy against int64 labels and mean squared error against float targets, in that order. */
  static Graph twoTerms() {
    TrainingGraph.Builder t = TrainingGraph.builder(model());
    GraphBuilder g = t.graph();
    Value logits = g.value("logits");
    Value labels = t.target("labels", DType.INT64, Shape.of(-1));
    Value target = t.target("target", DType.FLOAT32, Shape.of(-1, 2));
    t.loss("ce", g.apply(Op.CROSS_ENTROPY, logits, labels));
    t.loss("mse", g.apply(Op.MSE_LOSS, logits, target));
    return t.build();
  }

  private static List<String> names(List<ValueInfo> values) {
    return values.stream().map(ValueInfo::name).toList();
  }

  @Test
  void namedTermsGiveLossThenTermsThenModelOutputsAndAWeightInputPerTerm() {
    Graph g = twoTerms();
    assertEquals("m-train", g.name());
    assertEquals(List.of("loss", "loss.ce", "loss.mse", "logits"), names(g.outputs()));
    assertEquals(List.of("x", "labels", "target", "loss_weight.ce", "loss_weight.mse"), names(g.inputs()));
    for (ValueInfo v : g.outputs().subList(0, 3)) {
      assertEquals(DType.FLOAT32, v.dtype(), v.name());
      assertEquals(Shape.scalar(), v.shape(), v.name());
    }
    for (ValueInfo v : g.inputs().subList(3, 5)) {
      assertEquals(DType.FLOAT32, v.dtype(), v.name());
      assertEquals(Shape.scalar(), v.shape(), v.name());
    }
    assertEquals(Shape.of(-1, 2), g.outputs().get(3).shape());
    assertEquals(List.of("ce", "mse"), TrainingGraph.lossTerms(g));
    assertEquals(List.of("head.weight", "head.bias"), g.parameters().stream().map(p -> p.name()).toList());
  }

  @Test
  void lossAndWeightNamesAreRecognised() {
    assertTrue(TrainingGraph.isLossOutput("loss"));
    assertTrue(TrainingGraph.isLossOutput("loss.ce"));
    assertFalse(TrainingGraph.isLossOutput("logits"));
    assertFalse(TrainingGraph.isLossOutput("losses"));
    assertTrue(TrainingGraph.isLossWeight("loss_weight.ce"));
    assertFalse(TrainingGraph.isLossWeight("loss.ce"));
  }

  @Test
  void termNamesAndValuesAreChecked() {
    TrainingGraph.Builder t = TrainingGraph.builder(model());
    GraphBuilder g = t.graph();
    Value labels = t.target("labels", DType.INT64, Shape.of(-1));
    Value ce = g.apply(Op.CROSS_ENTROPY, g.value("logits"), labels);
    assertEquals("loss term name 'Cross' must be lower-case letters, digits and _",
        assertThrows(MedvisionException.class, () -> t.loss("Cross", ce)).getMessage());
    assertEquals("loss term 'logits' must be a scalar, but 'logits' is [N, 2]",
        assertThrows(MedvisionException.class, () -> t.loss("logits", g.value("logits"))).getMessage());
    t.loss("ce", ce);
    assertEquals("loss term 'ce' is declared twice",
        assertThrows(MedvisionException.class, () -> t.loss("ce", ce)).getMessage());
    assertEquals("target 'loss_weight.ce' uses a name reserved for losses", assertThrows(MedvisionException.class,
        () -> t.target("loss_weight.ce", DType.FLOAT32, Shape.scalar())).getMessage());
    assertThrows(MedvisionException.class, () -> t.target("loss", DType.FLOAT32, Shape.scalar()));
    assertEquals("training graph of 'm' declares no loss term",
        assertThrows(MedvisionException.class, () -> TrainingGraph.builder(model()).build()).getMessage());
  }

  @Test
  void classificationAddsLabelsAndAPlainLoss() {
    Graph g = TrainingGraph.classification(model(), "logits", 0.1f, new float[] {1, 2});
    assertEquals(List.of("loss", "logits"), names(g.outputs()));
    assertEquals(List.of("x", TrainingGraph.LABELS), names(g.inputs()));
    assertEquals(DType.INT64, g.inputs().get(1).dtype());
    assertTrue(TrainingGraph.lossTerms(g).isEmpty());
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> TrainingGraph.classification(model(), "scores", 0, null));
    assertEquals("graph 'm' has no output 'scores'; outputs: [logits]", e.getMessage());
    e = assertThrows(MedvisionException.class, () -> TrainingGraph.classification(model(), "logits", 1, null));
    assertEquals("label smoothing must be in [0, 1), got 1.0", e.getMessage());
  }
}
