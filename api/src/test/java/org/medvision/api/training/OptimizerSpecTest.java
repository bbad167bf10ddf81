package org.medvision.api.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Initializer;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

class OptimizerSpecTest {
  private static ParameterSpec param(String name, ParamRole role) {
    Initializer init = role == ParamRole.WEIGHT ? Initializers.kaimingUniform() : Initializers.zeros();
    return new ParameterSpec(name, DType.FLOAT32, Shape.of(4), role, init);
  }

  /** A backbone weight and norm with running statistics, and a head weight and bias, all applied to x. */
  private static Graph graph() {
    GraphBuilder b = new GraphBuilder("net");
    Value x = b.input("x", DType.FLOAT32, Shape.of(4));
    for (String[] p : new String[][] {{"backbone.conv.weight", "WEIGHT"}, {"backbone.norm.weight", "NORM_SCALE"},
        {"backbone.norm.running_mean", "RUNNING_MEAN"}, {"head.weight", "WEIGHT"}, {"head.bias", "BIAS"}}) {
      ParamRole role = ParamRole.valueOf(p[1]);
      x = b.apply(Op.ADD, x, b.parameter(p[0], Shape.of(4), role, role == ParamRole.WEIGHT
          ? Initializers.kaimingUniform() : Initializers.zeros()));
    }
    b.output("y", x);
    return b.build();
  }

  @Test
  void withoutGroupsEveryParameterTrainsAndOnlyWeightsDecay() {
    OptimizerSpec adam = OptimizerSpec.adamW(0.05);
    assertEquals(new ParamSettings(false, 1, 0.05), adam.settingsFor(param("a.weight", ParamRole.WEIGHT)));
    assertEquals(new ParamSettings(false, 1, 0), adam.settingsFor(param("a.bias", ParamRole.BIAS)));
    assertEquals(new ParamSettings(false, 1, 0), adam.settingsFor(param("a.gamma", ParamRole.LAYER_SCALE)));
  }

  @Test
  void theFirstMatchingGroupWins() {
    OptimizerSpec sgd = OptimizerSpec.sgd(0.9, 1e-4, false).withGroups(List.of(
        ParamGroup.frozen("backbone\\.stem\\..*"),
        new ParamGroup("backbone\\..*", 0.1, 0.5, false),
        ParamGroup.scaled(".*\\.weight", 2)));
    // Frozen before the broader backbone group.
    assertTrue(sgd.settingsFor(param("backbone.stem.weight", ParamRole.WEIGHT)).frozen());
    // Backbone: a tenth of the rate and its own decay, but only for decayed roles.
    assertEquals(new ParamSettings(false, 0.1, 0.5), sgd.settingsFor(param("backbone.conv.weight",
        ParamRole.WEIGHT)));
    assertEquals(new ParamSettings(false, 0.1, 0), sgd.settingsFor(param("backbone.conv.bias", ParamRole.BIAS)));
    // The third group keeps the optimiser's decay (NaN).
    assertEquals(new ParamSettings(false, 2, 1e-4), sgd.settingsFor(param("head.weight", ParamRole.WEIGHT)));
    // No group matches: the plain rules.
    assertEquals(new ParamSettings(false, 1, 0), sgd.settingsFor(param("head.bias", ParamRole.BIAS)));
    // Patterns match whole names, not parts.
    assertFalse(new ParamGroup("conv", 1, Double.NaN, false).matches("backbone.conv.weight"));
  }

  @Test
  void checkGroupsNamesAGroupThatMatchesNothingTrainable() {
    OptimizerSpec typo = OptimizerSpec.adamW(0).withGroups(List.of(ParamGroup.frozen("backbon\\..*")));
    MedvisionException e = assertThrows(MedvisionException.class, () -> typo.checkGroups(graph()));
    assertEquals("parameter group 'backbon\\..*' (frozen) matches no trainable parameter of graph 'net'; names look "
        + "like [backbone.conv.weight, backbone.norm.weight, head.weight]", e.getMessage());
    // Running statistics are not trainable, so a group of them alone is also a mistake.
    OptimizerSpec buffers = OptimizerSpec.adamW(0).withGroups(List.of(ParamGroup.scaled(".*running_mean", 2)));
    assertThrows(MedvisionException.class, () -> buffers.checkGroups(graph()));
    OptimizerSpec.adamW(0).withGroups(List.of(ParamGroup.frozen("backbone\\..*"))).checkGroups(graph());
  }

  @Test
  void checkGroupsRefusesToFreezeEverything() {
    OptimizerSpec all = OptimizerSpec.adamW(0).withGroups(List.of(ParamGroup.frozen("backbone\\..*"),
        ParamGroup.frozen("head\\..*")));
    MedvisionException e = assertThrows(MedvisionException.class, () -> all.checkGroups(graph()));
    assertTrue(e.getMessage().startsWith("every trainable parameter of graph 'net' is frozen by "), e.getMessage());
  }

  @Test
  void settingsAreValidated() {
    assertThrows(MedvisionException.class, () -> new ParamGroup("backbone(", 1, Double.NaN, false));
    assertThrows(MedvisionException.class, () -> ParamGroup.scaled("x", 0));
    assertThrows(MedvisionException.class, () -> new ParamGroup("x", 1, -0.1, false));
    assertThrows(MedvisionException.class, () -> OptimizerSpec.sgd(1, 0, false));
    assertThrows(MedvisionException.class, () -> OptimizerSpec.sgd(0, 0, true));
    assertThrows(MedvisionException.class, () -> OptimizerSpec.adamW(-1));
    assertEquals("'head\\..*' (lr x0.5, weight decay 0.01)", new ParamGroup("head\\..*", 0.5, 0.01, false)
        .toString());
  }
}
