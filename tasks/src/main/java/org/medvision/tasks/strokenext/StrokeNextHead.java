package org.medvision.tasks.strokenext;

import org.medvision.api.MedvisionException;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Head;
import org.medvision.tasks.common.Activations;
import org.medvision.tasks.common.BatchNorm1d;
import org.medvision.tasks.common.Linear;

/**
 * StrokeNeXt's classifier: Linear(d, 256) → ReLU → BatchNorm1d(256) → Dropout(0.5) → Linear(256, classes), with the
 * authors' {@code nn.Sequential} indices as names under the caller's scope: {@code 0.weight/bias},
 * {@code 2.weight/bias/running_mean/running_var}, {@code 4.weight/bias} (the task emits it under {@code classifier}).
 * Hidden size 256 is hard-coded in the authors' code, and the paper's parameter counts confirm it. PyTorch default
 * initialisation.
 */
public final class StrokeNextHead implements Head {
  /** The hidden width of the authors' classifier. */
  public static final int HIDDEN = 256;
  /** The authors' {@code classifier_dropout}. */
  public static final float DROPOUT = 0.5f;

  /** Creates the head; the service loader needs this public no-argument constructor. */
  public StrokeNextHead() {}

  /** {@code strokenext-mlp}. */
  @Override
  public String name() {
    return "strokenext-mlp";
  }

  @Override
  public String description() {
    return "StrokeNeXt classifier: Linear(d,256), ReLU, BatchNorm1d, Dropout(0.5), Linear(256,classes)";
  }

  /**
   * Emits the classifier.
   *
   * @param features [N, d]
   * @param outputs number of classes, at least 1
   * @return [N, outputs] logits
   * @throws MedvisionException if {@code features} is not [N, d] with a known d or {@code outputs} is not positive
   */
  @Override
  public Value apply(GraphBuilder builder, Value features, int outputs) {
    if (features.shape().rank() != 2 || features.shape().dim(1) < 1) {
      throw new MedvisionException("head '" + name() + "' needs [N, d] features with a known d, got "
          + features.shape() + " from '" + features.name() + "'");
    }
    if (outputs < 1) {
      throw new MedvisionException("head '" + name() + "' needs at least one output, got " + outputs);
    }
    int d = Math.toIntExact(features.shape().dim(1));
    Value x = Linear.pytorchDefault(d, HIDDEN).apply(builder, "0", features);
    x = Activations.relu(builder, x);
    x = new BatchNorm1d(HIDDEN).apply(builder, "2", x);
    x = Activations.dropout(builder, x, DROPOUT);
    return Linear.pytorchDefault(HIDDEN, outputs).apply(builder, "4", x);
  }
}
