package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One class's scores, the class taken as positive and every other class as negative (one-vs-rest).
 *
 * <p>Count-based scores use the confusion matrix (TP, FP, FN, TN of this class) and are 0 when their denominator is
 * 0 (scikit-learn's {@code zero_division=0}): precision with no sample predicted as the class, recall with no sample
 * of the class, specificity with no sample of another class, F1 when TP + FP + FN = 0. Ranking scores use the
 * class's probability column and are NaN when undefined: AUROC when the class is absent or is every sample, AUPRC
 * when the class is absent.
 *
 * @param name class name
 * @param support samples whose true class is this one
 * @param precision TP / (TP + FP)
 * @param recall TP / (TP + FN), the sensitivity
 * @param specificity TN / (TN + FP)
 * @param f1 2TP / (2TP + FP + FN), the harmonic mean of precision and recall
 * @param auroc area under the ROC curve of this class's probability (Mann-Whitney, ties count 1/2)
 * @param auprc average precision of this class's probability
 */
public record ClassScores(String name, long support, double precision, double recall, double specificity,
    double f1, double auroc, double auprc) {

  /** The count-based scores of class {@code k} from {@code matrix}, with the given ranking scores. */
  static ClassScores of(ConfusionMatrix matrix, int k, double auroc, double auprc) {
    long tp = matrix.truePositives(k);
    long fp = matrix.falsePositives(k);
    long fn = matrix.falseNegatives(k);
    long tn = matrix.trueNegatives(k);
    return new ClassScores(matrix.classNames().get(k), matrix.support(k), ConfusionMatrix.ratio(tp, tp + fp),
        ConfusionMatrix.ratio(tp, tp + fn), ConfusionMatrix.ratio(tn, tn + fp),
        ConfusionMatrix.ratio(2.0 * tp, 2.0 * tp + fp + fn), auroc, auprc);
  }

  /** The recall under its clinical name: the fraction of this class's samples that were found. */
  public double sensitivity() {
    return recall;
  }

  /** JSON-friendly view of every component plus {@code sensitivity}; NaN as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("support", support);
    m.put("precision", precision);
    m.put("recall", recall);
    m.put("sensitivity", recall);
    m.put("specificity", specificity);
    m.put("f1", f1);
    m.put("auroc", JsonValues.number(auroc));
    m.put("auprc", JsonValues.number(auprc));
    return m;
  }
}
