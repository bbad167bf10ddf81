package org.medvision.tasks.cxrprototype;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

/** The loss on cases worked out by hand (in the comments), through the reference interpreter. */
class DualWeightedMetricLossTest {
  private static final float LN3 = (float) Math.log(3);

  /**
   * s = [[0.9, 0.5], [0.1, −0.2]], y = [[1, 0], [0, 1]], β = [1.5, 0.5], m = 0.2.
   * Row 0: 1.5·(1 − 0.9) + 0.5·max(0, 0.5 − 0.2) = 0.15 + 0.15 = 0.30. Row 1: 1.5·max(0, 0.1 − 0.2) + 0.5·(1 + 0.2)
   * = 0 + 0.6 = 0.60. With z = 0 every σ is ½, every error ½, so α = 1 + 1/(1 − ½) = 3 for both rows:
   * L = (3·0.30 + 3·0.60) / 2 = 1.35.
   */
  @Test
  void allLogitsZeroGiveTheLargestImageWeight() {
    assertEquals(1.35, loss(new float[] {0, 0, 0, 0}), 1e-6);
  }

  /**
   * Row 0 with z = [ln 3, −ln 3]: σ = [¾, ¼] against y = [1, 0], errors ¼ and ¼, α = 1 + 1/¾ = 7/3; row 1 keeps
   * α = 3. L = (7/3·0.30 + 3·0.60) / 2 = (0.7 + 1.8) / 2 = 1.25.
   */
  @Test
  void aBetterPredictedImageWeighsLess() {
    assertEquals(1.25, loss(new float[] {LN3, -LN3, 0, 0}), 1e-6);
  }

  /**
   * Row 0 with z = [−ln 3, ln 3], entirely wrong: errors ¾, 1 − ¾ = ¼ < ½, so α is clipped to 3 (unclipped it would
   * be 5); L stays 1.35.
   */
  @Test
  void theImageWeightIsClippedAtThree() {
    assertEquals(1.35, loss(new float[] {-LN3, LN3, 0, 0}), 1e-6);
  }

  /** N = 10 images with positives [10, 1, 0] (none counts as one): raw (10/10)^½ = 1, 10^½, 10^½, mean 1 after. */
  @Test
  void categoryWeightsFavourRareLabelsAndAverageOne() {
    float[] beta = DualWeightedMetricLoss.categoryWeights(new int[] {10, 1, 0}, 10);
    double r = Math.sqrt(10);
    double sum = 1 + 2 * r;
    assertArrayEquals(new float[] {(float) (3 / sum), (float) (3 * r / sum), (float) (3 * r / sum)}, beta, 1e-6f);
  }

  private static double loss(float[] logits) {
    GraphBuilder b = new GraphBuilder("metric-loss");
    var s = b.input("s", DType.FLOAT32, Shape.of(2, 2));
    var z = b.input("z", DType.FLOAT32, Shape.of(2, 2));
    var y = b.input("y", DType.FLOAT32, Shape.of(2, 2));
    b.output("loss", DualWeightedMetricLoss.apply(b, s, z, y, new float[] {1.5f, 0.5f}, 0.2f));
    Graph g = b.build();
    Map<String, Tensor> out = ReferenceInterpreter.run(g, Weights.of(Map.of(), "none"), Map.of(
        "s", Tensor.of(Shape.of(2, 2), 0.9f, 0.5f, 0.1f, -0.2f),
        "z", Tensor.of(Shape.of(2, 2), logits),
        "y", Tensor.of(Shape.of(2, 2), 1, 0, 0, 1)));
    return out.get("loss").toFloatArray()[0];
  }
}
