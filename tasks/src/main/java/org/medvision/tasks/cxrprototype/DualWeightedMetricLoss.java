package org.medvision.tasks.cxrprototype;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/**
 * The dual-weighted metric loss, as papers.md §5.2 proposes it (the paper's formula was not retrieved):
 *
 * <pre>
 * L = (1/N) Σ_i α_i Σ_c β_c [ y_ic·(1 − s_ic) + (1 − y_ic)·max(0, s_ic − m) ]
 * </pre>
 *
 * <p>with s the image-prototype cosines, y the multi-hot truth and m the margin: a present label pulls the image
 * vector onto its prototype, an absent one pushes it below cosine m. Category weights β_c = (N / N_c⁺)^½ over the
 * training split, normalised to mean 1, weigh rare findings up (a label without positives counts as one). Image
 * weights α_i = 1 + (1 − mean_c |σ(z_ic) − y_ic|)⁻¹ clipped to [1, 3] weigh images the model currently gets wrong
 * up; they are computed from the logits z through a stop-gradient, so they steer the loss without being trained
 * themselves. Since the mean error lies in [0, 1], the clipped weight equals 1 + 1 / max(1 − error, ½), which is how
 * it is computed (no division by zero for an image that is entirely wrong).
 */
public final class DualWeightedMetricLoss {
  private DualWeightedMetricLoss() {}

  /**
   * Category weights β_c = (N / N_c⁺)^½ normalised to mean 1.
   *
   * @param positives N_c⁺ per label over the training split
   * @param examples N
   */
  public static float[] categoryWeights(int[] positives, int examples) {
    double[] raw = new double[positives.length];
    double sum = 0;
    for (int c = 0; c < raw.length; c++) {
      raw[c] = Math.sqrt((double) Math.max(1, examples) / Math.max(1, positives[c]));
      sum += raw[c];
    }
    float[] beta = new float[raw.length];
    for (int c = 0; c < raw.length; c++) {
      beta[c] = (float) (raw[c] * raw.length / sum);
    }
    return beta;
  }

  /**
   * Emits the loss, a scalar.
   *
   * @param similarity s [N, K]
   * @param logits z [N, K]
   * @param truth y [N, K] of 0 and 1
   * @param beta β [K]
   * @param margin m
   */
  public static Value apply(GraphBuilder b, Value similarity, Value logits, Value truth, float[] beta, float margin) {
    Value one = b.constant(Shape.scalar(), 1f);
    Value pull = b.apply(Op.MUL, truth, b.apply(Op.SUB, one, similarity));
    Value push = b.apply(Op.MUL, b.apply(Op.SUB, one, truth),
        b.apply(Op.RELU, b.apply(Op.SUB, similarity, b.constant(Shape.scalar(), margin))));
    Value perLabel = b.apply(Op.MUL, b.apply(Op.ADD, pull, push), b.constant(Shape.of(beta.length), beta));
    Value perImage = b.apply(Op.REDUCE_SUM, axis1(), perLabel);

    Value probabilities = b.apply(Op.SIGMOID, b.apply(Op.STOP_GRADIENT, logits));
    Value error = b.apply(Op.REDUCE_MEAN, axis1(), b.apply(Op.ABS, b.apply(Op.SUB, probabilities, truth)));
    Value confidence = b.apply(Op.CLIP, Attributes.builder().set("min", 0.5f).build(), b.apply(Op.SUB, one, error));
    Value alpha = b.apply(Op.ADD, one, b.apply(Op.DIV, one, confidence));
    return b.apply(Op.REDUCE_MEAN, Attributes.builder().set("keepdims", 0L).build(),
        b.apply(Op.MUL, alpha, perImage));
  }

  private static Attributes axis1() {
    return Attributes.builder().set("axes", new long[] {1}).set("keepdims", 0L).build();
  }
}
