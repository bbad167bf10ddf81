package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.medvision.api.MedvisionException;

/**
 * Every classification metric of one prediction set, computed once by {@link #compute}.
 *
 * <p>Definitions (C classes, N samples, predicted class = arg-max with ties to the lowest index):
 * <ul>
 *   <li>accuracy: fraction of samples predicted correctly;</li>
 *   <li>per-class precision, recall (sensitivity), specificity, F1, support, AUROC and AUPRC: see
 *       {@link ClassScores}, including its zero-division and NaN rules;</li>
 *   <li>macro and weighted precision, recall and F1: see {@link AveragedScores};</li>
 *   <li>balanced accuracy: mean recall over the classes present in the labels (scikit-learn's
 *       {@code balanced_accuracy_score}); equals accuracy when every class has the same support;</li>
 *   <li>Matthews correlation: Gorodkin's multi-class R_K, the phi coefficient for two classes; see
 *       {@link ConfusionMatrix#matthewsCorrelation()};</li>
 *   <li>Brier score: the multi-class score in [0, 2], and for two classes also the binary score of the positive
 *       class (half the multi-class one when rows sum to exactly 1); see {@link BrierScore};</li>
 *   <li>expected calibration error: {@value Calibration#DEFAULT_BINS} equal-width bins over top-class confidence;
 *       see {@link Calibration};</li>
 *   <li>AUROC and AUPRC: per class one-vs-rest on that class's probability column ({@link RankAuc},
 *       {@link PrecisionRecallCurve#averagePrecision()}); the macro values average the classes where the value is
 *       defined and are NaN when no class has one; {@link #auroc()} and {@link #auprc()} give the headline value,
 *       the positive class (index 1) for two classes and the macro value otherwise.</li>
 * </ul>
 *
 * @param classNames class names in column order
 * @param samples number of samples N
 * @param confusionMatrix counts of (true, predicted) pairs
 * @param classes per-class scores in class order
 * @param macro unweighted class averages of precision, recall and F1
 * @param weighted support-weighted class averages of precision, recall and F1
 * @param accuracy fraction of correct predictions
 * @param balancedAccuracy mean recall over classes present in the labels
 * @param matthewsCorrelation multi-class MCC in [-1, 1]
 * @param brierScore multi-class Brier score in [0, 2]
 * @param binaryBrierScore for two classes the binary Brier score of the positive class, in [0, 1]; NaN otherwise
 * @param calibration ECE and reliability-diagram bins
 * @param macroAuroc mean one-vs-rest AUROC over classes where it is defined
 * @param macroAuprc mean one-vs-rest average precision over classes where it is defined
 * @param rocCurves one-vs-rest ROC curve per class, in class order
 * @param precisionRecallCurves one-vs-rest precision-recall curve per class, in class order
 */
public record ClassificationMetrics(List<String> classNames, int samples, ConfusionMatrix confusionMatrix,
    List<ClassScores> classes, AveragedScores macro, AveragedScores weighted, double accuracy,
    double balancedAccuracy, double matthewsCorrelation, double brierScore, double binaryBrierScore,
    Calibration calibration, double macroAuroc, double macroAuprc, List<RocCurve> rocCurves,
    List<PrecisionRecallCurve> precisionRecallCurves) {

  /** Class index taken as positive when there are exactly two classes. */
  public static final int BINARY_POSITIVE_CLASS = 1;

  /** Copies the lists so the record stays immutable; rejects null components. */
  public ClassificationMetrics {
    classNames = List.copyOf(classNames);
    Objects.requireNonNull(confusionMatrix, "confusionMatrix");
    classes = List.copyOf(classes);
    Objects.requireNonNull(macro, "macro");
    Objects.requireNonNull(weighted, "weighted");
    Objects.requireNonNull(calibration, "calibration");
    rocCurves = List.copyOf(rocCurves);
    precisionRecallCurves = List.copyOf(precisionRecallCurves);
  }

  /**
   * Validates the inputs and computes every metric.
   *
   * @param labels true class index of each sample, in {@code 0..C-1}
   * @param probabilities N x C class probabilities, each row summing to 1
   * @param classNames the C class names in column order; in a binary problem the second is the positive class
   * @throws MedvisionException if the inputs break a rule of {@link Predictions}
   */
  public static ClassificationMetrics compute(int[] labels, float[][] probabilities, List<String> classNames) {
    return compute(Predictions.of(labels, probabilities, classNames));
  }

  /** Computes every metric of an already validated prediction set. */
  public static ClassificationMetrics compute(Predictions predictions) {
    ConfusionMatrix matrix = ConfusionMatrix.of(predictions);
    int c = predictions.classCount();
    List<ClassScores> classes = new ArrayList<>(c);
    List<RocCurve> rocs = new ArrayList<>(c);
    List<PrecisionRecallCurve> prs = new ArrayList<>(c);
    for (int k = 0; k < c; k++) {
      double[] scores = predictions.scores(k);
      boolean[] truth = predictions.isClass(k);
      ThresholdSweep sweep = ThresholdSweep.of(scores, truth);
      RocCurve roc = RocCurve.of(sweep);
      PrecisionRecallCurve pr = PrecisionRecallCurve.of(sweep);
      rocs.add(roc);
      prs.add(pr);
      classes.add(ClassScores.of(matrix, k, RankAuc.auroc(scores, truth), pr.averagePrecision()));
    }
    double recallSum = 0;
    int present = 0;
    double aurocSum = 0;
    int aurocDefined = 0;
    double auprcSum = 0;
    int auprcDefined = 0;
    for (ClassScores s : classes) {
      if (s.support() > 0) {
        recallSum += s.recall();
        present++;
      }
      if (!Double.isNaN(s.auroc())) {
        aurocSum += s.auroc();
        aurocDefined++;
      }
      if (!Double.isNaN(s.auprc())) {
        auprcSum += s.auprc();
        auprcDefined++;
      }
    }
    return new ClassificationMetrics(predictions.classNames(), predictions.size(), matrix, classes,
        AveragedScores.macro(classes), AveragedScores.weighted(classes), matrix.accuracy(), recallSum / present,
        matrix.matthewsCorrelation(), BrierScore.multiClass(predictions),
        c == 2 ? BrierScore.binary(predictions, BINARY_POSITIVE_CLASS) : Double.NaN,
        Calibration.of(predictions, Calibration.DEFAULT_BINS), meanOrNaN(aurocSum, aurocDefined),
        meanOrNaN(auprcSum, auprcDefined), rocs, prs);
  }

  private static double meanOrNaN(double sum, int n) {
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Index of the positive class when there are exactly two classes; empty otherwise. */
  public OptionalInt positiveClass() {
    return classNames.size() == 2 ? OptionalInt.of(BINARY_POSITIVE_CLASS) : OptionalInt.empty();
  }

  /** Headline AUROC: the positive class's for two classes, the macro one-vs-rest mean otherwise. */
  public double auroc() {
    return classNames.size() == 2 ? classes.get(BINARY_POSITIVE_CLASS).auroc() : macroAuroc;
  }

  /** Headline AUPRC: the positive class's for two classes, the macro one-vs-rest mean otherwise. */
  public double auprc() {
    return classNames.size() == 2 ? classes.get(BINARY_POSITIVE_CLASS).auprc() : macroAuprc;
  }

  /** The expected calibration error of {@link #calibration()}. */
  public double expectedCalibrationError() {
    return calibration.expectedCalibrationError();
  }

  /**
   * Scores of the class named {@code name}.
   *
   * @throws MedvisionException if no class has that name
   */
  public ClassScores classScores(String name) {
    int k = classNames.indexOf(name);
    if (k < 0) {
      throw new MedvisionException("metrics: no class named '" + name + "' in " + classNames);
    }
    return classes.get(k);
  }

  /**
   * JSON-friendly view for {@code metrics.json}: nested maps (insertion-ordered) and lists of strings and numbers,
   * NaN and infinities as null.
   *
   * <p>Top-level keys: {@code classes, samples, accuracy, balancedAccuracy, mcc, brierScore, ece, auroc, auprc,
   * macro, weighted, perClass, confusionMatrix, calibration, curves}, plus {@code binary} for two classes. The
   * {@code definitions} key states the conventions in words so a reader of the file needs no source code.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("classes", classNames);
    m.put("samples", samples);
    m.put("accuracy", accuracy);
    m.put("balancedAccuracy", balancedAccuracy);
    m.put("mcc", matthewsCorrelation);
    m.put("brierScore", brierScore);
    m.put("ece", expectedCalibrationError());
    m.put("auroc", JsonValues.number(auroc()));
    m.put("auprc", JsonValues.number(auprc()));
    Map<String, Object> macroMap = macro.toMap();
    macroMap.put("auroc", JsonValues.number(macroAuroc));
    macroMap.put("auprc", JsonValues.number(macroAuprc));
    m.put("macro", macroMap);
    m.put("weighted", weighted.toMap());
    Map<String, Object> perClass = new LinkedHashMap<>();
    Map<String, Object> curves = new LinkedHashMap<>();
    for (int k = 0; k < classes.size(); k++) {
      perClass.put(classNames.get(k), classes.get(k).toMap());
      Map<String, Object> pair = new LinkedHashMap<>();
      pair.put("roc", rocCurves.get(k).toMap());
      pair.put("pr", precisionRecallCurves.get(k).toMap());
      curves.put(classNames.get(k), pair);
    }
    m.put("perClass", perClass);
    m.put("confusionMatrix", confusionMatrix.toMap());
    m.put("calibration", calibration.toMap());
    m.put("curves", curves);
    if (classNames.size() == 2) {
      m.put("binary", binaryMap());
    }
    m.put("definitions", definitions());
    return m;
  }

  private Map<String, Object> binaryMap() {
    ClassScores positive = classes.get(BINARY_POSITIVE_CLASS);
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("positiveClass", positive.name());
    b.putAll(positive.toMap());
    b.put("brierScore", binaryBrierScore);
    return b;
  }

  private static Map<String, Object> definitions() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("prediction", "arg-max of the probability row, ties to the lowest class index");
    d.put("zeroDivision", "precision, recall, specificity and F1 are 0 when their denominator is 0");
    d.put("balancedAccuracy", "mean recall over classes present in the labels");
    d.put("mcc", "Gorodkin's multi-class R_K; 0 when undefined");
    d.put("brierScore", "mean over samples of sum over classes of (p - onehot)^2, range [0, 2];"
        + " binary.brierScore is the mean of (p_positive - y)^2, range [0, 1]");
    d.put("ece", "sum over 15 equal-width top-confidence bins (b/15, (b+1)/15] of n_b/N * |accuracy_b - confidence_b|");
    d.put("auroc", "one-vs-rest Mann-Whitney AUROC, ties count 1/2; null when a class is absent or is every sample;"
        + " headline value is the positive class (index 1) for two classes, else the mean over defined classes");
    d.put("auprc", "one-vs-rest average precision sum_n (R_n - R_{n-1}) P_n; null when a class is absent");
    return d;
  }
}
