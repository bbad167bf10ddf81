package org.medvision.api.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Sampler;
import org.medvision.api.graph.Graph;

class TrainingSpecTest {
  private static final Graph GRAPH = TrainingGraphNamesTest.twoTerms();
  private static final Map<String, String> TARGETS = Map.of("labels", "label", "target", "mask");

  private static Map<String, Double> weights(double ce, double mse) {
    Map<String, Double> w = new LinkedHashMap<>();
    w.put("ce", ce);
    w.put("mse", mse);
    return w;
  }

  @Test
  void aPlanWithFixedWeightsDefaultsToTheUniformSamplerAndNoGroups() {
    TrainingSpec s = TrainingSpec.of(GRAPH, TARGETS, weights(1, 0.5));
    assertSame(Sampler.UNIFORM, s.sampler());
    assertEquals(List.of(), s.groups());
    assertNull(s.preparer());
    assertEquals(List.of("ce", "mse"), s.balancer().terms());
    assertEquals(weights(1, 0.5), s.balancer().weights(0));
    assertEquals(weights(1, 0.5), s.balancer().weights(10_000));
    assertNull(s.balancer().gradientNormParameters());
    TrainingSpec more = s.withGroups(List.of(ParamGroup.frozen("head\\.bias"))).withNotes(List.of("a"))
        .withNotes(List.of("b"));
    assertEquals(List.of("a", "b"), more.notes());
    assertEquals(1, more.groups().size());
    assertSame(s.graph(), more.graph());
  }

  @Test
  void everyTargetMustBeAGraphInput() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> TrainingSpec.of(GRAPH, Map.of("labels", "label", "weights", "w"), weights(1, 1)));
    assertEquals("training target 'weights' is not an input of graph 'm-train'; inputs: [x, labels, target, "
        + "loss_weight.ce, loss_weight.mse]", e.getMessage());
  }

  @Test
  void everyLossTermNeedsAWeight() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> TrainingSpec.of(GRAPH, TARGETS, Map.of("ce", 1.0)));
    assertEquals("loss term 'mse' of graph 'm-train' has no weight; the balancer weighs [ce]", e.getMessage());
  }

  @Test
  void theGraphMustHaveALossOutput() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> TrainingSpec.of(TrainingGraphNamesTest.model(), Map.of(), Map.of()));
    assertEquals("training graph 'm' has no 'loss' output", e.getMessage());
  }
}
