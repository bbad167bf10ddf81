package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.Weights;

/** {@link ReferenceInterpreter#runTraining}: BatchNorm with batch statistics, and no random masks. */
class TrainingModeTest {
  private static Graph batchNorm() {
    GraphBuilder b = new GraphBuilder("bn");
    Value x = b.input("x", DType.FLOAT32, Shape.of(2, 1, 1, 2));
    b.output("y", b.apply(Op.BATCH_NORM, x, b.parameter("scale", Shape.of(1), ParamRole.NORM_SCALE,
        Initializers.ones()), b.parameter("bias", Shape.of(1), ParamRole.NORM_BIAS, Initializers.zeros()),
        b.parameter("mean", Shape.of(1), ParamRole.RUNNING_MEAN, Initializers.zeros()),
        b.parameter("var", Shape.of(1), ParamRole.RUNNING_VAR, Initializers.ones())));
    return b.build();
  }

  private static final Weights BN = Weights.of(Map.of("scale", Tensor.ofFloats(new float[] {2}, 1),
      "bias", Tensor.ofFloats(new float[] {1}, 1), "mean", Tensor.ofFloats(new float[] {0}, 1),
      "var", Tensor.ofFloats(new float[] {1}, 1)), "test");
  private static final Map<String, Tensor> X = Map.of("x", Tensor.ofFloats(new float[] {1, 3, 5, 7}, 2, 1, 1, 2));

  @Test
  void batchNormNormalisesWithTheBatchMeanAndBiasedVariance() {
    // One channel, values (1, 3, 5, 7): mean 4, biased variance (9 + 1 + 1 + 9) / 4 = 5.
    // y = 2·(x − 4)/√(5 + 1e-5) + 1 = (−1.68327889, 0.10557370, 1.89442630, 3.68327889)
    float[] y = ReferenceInterpreter.runTraining(batchNorm(), BN, X).get("y").toFloatArray();
    assertArrayEquals(new float[] {-1.68327889f, 0.10557370f, 1.89442630f, 3.68327889f}, y, 1e-6f);
  }

  @Test
  void inferenceStillUsesTheRunningStatistics() {
    // mean 0, var 1: y = 2·x/√(1 + 1e-5) + 1
    float[] y = ReferenceInterpreter.run(batchNorm(), BN, X).get("y").toFloatArray();
    double f = 2 / Math.sqrt(1 + 1e-5);
    assertArrayEquals(new float[] {(float) (f + 1), (float) (3 * f + 1), (float) (5 * f + 1), (float) (7 * f + 1)},
        y, 1e-6f);
  }

  private static Graph masked(Op op, float ratio) {
    GraphBuilder b = new GraphBuilder("masked");
    Value x = b.input("x", DType.FLOAT32, Shape.of(2, 3));
    b.output("y", b.apply(op, Attributes.builder().set("ratio", ratio).build(), x));
    return b.build();
  }

  @Test
  void dropoutAndDropPathNeedRatioZeroInTrainingMode() {
    Map<String, Tensor> in = Map.of("x", Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
    Weights none = Weights.of(Map.of(), "none");
    for (Op op : new Op[] {Op.DROPOUT, Op.DROP_PATH}) {
      assertArrayEquals(in.get("x").toFloatArray(),
          ReferenceInterpreter.runTraining(masked(op, 0f), none, in).get("y").toFloatArray());
      MedvisionException e = assertThrows(MedvisionException.class,
          () -> ReferenceInterpreter.runTraining(masked(op, 0.5f), none, in));
      assertTrue(e.getMessage().contains(op.irName()) && e.getMessage().contains("ratio 0.5"), e.getMessage());
    }
  }
}
