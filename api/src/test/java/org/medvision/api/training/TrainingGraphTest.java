package org.medvision.api.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/** Training graphs with named loss terms, their model part, and the parameters per-term gradient norms measure. */
class TrainingGraphTest {
  /** x → shared → (seg, cls); a fixed scale on cls that only the model reads. */
  private static Graph model() {
    GraphBuilder g = new GraphBuilder("two-heads");
    Value x = g.input("x", DType.FLOAT32, Shape.of(-1, 4));
    Value h = g.apply(Op.MATMUL, x, g.parameter("shared.weight", Shape.of(4, 4), ParamRole.WEIGHT,
        Initializers.kaimingUniform()));
    g.output("seg", g.apply(Op.MATMUL, h, g.parameter("seg.weight", Shape.of(4, 2), ParamRole.WEIGHT,
        Initializers.kaimingUniform())));
    g.output("cls", g.apply(Op.MUL, g.scalar(0.5f), g.apply(Op.MATMUL, h, g.parameter("cls.weight", Shape.of(4, 3),
        ParamRole.WEIGHT, Initializers.kaimingUniform()))));
    return g.build();
  }

  private static Graph training() {
    TrainingGraph.Builder t = TrainingGraph.builder(model());
    GraphBuilder g = t.graph();
    Value mask = t.target("mask", DType.FLOAT32, Shape.of(-1, 2));
    Value labels = t.target("labels", DType.INT64, Shape.of(-1));
    t.loss("seg", g.apply(Op.MSE_LOSS, g.value("seg"), mask));
    t.loss("ce", g.apply(Op.CROSS_ENTROPY, g.value("cls"), labels));
    return t.build();
  }

  @Test
  void theModelPartDropsEveryLossOutputAndEveryInputOnlyLossesRead() {
    Graph training = training();
    assertEquals(List.of("loss", "loss.seg", "loss.ce", "seg", "cls"),
        training.outputs().stream().map(ValueInfo::name).toList());
    assertEquals(List.of("seg", "ce"), TrainingGraph.lossTerms(training));
    Graph model = TrainingGraph.inferenceGraph(training);
    assertEquals(List.of("seg", "cls"), model.outputs().stream().map(ValueInfo::name).toList());
    assertEquals(List.of("x"), model.inputs().stream().map(ValueInfo::name).toList());
    assertEquals(List.of("shared.weight", "seg.weight", "cls.weight"),
        model.parameters().stream().map(ParameterSpec::name).toList());
    assertTrue(model.nodes().stream().noneMatch(n -> n.op().isLoss()), model.nodes().toString());
    model.validate();
    assertEquals(Set.of("mask", "labels", "loss_weight.seg", "loss_weight.ce"),
        TrainingGraph.lossOnlyInputs(training));
  }

  @Test
  void lossGradientNormTargetsAreTheTrainedParametersThePatternMatches() {
    Graph training = training();
    TrainingOptions options = TrainingOptions.cpu(1).withLossGradientNorms("(shared|cls)\\.weight");
    assertEquals(List.of("shared.weight", "cls.weight"), options.lossGradientNormTargets(training,
        OptimizerSpec.adamW(0)).stream().map(ParameterSpec::name).toList());
    OptimizerSpec frozenShared = OptimizerSpec.adamW(0).withGroups(List.of(ParamGroup.frozen("shared\\..*")));
    assertEquals(List.of("cls.weight"), options.lossGradientNormTargets(training, frozenShared).stream()
        .map(ParameterSpec::name).toList());
    assertEquals(List.of(), TrainingOptions.cpu(1).lossGradientNormTargets(training, OptimizerSpec.adamW(0)));
    MedvisionException none = assertThrows(MedvisionException.class, () -> TrainingOptions.cpu(1)
        .withLossGradientNorms("backbone\\..*").lossGradientNormTargets(training, OptimizerSpec.adamW(0)));
    assertTrue(none.getMessage().contains("'backbone\\..*' matches no trained"), none.getMessage());
    MedvisionException invalid = assertThrows(MedvisionException.class,
        () -> TrainingOptions.cpu(1).withLossGradientNorms("shared.("));
    assertTrue(invalid.getMessage().contains("not a valid regular expression"), invalid.getMessage());
  }
}
