package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Seeded, stratified train/val/test splits.
 *
 * <p>The unit of splitting is the patient when rows carry a patient id (all slices of a patient land in one split,
 * so no patient leaks between training and test) and the single row otherwise. Units are stratified by a key, the
 * label for {@link #stratified}: a patient counts under its majority key (ties go to the key first in alphabetical
 * order). Within each key the units are shuffled with the seed and cut in the proportions asked, rounding so that
 * every split with a positive fraction gets at least one unit of the key when the key has enough units, then by
 * largest remainder. Rows that already carry a split keep it, and the other rows of the same patient follow them.
 */
public final class Splits {
  private static final double FRACTION_TOLERANCE = 1e-6;

  private Splits() {}

  /** A group of rows split together: one patient, or one row without a patient id. */
  private static final class Unit {
    final String name;
    final List<Integer> rows = new ArrayList<>();
    final Map<String, Integer> labels = new TreeMap<>();
    Split fixed;
    int fixedRow;

    Unit(String name) {
      this.name = name;
    }

    String majority() {
      String best = null;
      int count = -1;
      for (Map.Entry<String, Integer> e : labels.entrySet()) {
        if (e.getValue() > count) {
          best = e.getKey();
          count = e.getValue();
        }
      }
      return best;
    }
  }

  /**
   * {@code rows} with every split assigned, in input order.
   *
   * @param train fraction of units for training, in [0, 1]
   * @param val fraction for validation
   * @param test fraction for testing; the three fractions must add up to 1
   * @throws DatasetException if the fractions are out of range or do not add up to 1, a patient's rows name
   *     different splits, or a split with a positive fraction ends up empty or without some label (naming which)
   */
  public static List<Sample> stratified(List<Sample> rows, long seed, double train, double val, double test) {
    double[] fractions = {train, val, test};
    List<Sample> out = assign(rows, Sample::label, seed, fractions);
    checkCoverage(out, fractions, patientsKnown(rows));
    return out;
  }

  /**
   * {@code rows} with every split assigned, in input order, spread over {@code stratum} but without demanding that
   * every stratum reach every split: for multi-label data, where a stratum (say, a patient's rarest finding) may have
   * fewer patients than there are splits.
   *
   * <p>The units without a split are ordered by stratum, the strata and the units within each shuffled with the seed;
   * the numbers per split come from the fractions over all of them (at least one per split with a positive
   * fraction when there are enough units, then by largest remainder), and are dealt along that order so that each
   * unit goes to the split furthest behind its share so far. Every stratum is thus cut in the proportions asked as
   * closely as its size allows, and a stratum of two units lands in two splits whenever the split sizes permit.
   *
   * @param stratum the stratification key of a row; the rows of one patient should share it
   * @throws DatasetException if the fractions are out of range or do not add up to 1, a patient's rows name
   *     different splits, or a split with a positive fraction ends up empty
   */
  public static List<Sample> grouped(List<Sample> rows, Function<Sample, String> stratum, long seed, double train,
      double val, double test) {
    double[] fractions = {train, val, test};
    checkFractions(fractions);
    if (rows.isEmpty()) {
      throw new DatasetException("cannot split an empty data set");
    }
    Map<String, Unit> units = units(rows, stratum);
    Split[] assigned = new Split[rows.size()];
    Map<String, List<Unit>> byStratum = new TreeMap<>();
    for (Unit u : units.values()) {
      if (u.fixed != null) {
        u.rows.forEach(i -> assigned[i] = u.fixed);
      } else {
        byStratum.computeIfAbsent(u.majority(), k -> new ArrayList<>()).add(u);
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<List<Unit>> groups = new ArrayList<>(byStratum.values());
    // Strata in seeded order too: with many small strata (one patient each) a fixed order would fix the split.
    for (int i = groups.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      List<Unit> t = groups.get(i);
      groups.set(i, groups.get(j));
      groups.set(j, t);
    }
    List<Unit> order = new ArrayList<>();
    for (List<Unit> group : groups) {
      shuffle(group, rng);
      order.addAll(group);
    }
    int[] target = allocate(order.size(), fractions);
    int[] dealt = new int[target.length];
    for (int i = 0; i < order.size(); i++) {
      int best = -1;
      double bestLag = 0;
      for (int k = 0; k < target.length; k++) {
        double lag = (double) target[k] * (i + 1) / order.size() - dealt[k];
        if (dealt[k] < target[k] && (best < 0 || lag > bestLag)) {
          best = k;
          bestLag = lag;
        }
      }
      dealt[best]++;
      Split s = Split.values()[best];
      order.get(i).rows.forEach(r -> assigned[r] = s);
    }
    List<Sample> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(rows.get(i).withSplit(assigned[i]));
    }
    checkNotEmpty(out, fractions);
    return out;
  }

  /**
   * Checks that every split with a positive fraction has rows.
   *
   * @param fractions train, val and test fractions
   * @throws DatasetException naming the first empty split
   */
  static void checkNotEmpty(List<Sample> rows, double[] fractions) {
    for (Split s : Split.values()) {
      if (fractions[s.ordinal()] > 0 && rows.stream().noneMatch(r -> r.split() == s)) {
        throw new DatasetException("split " + s.id() + " is empty: " + rows.size() + " rows are too few for the "
            + "fractions asked; give more data or set its fraction to 0");
      }
    }
  }

  private static List<Sample> assign(List<Sample> rows, Function<Sample, String> stratum, long seed,
      double[] fractions) {
    checkFractions(fractions);
    if (rows.isEmpty()) {
      throw new DatasetException("cannot split an empty data set");
    }
    Map<String, Unit> units = units(rows, stratum);
    Split[] assigned = new Split[rows.size()];
    Map<String, List<Unit>> byLabel = new TreeMap<>();
    for (Unit u : units.values()) {
      if (u.fixed != null) {
        u.rows.forEach(i -> assigned[i] = u.fixed);
      } else {
        byLabel.computeIfAbsent(u.majority(), k -> new ArrayList<>()).add(u);
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (List<Unit> group : byLabel.values()) {
      shuffle(group, rng);
      int[] counts = allocate(group.size(), fractions);
      int next = 0;
      for (int k = 0; k < counts.length; k++) {
        for (int j = 0; j < counts[k]; j++) {
          Split s = Split.values()[k];
          group.get(next++).rows.forEach(i -> assigned[i] = s);
        }
      }
    }
    List<Sample> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      out.add(rows.get(i).withSplit(assigned[i]));
    }
    return out;
  }

  /** The rows of {@code rows} in {@code split}, in order. */
  public static List<Sample> select(List<Sample> rows, Split split) {
    return rows.stream().filter(s -> s.split() == split).toList();
  }

  private static void checkFractions(double[] f) {
    double sum = 0;
    for (int k = 0; k < f.length; k++) {
      if (!(f[k] >= 0 && f[k] <= 1)) {
        throw new DatasetException("split fraction for " + Split.values()[k].id() + " must be between 0 and 1, got "
            + f[k]);
      }
      sum += f[k];
    }
    if (Math.abs(sum - 1) > FRACTION_TOLERANCE) {
      throw new DatasetException("split fractions must add up to 1, got " + f[0] + " + " + f[1] + " + " + f[2]
          + " = " + sum);
    }
  }

  private static boolean patientsKnown(List<Sample> rows) {
    return rows.stream().anyMatch(s -> s.patientId() != null);
  }

  private static Map<String, Unit> units(List<Sample> rows, Function<Sample, String> stratum) {
    Map<String, Unit> units = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      Sample s = rows.get(i);
      String key = s.patientId() != null ? "patient " + s.patientId() : "row " + i;
      Unit u = units.computeIfAbsent(key, Unit::new);
      u.rows.add(i);
      u.labels.merge(stratum.apply(s), 1, Integer::sum);
      if (s.split() != null) {
        if (u.fixed != null && u.fixed != s.split()) {
          throw new DatasetException(s.where() + ": " + u.name + " is in split " + s.split().id() + " here but in "
              + u.fixed.id() + " at " + rows.get(u.fixedRow).where() + "; all rows of a patient need one split");
        }
        u.fixed = s.split();
        u.fixedRow = i;
      }
    }
    return units;
  }

  private static void shuffle(List<Unit> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Unit t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** Units per split for {@code n} units: at least one per positive fraction when possible, then largest remainder. */
  static int[] allocate(int n, double[] fractions) {
    int k = fractions.length;
    int[] counts = new int[k];
    int wanted = 0;
    for (int i = 0; i < k; i++) {
      counts[i] = (int) Math.floor(n * fractions[i]);
      if (fractions[i] > 0) {
        wanted++;
      }
    }
    if (n >= wanted) {
      for (int i = 0; i < k; i++) {
        if (fractions[i] > 0 && counts[i] == 0) {
          counts[i] = 1;
        }
      }
    }
    int sum = 0;
    for (int c : counts) {
      sum += c;
    }
    while (sum > n) {
      int best = -1;
      for (int i = 0; i < k; i++) {
        int floor = fractions[i] > 0 && n >= wanted ? 1 : 0;
        if (counts[i] > floor && (best < 0 || counts[i] - n * fractions[i] > counts[best] - n * fractions[best])) {
          best = i;
        }
      }
      counts[best]--;
      sum--;
    }
    while (sum < n) {
      int best = -1;
      for (int i = 0; i < k; i++) {
        if (fractions[i] > 0 && (best < 0 || n * fractions[i] - counts[i] > n * fractions[best] - counts[best])) {
          best = i;
        }
      }
      counts[best]++;
      sum++;
    }
    return counts;
  }

  private static void checkCoverage(List<Sample> rows, double[] fractions, boolean patients) {
    Map<Split, Map<String, Integer>> counts = new EnumMap<>(Split.class);
    Map<String, Integer> labelTotals = new TreeMap<>();
    for (Split s : Split.values()) {
      counts.put(s, new TreeMap<>());
    }
    for (Sample s : rows) {
      counts.get(s.split()).merge(s.label(), 1, Integer::sum);
      labelTotals.merge(s.label(), 1, Integer::sum);
    }
    String unit = patients ? "patients" : "rows";
    for (Split s : Split.values()) {
      if (fractions[s.ordinal()] == 0) {
        continue;
      }
      Map<String, Integer> c = counts.get(s);
      if (c.isEmpty()) {
        throw new DatasetException("split " + s.id() + " is empty: " + rows.size() + " rows are too few for the "
            + "fractions asked; give more data or set its fraction to 0");
      }
      for (Map.Entry<String, Integer> e : labelTotals.entrySet()) {
        if (!c.containsKey(e.getKey())) {
          throw new DatasetException("class '" + e.getKey() + "' has no rows in split " + s.id() + " (it has "
              + e.getValue() + " rows in all; each split needs at least one of its " + unit + ")");
        }
      }
    }
  }
}
