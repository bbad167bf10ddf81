package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * Dice and IoU per patient, and their means over patients, from masks (slices, crops or volumes) that each belong
 * to one patient.
 *
 * <p>A patient's masks are pooled before scoring: its voxel counts are summed over all its masks, which is the Dice
 * of the union of its slices stacked into one volume, not the mean of per-slice Dice values (so a slice with no
 * lesion does not score 1 on its own). The means give every patient the same weight. A patient with no foreground
 * in any truth or prediction mask scores 1 ({@link OverlapCounts}'s both-empty convention).
 *
 * @param patients patient ids in order of first appearance
 * @param counts pooled counts of each patient, parallel to {@code patients}
 * @param meanDice mean over patients of the pooled Dice
 * @param meanIou mean over patients of the pooled IoU
 */
public record PatientOverlap(List<Integer> patients, List<OverlapCounts> counts, double meanDice, double meanIou) {

  /** Copies the lists so the record stays immutable. */
  public PatientOverlap {
    patients = List.copyOf(patients);
    counts = List.copyOf(counts);
  }

  /**
   * Pools each patient's masks and averages over patients.
   *
   * @param truths true masks, one per example
   * @param predictions predicted masks, parallel to {@code truths}, each the length of its truth
   * @param patients patient id of each example (any ints)
   * @throws MedvisionException if there is no example, the three lists differ in length or a mask pair differs in
   *     length
   */
  public static PatientOverlap of(List<boolean[]> truths, List<boolean[]> predictions, int[] patients) {
    if (truths.isEmpty() || truths.size() != predictions.size() || truths.size() != patients.length) {
      throw new MedvisionException("patient overlap: need the same non-zero number of truth masks, predicted masks"
          + " and patient ids, got " + truths.size() + ", " + predictions.size() + " and " + patients.length);
    }
    Map<Integer, OverlapCounts> byPatient = new LinkedHashMap<>();
    for (int i = 0; i < patients.length; i++) {
      OverlapCounts c = OverlapCounts.of(truths.get(i), predictions.get(i));
      byPatient.merge(patients[i], c, OverlapCounts::plus);
    }
    double dice = 0;
    double iou = 0;
    for (OverlapCounts c : byPatient.values()) {
      dice += c.dice();
      iou += c.iou();
    }
    int n = byPatient.size();
    return new PatientOverlap(new ArrayList<>(byPatient.keySet()), new ArrayList<>(byPatient.values()), dice / n,
        iou / n);
  }

  /** JSON-friendly view: {@code patients, meanDice, meanIou, perPatient} (patient id as a string key). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("patients", patients.size());
    m.put("meanDice", meanDice);
    m.put("meanIou", meanIou);
    Map<String, Object> perPatient = new LinkedHashMap<>();
    for (int i = 0; i < patients.size(); i++) {
      perPatient.put(Integer.toString(patients.get(i)), counts.get(i).toMap());
    }
    m.put("perPatient", perPatient);
    m.put("pooling", "voxel counts summed over a patient's masks before scoring; mean over patients");
    return m;
  }
}
