package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SplitsTest {
  private static final Path SRC = Path.of("/d/m.csv");
  private static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");

  /** A manifest row of image {@code path} with its stratification label already set. */
  private static Sample row(String path, String label, String patient, Split split, int line) {
    return new Sample(path, Map.of("path", path, "label", label), label, patient, split, SRC, line);
  }

  private static List<Sample> rows(int normal, int ischemic, int hemorrhagic) {
    List<Sample> out = new ArrayList<>();
    int[] n = {normal, ischemic, hemorrhagic};
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n[c]; i++) {
        out.add(row("/d/" + c + "_" + i + ".png", CLASSES.get(c), null, null, out.size() + 2));
      }
    }
    return out;
  }

  @Test
  void proportionsPerClassFollowTheFractions() {
    List<Sample> split = Splits.stratified(rows(100, 50, 30), 7, 0.8, 0.1, 0.1);
    ClassBalance b = ClassBalance.of(split, CLASSES);
    // Per class: 80/10/10 of 100, 40/5/5 of 50, 24/3/3 of 30 (all exact).
    assertEquals(80, b.count(Split.TRAIN, "normal"));
    assertEquals(10, b.count(Split.TEST, "normal"));
    assertEquals(40, b.count(Split.TRAIN, "ischemic"));
    assertEquals(5, b.count(Split.VAL, "ischemic"));
    assertEquals(3, b.count(Split.VAL, "hemorrhagic"));
    assertEquals(144, b.total(Split.TRAIN));
    assertTrue(b.toTable().contains("train      80        40           24    144"), b.toTable());
  }

  @Test
  void allocationRoundsByLargestRemainderWithOneEachWhenPossible() {
    assertArrayEquals(new int[] {2, 1, 1}, Splits.allocate(4, new double[] {0.8, 0.1, 0.1}));
    assertArrayEquals(new int[] {6, 1, 2}, Splits.allocate(9, new double[] {0.7, 0.1, 0.2}));
    assertArrayEquals(new int[] {8, 2, 0}, Splits.allocate(10, new double[] {0.8, 0.2, 0.0}));
    // Too few for every split: 2 * fractions = 1/0.5/0.5, floors 1/0/0, the remaining unit to the first largest gap.
    assertArrayEquals(new int[] {1, 1, 0}, Splits.allocate(2, new double[] {0.5, 0.25, 0.25}));
  }

  @Test
  void sameSeedSameSplitOtherSeedOther() {
    List<Sample> r = rows(40, 40, 40);
    List<Split> a = Splits.stratified(r, 1, 0.8, 0.1, 0.1).stream().map(Sample::split).toList();
    assertEquals(a, Splits.stratified(r, 1, 0.8, 0.1, 0.1).stream().map(Sample::split).toList());
    assertNotEquals(a, Splits.stratified(r, 2, 0.8, 0.1, 0.1).stream().map(Sample::split).toList());
  }

  @Test
  void patientsStayInOneSplitAndExplicitSplitsAreKept() {
    List<Sample> r = new ArrayList<>();
    for (int p = 0; p < 30; p++) {
      String label = CLASSES.get(p % 3);
      for (int s = 0; s < 4; s++) {
        // Patients carry a minority slice of another class; the majority decides their stratum.
        String l = s == 3 ? CLASSES.get((p + 1) % 3) : label;
        Split fixed = p == 0 && s == 0 ? Split.TEST : null;
        r.add(row("/d/p" + p + "_" + s + ".png", l, "p" + p, fixed, r.size() + 2));
      }
    }
    List<Sample> out = Splits.stratified(r, 5, 0.6, 0.2, 0.2);
    Map<String, Split> seen = new HashMap<>();
    for (Sample s : out) {
      Split before = seen.putIfAbsent(s.patientId(), s.split());
      assertTrue(before == null || before == s.split(), s.patientId() + " in two splits");
    }
    assertEquals(Split.TEST, seen.get("p0"));
    // 29 unfixed patients: per majority class 10 (normal: 9 unfixed) -> 6/2/2 and 5/2/2 (9 * 0.6 = 5.4).
    long trainPatients = seen.values().stream().filter(s -> s == Split.TRAIN).count();
    assertEquals(6 + 6 + 5, trainPatients);
  }

  @Test
  void conflictingExplicitSplitsOfOnePatientAreAnError() {
    List<Sample> r = List.of(row("/d/a.png", "normal", "p1", Split.TRAIN, 2), row("/d/b.png", "normal", "p1",
        Split.TEST, 3));
    DatasetException e = assertThrows(DatasetException.class, () -> Splits.stratified(r, 1, 0.8, 0.1, 0.1));
    assertTrue(e.getMessage().startsWith("/d/m.csv line 3: patient p1 is in split test here but in train at "
        + "/d/m.csv line 2"), e.getMessage());
  }

  @Test
  void emptySplitOrClassIsNamed() {
    DatasetException e = assertThrows(DatasetException.class, () -> Splits.stratified(rows(1, 0, 0), 1, 0.8, 0.1,
        0.1));
    assertTrue(e.getMessage().startsWith("split val is empty"), e.getMessage());
    e = assertThrows(DatasetException.class, () -> Splits.stratified(rows(10, 2, 10), 1, 0.8, 0.1, 0.1));
    assertTrue(e.getMessage().startsWith("class 'ischemic' has no rows in split val"), e.getMessage());
    e = assertThrows(DatasetException.class, () -> Splits.stratified(rows(10, 10, 10), 1, 0.8, 0.1, 0.2));
    assertTrue(e.getMessage().contains("add up to 1"), e.getMessage());
  }
}
