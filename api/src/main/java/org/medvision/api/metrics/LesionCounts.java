package org.medvision.api.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lesion-level detection counts of one scan (or, summed with {@link #plus}, of several).
 *
 * <p>Lesion recall is {@code detected / truthLesions}: the fraction of true lesions that at least one predicted
 * lesion matches. Lesion precision is {@code matchedPredictions / predictedLesions}: the fraction of predicted
 * lesions that match at least one true lesion. Matching is many-to-many (no one-to-one assignment), so one large
 * prediction covering two true lesions detects both but counts once in precision; with an IoU threshold above 0.5
 * each component can match at most one other and the two numerators agree. Unlike the package's zero-division rule,
 * recall with no true lesion and precision with no predicted lesion are NaN: a lesion-free scan has no recall,
 * rather than a recall of 0.
 *
 * @param truthLesions connected components of the truth mask
 * @param detectedLesions true lesions matched by at least one predicted lesion
 * @param predictedLesions connected components of the predicted mask
 * @param matchedPredictions predicted lesions that match at least one true lesion
 */
public record LesionCounts(long truthLesions, long detectedLesions, long predictedLesions, long matchedPredictions) {
  /** No lesion at all, the identity of {@link #plus}. */
  public static final LesionCounts EMPTY = new LesionCounts(0, 0, 0, 0);

  /** The counts of both scans together. */
  public LesionCounts plus(LesionCounts other) {
    return new LesionCounts(truthLesions + other.truthLesions, detectedLesions + other.detectedLesions,
        predictedLesions + other.predictedLesions, matchedPredictions + other.matchedPredictions);
  }

  /** Fraction of true lesions detected; NaN when there is no true lesion. */
  public double recall() {
    return truthLesions == 0 ? Double.NaN : (double) detectedLesions / truthLesions;
  }

  /** Fraction of predicted lesions that match a true lesion; NaN when nothing was predicted. */
  public double precision() {
    return predictedLesions == 0 ? Double.NaN : (double) matchedPredictions / predictedLesions;
  }

  /** True lesions no prediction matched. */
  public long missedLesions() {
    return truthLesions - detectedLesions;
  }

  /** Predicted lesions that match no true lesion. */
  public long falsePositives() {
    return predictedLesions - matchedPredictions;
  }

  /** JSON-friendly view: the counts, {@code falsePositives}, {@code recall}, {@code precision}; NaN as null. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("truthLesions", truthLesions);
    m.put("detectedLesions", detectedLesions);
    m.put("predictedLesions", predictedLesions);
    m.put("matchedPredictions", matchedPredictions);
    m.put("falsePositives", falsePositives());
    m.put("recall", JsonValues.number(recall()));
    m.put("precision", JsonValues.number(precision()));
    return m;
  }
}
