package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.Prediction;

/**
 * Single-label classification: every metric of {@link ClassificationMetrics} on the class probabilities of one output
 * against one label field, with percentile-bootstrap intervals over examples. For two classes the class with index 1
 * is the positive one (order a task's classes so), and the suite adds its sensitivity, specificity and F1.
 *
 * <p>Metric keys: {@code loss} (mean cross-entropy of the probabilities, −log p[true]), {@code acc},
 * {@code macro_precision}, {@code macro_recall}, {@code macro_f1}, {@code auroc}, {@code auprc},
 * {@code balanced_acc}, {@code mcc}, {@code brier}, {@code ece}, and for two classes {@code sensitivity},
 * {@code specificity}, {@code f1}.
 */
public final class ClassificationSuite implements MetricSuite {
  private static final int CLASS_METRICS = 11;

  private final String output;
  private final String labelField;
  private final List<String> classes;
  private final String defaultSelection;
  private final List<Integer> labels = new ArrayList<>();
  private final List<float[]> probabilities = new ArrayList<>();

  /**
   * A suite scoring output {@code output} against label field {@code labelField}.
   *
   * @param classes the class names, in output order
   */
  public ClassificationSuite(String output, String labelField, List<String> classes) {
    this(output, labelField, classes, "acc");
  }

  /**
   * A suite that selects checkpoints by {@code defaultSelection} unless told otherwise (e.g. {@code auroc}, the
   * headline of a two-class paper).
   *
   * @throws IllegalArgumentException if {@code defaultSelection} is not one of the suite's keys
   */
  public ClassificationSuite(String output, String labelField, List<String> classes, String defaultSelection) {
    this.output = output;
    this.labelField = labelField;
    this.classes = List.copyOf(classes);
    this.defaultSelection = defaultSelection;
    if (!selectable().containsKey(defaultSelection)) {
      throw new IllegalArgumentException("classification metric '" + defaultSelection + "' does not exist; the "
          + "metrics are " + selectable().keySet());
    }
  }

  @Override
  public String name() {
    return "classification";
  }

  @Override
  public void add(Example truth, ExampleResult predicted) {
    Prediction p = predicted.predictions().get(output);
    if (!(p instanceof ClassProbabilities c)) {
      throw new MedvisionException("classification metrics need class probabilities in output '" + output + "' for "
          + truth.where() + ", got " + p);
    }
    long[] y = truth.tensor(labelField).toLongArray();
    if (y.length != 1 || y[0] < 0 || y[0] >= classes.size()) {
      throw new MedvisionException(truth.where() + ": label '" + labelField + "' is not a class index of " + classes);
    }
    labels.add((int) y[0]);
    probabilities.add(c.probabilities());
  }

  @Override
  public Map<String, Direction> selectable() {
    Map<String, Direction> m = new LinkedHashMap<>();
    for (String key : extractors().keySet()) {
      m.put(key, key.equals("loss") || key.equals("brier") || key.equals("ece") ? Direction.LOWER : Direction.HIGHER);
    }
    return m;
  }

  @Override
  public String defaultSelection() {
    return defaultSelection;
  }

  /** Loss, accuracy, macro F1 and AUROC (and sensitivity and specificity for two classes). */
  @Override
  public List<String> epochKeys() {
    return classes.size() == 2 ? List.of("loss", "acc", "macro_f1", "auroc", "sensitivity", "specificity")
        : List.of("loss", "acc", "macro_f1", "auroc");
  }

  @Override
  public MetricResult result(long bootstrapSeed, int bootstrapRounds) {
    if (labels.isEmpty()) {
      throw new MedvisionException("no examples were scored");
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    float[][] p = probabilities.toArray(new float[0][]);
    ClassificationMetrics m = ClassificationMetrics.compute(y, p, classes);
    Map<String, ToDoubleFunction<ClassificationMetrics>> extractors = extractors();
    Map<String, Double> scalars = new LinkedHashMap<>();
    scalars.put("loss", crossEntropy(y, p));
    extractors.forEach((k, f) -> {
      if (!k.equals("loss")) {
        scalars.put(k, f.applyAsDouble(m));
      }
    });
    Map<String, ConfidenceInterval> intervals = new LinkedHashMap<>();
    if (bootstrapRounds > 0) {
      Map<String, ToDoubleFunction<ClassificationMetrics>> bootstrapped = new LinkedHashMap<>(extractors);
      bootstrapped.remove("loss");
      intervals.putAll(Bootstrap.confidenceIntervals(y, p, classes, bootstrapped, bootstrapRounds, bootstrapSeed,
          0.95));
    }
    return new MetricResult(name(), scalars, labels(), intervals, List.of(), List.of(), m);
  }

  private static double crossEntropy(int[] y, float[][] p) {
    double sum = 0;
    for (int i = 0; i < y.length; i++) {
      // A confidently wrong float32 softmax can round the true class to 0; clamping keeps the loss finite (and
      // comparable across checkpoints) instead of +Infinity.
      sum -= Math.log(Math.max(p[i][y[i]], Float.MIN_NORMAL));
    }
    return sum / y.length;
  }

  private Map<String, ToDoubleFunction<ClassificationMetrics>> extractors() {
    Map<String, ToDoubleFunction<ClassificationMetrics>> m = new LinkedHashMap<>(CLASS_METRICS + 4);
    m.put("loss", x -> Double.NaN);
    m.put("acc", ClassificationMetrics::accuracy);
    m.put("macro_precision", x -> x.macro().precision());
    m.put("macro_recall", x -> x.macro().recall());
    m.put("macro_f1", x -> x.macro().f1());
    m.put("auroc", ClassificationMetrics::auroc);
    m.put("auprc", ClassificationMetrics::auprc);
    m.put("balanced_acc", ClassificationMetrics::balancedAccuracy);
    m.put("mcc", ClassificationMetrics::matthewsCorrelation);
    m.put("brier", ClassificationMetrics::brierScore);
    m.put("ece", ClassificationMetrics::expectedCalibrationError);
    if (classes.size() == 2) {
      int positive = ClassificationMetrics.BINARY_POSITIVE_CLASS;
      m.put("sensitivity", x -> x.classes().get(positive).recall());
      m.put("specificity", x -> x.classes().get(positive).specificity());
      m.put("f1", x -> x.classes().get(positive).f1());
    }
    return m;
  }

  private Map<String, String> labels() {
    Map<String, String> m = new LinkedHashMap<>();
    String positive = classes.size() == 2 ? " (" + classes.get(ClassificationMetrics.BINARY_POSITIVE_CLASS)
        + " positive)" : "";
    m.put("loss", "Cross-entropy");
    m.put("acc", "Accuracy");
    m.put("macro_precision", "Precision (macro)");
    m.put("macro_recall", "Recall (macro)");
    m.put("macro_f1", "F1 (macro)");
    m.put("auroc", "AUROC" + positive);
    m.put("auprc", "AUPRC" + positive);
    m.put("balanced_acc", "Balanced accuracy");
    m.put("mcc", "MCC");
    m.put("brier", "Brier score");
    m.put("ece", "ECE (15 bins)");
    m.put("sensitivity", "Sensitivity" + positive);
    m.put("specificity", "Specificity" + positive);
    m.put("f1", "F1" + positive);
    return m;
  }
}
