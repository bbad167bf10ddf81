package org.medvision.tasks.common;

import java.util.List;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Fusion;

/**
 * Concatenation of the feature vectors: k inputs [N, d] give [N, k·d]. No parameters. StrokeNeXt's RQ3 ablation
 * compares its Conv1d fusion against this.
 */
public final class ConcatFusion implements Fusion {
  /** Creates the fusion; the service loader needs this public no-argument constructor. */
  public ConcatFusion() {}

  /** {@code concat}. */
  @Override
  public String name() {
    return "concat";
  }

  @Override
  public String description() {
    return "concatenate the feature vectors (no parameters)";
  }

  /** {@code featureDim · count}. */
  @Override
  public int outputDim(int featureDim, int count) {
    return Math.multiplyExact(featureDim, count);
  }

  /**
   * Emits the concatenation along axis 1.
   *
   * @throws org.medvision.api.MedvisionException unless the inputs are one or more [N, d] of one d
   */
  @Override
  public Value fuse(GraphBuilder builder, List<Value> features) {
    FusionInputs.featureDim(name(), features, 1);
    return builder.apply(Op.CONCAT, Attributes.builder().set("axis", 1L).build(), features.toArray(new Value[0]));
  }
}
