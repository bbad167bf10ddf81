package org.medvision.train.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.medvision.api.MedvisionException;
import org.medvision.api.metrics.Bootstrap;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.runtime.Scoring;

/**
 * The scored predictions of one model on one data-set split.
 *
 * @param classes class names in probability-column order
 * @param predictions one per image, in data-set order
 * @param metrics every classification metric of the predictions
 * @param intervals bootstrap confidence interval of every {@link SummaryMetric}, keyed by {@link SummaryMetric#key()}
 *     in enum order
 */
public record Evaluation(List<String> classes, List<ImagePrediction> predictions, ClassificationMetrics metrics,
    Map<String, ConfidenceInterval> intervals) {
  /** Bootstrap resamples behind each reported interval. */
  public static final int BOOTSTRAP_RESAMPLES = 1000;
  /** Coverage of the reported intervals. */
  public static final double CONFIDENCE_LEVEL = 0.95;

  /** Copies the collections. */
  public Evaluation {
    classes = List.copyOf(classes);
    predictions = List.copyOf(predictions);
    intervals = Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
  }

  /** The summary metrics that apply to these classes, in report order. */
  public List<SummaryMetric> summaryMetrics() {
    return SummaryMetric.forClasses(classes.size());
  }

  /** The interval of {@code metric}. */
  public ConfidenceInterval interval(SummaryMetric metric) {
    return intervals.get(metric.key());
  }

  /**
   * Scores {@code predictions}: every metric, and a percentile-bootstrap {@value #CONFIDENCE_LEVEL} interval of each
   * {@link SummaryMetric} (accuracy, macro precision, recall and F1, AUROC, ...), all from the same
   * {@value #BOOTSTRAP_RESAMPLES} resamples drawn with {@code seed} (see {@link Bootstrap}).
   *
   * @throws MedvisionException if there are no predictions or they break a rule of
   *     {@link org.medvision.api.metrics.Predictions}
   */
  public static Evaluation of(List<ImagePrediction> predictions, List<String> classes, long seed) {
    if (predictions.isEmpty()) {
      throw new MedvisionException("nothing to evaluate: no predictions");
    }
    int[] labels = labels(predictions);
    float[][] probabilities = probabilities(predictions);
    ClassificationMetrics metrics = ClassificationMetrics.compute(labels, probabilities, classes);
    Map<String, ToDoubleFunction<ClassificationMetrics>> wanted = new LinkedHashMap<>();
    for (SummaryMetric metric : SummaryMetric.forClasses(classes.size())) {
      wanted.put(metric.key(), metric::of);
    }
    Map<String, ConfidenceInterval> intervals = Bootstrap.confidenceIntervals(labels, probabilities, classes, wanted,
        BOOTSTRAP_RESAMPLES, seed, CONFIDENCE_LEVEL);
    return new Evaluation(classes, predictions, metrics, intervals);
  }

  /**
   * The classification view of a scored model: its {@link org.medvision.api.metrics.ClassificationSuite} result
   * (metrics and intervals, re-keyed by {@link SummaryMetric}) and its per-example class probabilities.
   *
   * @return the evaluation, or empty when the model has no classification result
   */
  public static Optional<Evaluation> of(org.medvision.runtime.Evaluation.ScoredModel model) {
    for (MetricResult r : model.metrics()) {
      if (!(r.details() instanceof ClassificationMetrics metrics)) {
        continue;
      }
      List<ImagePrediction> predictions = new ArrayList<>();
      for (int i = 0; i < model.scored().examples().size(); i++) {
        Scoring.ExampleRef ref = model.scored().examples().get(i);
        ClassProbabilities p = model.scored().results().get(i)
            .first(ClassProbabilities.class).orElseThrow();
        predictions.add(ImagePrediction.of(Path.of(ref.id()), ref.label(), p.probabilities()));
      }
      Map<String, ConfidenceInterval> intervals = new LinkedHashMap<>();
      for (SummaryMetric m : SummaryMetric.forClasses(metrics.classNames().size())) {
        ConfidenceInterval ci = r.intervals().get(m.suiteKey());
        if (ci != null) {
          intervals.put(m.key(), ci);
        }
      }
      return Optional.of(new Evaluation(metrics.classNames(), predictions, metrics, intervals));
    }
    return Optional.empty();
  }

  /** The true class of each prediction, in order. */
  static int[] labels(List<ImagePrediction> predictions) {
    int[] out = new int[predictions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = predictions.get(i).label();
    }
    return out;
  }

  /** The predicted class of each prediction, in order. */
  static int[] predicted(List<ImagePrediction> predictions) {
    int[] out = new int[predictions.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = predictions.get(i).predicted();
    }
    return out;
  }

  private static float[][] probabilities(List<ImagePrediction> predictions) {
    float[][] out = new float[predictions.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = predictions.get(i).probabilities();
    }
    return out;
  }
}
