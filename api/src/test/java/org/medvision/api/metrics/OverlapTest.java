package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class OverlapTest {
  private static final double TOL = 1e-12;

  @Test
  void diceAndIouByHand() {
    boolean[] truth = mask(1, 1, 0, 0, 1);
    boolean[] prediction = mask(1, 0, 1, 0, 1);
    OverlapCounts c = OverlapCounts.of(truth, prediction);
    assertEquals(new OverlapCounts(2, 1, 1, 1), c);
    assertEquals(4.0 / 6, c.dice(), TOL);
    assertEquals(2.0 / 4, c.iou(), TOL);
    assertEquals(c.dice(), OverlapCounts.dice(truth, prediction), 0);
    assertEquals(c.iou(), OverlapCounts.iou(truth, prediction), 0);
    // Dice = 2 IoU / (1 + IoU) for any pair.
    assertEquals(2 * c.iou() / (1 + c.iou()), c.dice(), TOL);
  }

  @Test
  void emptyMasksFollowTheStatedConvention() {
    boolean[] empty = mask(0, 0, 0);
    boolean[] some = mask(0, 1, 0);
    assertTrue(OverlapCounts.of(empty, empty).bothEmpty());
    assertEquals(1, OverlapCounts.dice(empty, empty));
    assertEquals(1, OverlapCounts.iou(empty, empty));
    assertEquals(0, OverlapCounts.dice(empty, some));
    assertEquals(0, OverlapCounts.dice(some, empty));
    assertEquals(0, OverlapCounts.iou(some, empty));
    assertEquals(1, OverlapCounts.dice(new boolean[0], new boolean[0]));
  }

  @Test
  void patientsPoolTheirSlicesBeforeScoring() {
    // Patient 7: slice 1 finds one of two truth voxels, slice 2 is empty in both. Pooled TP 1, FN 1: Dice 2/3,
    // where the mean of per-slice Dice would be (2/3 + 1) / 2. Patient 3: TP 3, FP 1: Dice 6/7, IoU 3/4.
    List<boolean[]> truths = List.of(mask(1, 1, 0, 0), mask(0, 1, 1, 1), mask(0, 0, 0, 0));
    List<boolean[]> predictions = List.of(mask(1, 0, 0, 0), mask(1, 1, 1, 1), mask(0, 0, 0, 0));
    PatientOverlap p = PatientOverlap.of(truths, predictions, new int[] {7, 3, 7});
    assertEquals(List.of(7, 3), p.patients());
    assertEquals(new OverlapCounts(1, 0, 1, 6), p.counts().get(0));
    assertEquals(2.0 / 3, p.counts().get(0).dice(), TOL);
    assertEquals((2.0 / 3 + 6.0 / 7) / 2, p.meanDice(), TOL);
    assertEquals((1.0 / 2 + 3.0 / 4) / 2, p.meanIou(), TOL);
  }

  @Test
  void aPatientWithNoForegroundAnywhereScoresOne() {
    PatientOverlap p = PatientOverlap.of(List.of(mask(0, 0), mask(1, 0)), List.of(mask(0, 0), mask(0, 0)),
        new int[] {1, 2});
    assertEquals((1 + 0) / 2.0, p.meanDice(), TOL);
  }

  @Test
  void rejectsMismatchedInputs() {
    assertThrows(MedvisionException.class, () -> OverlapCounts.of(new boolean[2], new boolean[3]));
    assertThrows(MedvisionException.class, () -> PatientOverlap.of(List.of(), List.of(), new int[0]));
    assertThrows(MedvisionException.class,
        () -> PatientOverlap.of(List.of(mask(1)), List.of(mask(1)), new int[] {1, 2}));
  }

  static boolean[] mask(int... bits) {
    boolean[] m = new boolean[bits.length];
    for (int i = 0; i < bits.length; i++) {
      m[i] = bits[i] != 0;
    }
    return m;
  }
}
