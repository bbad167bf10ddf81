package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.LabelField;
import org.medvision.io.ProgressListener;

/**
 * Multi-label rows (a cell such as {@code Cardiomegaly|Effusion}): checked up front, split by patient, and counted.
 *
 * <p>Splits cannot be stratified by one class here, and a rare label (a handful of patients) cannot be demanded in
 * every split. So each patient is stratified by its rarest label in the data set (the rarest positive over all its
 * rows; patients without findings form their own stratum), which spreads rare labels over the splits as far as their
 * patients allow, and a label without positives in a split is a warning, not an error.
 */
public final class MultiLabels {
  private MultiLabels() {}

  /**
   * The multi-label field a schema without a stratification label is split and checked by: its one multi-label
   * {@link LabelField}, if it has exactly one.
   */
  public static Optional<LabelField> of(DataSchema schema) {
    if (schema.labels().isPresent()) {
      return Optional.empty();
    }
    List<LabelField> multi = schema.fields(LabelField.class).stream().filter(LabelField::multiLabel).toList();
    return multi.size() == 1 ? Optional.of(multi.get(0)) : Optional.empty();
  }

  /**
   * Checks that every row lists only labels {@code field} knows.
   *
   * @param column the column's name as the source writes it, for messages
   * @throws DatasetException naming the first row with no labels or an unknown label, and the known labels
   */
  public static void check(List<Sample> rows, LabelField field, String column) {
    for (Sample s : rows) {
      parse(s, field, column);
    }
  }

  /**
   * The 0/1 flags of {@code row}'s labels, in class order.
   *
   * @param column the column's name as the source writes it, for messages
   * @throws DatasetException as {@link #check}
   */
  public static boolean[] positives(Sample row, LabelField field, String column) {
    return parse(row, field, column);
  }

  private static boolean[] parse(Sample row, LabelField field, String column) {
    String cell = row.value(field.column());
    if (cell == null || cell.isBlank()) {
      throw new DatasetException(row.where() + ": no " + column + "; every row lists its labels separated by '"
          + field.separator() + "' (known labels: " + field.accepted() + ")");
    }
    boolean[] hot = new boolean[field.classes().size()];
    for (String part : cell.split(Pattern.quote(field.separator()), -1)) {
      if (part.isBlank()) {
        continue;
      }
      int c = field.classIndex(part);
      if (c == -2) {
        throw new DatasetException(row.where() + ": " + column + " lists '" + part.trim() + "', which is no label of "
            + "this task; known labels: " + field.accepted());
      }
      if (c >= 0) {
        hot[c] = true;
      }
    }
    return hot;
  }

  /** Positive rows per label (class order) in {@code rows}. */
  public static int[] counts(List<Sample> rows, LabelField field) {
    int[] counts = new int[field.classes().size()];
    for (Sample s : rows) {
      boolean[] hot = parse(s, field, field.column());
      for (int c = 0; c < hot.length; c++) {
        counts[c] += hot[c] ? 1 : 0;
      }
    }
    return counts;
  }

  /**
   * {@code rows} with every split assigned by patient (by row where a row has no patient), stratified by each
   * patient's rarest label; rows that carry a split keep it.
   *
   * @param fractions train, val and test fractions, adding up to 1
   * @throws DatasetException as {@link Splits#grouped}
   */
  public static List<Sample> split(List<Sample> rows, LabelField field, long seed, double[] fractions) {
    int[] counts = counts(rows, field);
    Map<String, Integer> rarest = new HashMap<>();
    for (Sample s : rows) {
      boolean[] hot = parse(s, field, field.column());
      int best = -1;
      for (int c = 0; c < hot.length; c++) {
        if (hot[c] && (best < 0 || counts[c] < counts[best])) {
          best = c;
        }
      }
      rarest.merge(unit(s), best, (a, b) -> a < 0 ? b : b < 0 ? a : counts[b] < counts[a] ? b : a);
    }
    // Patients without findings form the stratum "", labels theirs by name: a fixed order keeps the split seeded.
    return Splits.grouped(rows, s -> {
      int c = rarest.get(unit(s));
      return c < 0 ? "" : field.classes().get(c);
    }, seed, fractions[0], fractions[1], fractions[2]);
  }

  /** The unit a row is split with: its patient, or the row itself (ids are unique). */
  private static String unit(Sample s) {
    return s.patientId() != null ? "patient " + s.patientId() : "row " + s.id();
  }

  /**
   * Warns, through {@code progress}, about each label without a positive row in the whole set or in a split that has
   * rows: its metrics there are undefined.
   */
  public static void warnMissing(List<Sample> rows, LabelField field, ProgressListener progress) {
    int[] total = counts(rows, field);
    Map<Split, List<Sample>> bySplit = new EnumMap<>(Split.class);
    for (Sample s : rows) {
      if (s.split() != null) {
        bySplit.computeIfAbsent(s.split(), k -> new ArrayList<>()).add(s);
      }
    }
    Map<Split, int[]> splitCounts = new EnumMap<>(Split.class);
    bySplit.forEach((split, list) -> splitCounts.put(split, counts(list, field)));
    for (int c = 0; c < total.length; c++) {
      String label = field.classes().get(c);
      if (total[c] == 0) {
        progress.warning("label '" + label + "' has no positive row in the data set; it cannot be learnt or "
            + "scored");
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (Map.Entry<Split, int[]> e : splitCounts.entrySet()) {
        if (e.getValue()[c] == 0) {
          missing.add(e.getKey().id());
        }
      }
      if (!missing.isEmpty()) {
        progress.warning("label '" + label + "' has no positive row in split " + String.join(" or ", missing)
            + " (" + total[c] + " in all); its per-label metrics there are undefined");
      }
    }
  }
}
