package org.medvision.tasks.strokenext;

import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingRecipe;
import org.medvision.api.training.TrainingSpec;

/**
 * StrokeNeXt's training: one loss term {@code ce}, the cross-entropy of {@code logits} against the class labels with
 * the configured label smoothing and, when asked, balanced class weights computed from the training split.
 */
final class StrokeNextRecipe implements TrainingRecipe {
  private final Graph model;
  private final StrokeNextConfig config;

  StrokeNextRecipe(Graph model, StrokeNextConfig config) {
    this.model = model;
    this.config = config;
  }

  @Override
  public TrainingSpec build(TrainingContext context) {
    float[] classWeights = config.balancedClassWeights() ? balanced(context.classCounts()) : null;
    TrainingGraph.Builder t = TrainingGraph.builder(model);
    GraphBuilder g = t.graph();
    Value logits = g.value("logits");
    Value labels = t.target(TrainingGraph.LABELS, DType.INT64, Shape.of(Shape.DYNAMIC));
    t.loss("ce", g.apply(Op.CROSS_ENTROPY, TrainingGraph.crossEntropyAttributes(logits.info(),
        config.labelSmoothing(), classWeights), logits, labels));
    TrainingSpec spec = TrainingSpec.of(t.build(), Map.of(TrainingGraph.LABELS, "label"), Map.of("ce", 1.0));
    return classWeights == null ? spec : spec.withNotes(List.of("class weights (balanced): "
        + java.util.Arrays.toString(classWeights)));
  }

  /** Class c weighs N / (C · n_c) (scikit-learn's "balanced"), so each class contributes equally. */
  private static float[] balanced(int[] counts) {
    long total = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] <= 0) {
        throw new MedvisionException("balanced class weights need training examples of every class, but class " + i
            + " has none");
      }
      total += counts[i];
    }
    float[] w = new float[counts.length];
    for (int i = 0; i < counts.length; i++) {
      w[i] = (float) ((double) total / ((double) counts.length * counts[i]));
    }
    return w;
  }
}
