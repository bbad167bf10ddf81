package org.medvision.tasks.common;

import java.util.List;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Fusion;

/**
 * Element-wise sum of the feature vectors: k inputs [N, d] give [N, d]. No parameters. StrokeNeXt's RQ3 ablation
 * compares its Conv1d fusion against this.
 */
public final class SumFusion implements Fusion {
  /** Creates the fusion; the service loader needs this public no-argument constructor. */
  public SumFusion() {}

  /** {@code sum}. */
  @Override
  public String name() {
    return "sum";
  }

  @Override
  public String description() {
    return "sum the feature vectors element-wise (no parameters)";
  }

  /** {@code featureDim}, whatever the count. */
  @Override
  public int outputDim(int featureDim, int count) {
    return featureDim;
  }

  /**
   * Emits a chain of additions (a single input passes through as an identity).
   *
   * @throws org.medvision.api.MedvisionException unless the inputs are one or more [N, d] of one d
   */
  @Override
  public Value fuse(GraphBuilder builder, List<Value> features) {
    FusionInputs.featureDim(name(), features, 1);
    Value sum = features.get(0);
    if (features.size() == 1) {
      return builder.apply(Op.IDENTITY, sum);
    }
    for (int i = 1; i < features.size(); i++) {
      sum = builder.apply(Op.ADD, sum, features.get(i));
    }
    return sum;
  }
}
