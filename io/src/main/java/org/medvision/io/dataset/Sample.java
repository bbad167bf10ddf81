package org.medvision.io.dataset;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One row of a data set, before anything is decoded: its cells by column, and the stratification label, patient and
 * split the generic code needs.
 *
 * @param id the example's id: the absolute path of its first file column (unique in a data set)
 * @param values column name to cell text; file columns hold absolute paths, empty cells are absent
 * @param label the class name of the stratification label (after synonyms), or null when the schema has none
 * @param patientId the patient, or null when unknown
 * @param split the split assigned in the source or by {@link Splits}, or null when not yet assigned
 * @param source the manifest or root folder the row was read from
 * @param line the 1-based manifest line the row started on, or 0 for rows not read from a manifest
 */
public record Sample(String id, Map<String, String> values, String label, String patientId, Split split,
    Path source, int line) {
  /** Checks the required parts and copies the cells. */
  public Sample {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Where the row came from, for messages: {@code <manifest> line <n>}, or the id. */
  public String where() {
    return line > 0 ? source + " line " + line : id;
  }

  /** The cell of {@code column}, or null when it is empty or absent. */
  public String value(String column) {
    return values.get(column);
  }

  /** This row with another stratification label. */
  public Sample withLabel(String newLabel) {
    return new Sample(id, values, newLabel, patientId, split, source, line);
  }

  /** This row in {@code newSplit}. */
  public Sample withSplit(Split newSplit) {
    return new Sample(id, values, label, patientId, newSplit, source, line);
  }
}
