package org.medvision.api.data;

/**
 * What samplers and splits see of a data set: one row per example with its id, patient, class and attributes, and
 * nothing decoded. Row indices are the data set's example indices.
 */
public interface ExampleTable {
  /** Number of examples. */
  int size();

  /** Example {@code row}'s id (unique in the data set). */
  String id(int row);

  /** Its patient, or null when unknown. */
  String patient(int row);

  /** Its class index in the schema's stratification label field, or -1 when the schema has none. */
  int label(int row);

  /** The class names of that label field (empty when there is none). */
  java.util.List<String> classes();

  /**
   * The classes label field {@code field} names for example {@code row}, as class indices in order: the way a
   * recipe counts label frequencies of multi-label data (one index, or none, for a single-label field).
   *
   * @throws org.medvision.api.MedvisionException when the schema has no such label field, or the row's cell names an
   *     unknown label
   */
  int[] labelsOf(int row, String field);

  /** Attribute {@code name} of example {@code row}, or NaN when the row has none. */
  double attribute(int row, String name);

  /** Where the row came from (manifest and line, or file), for messages. */
  String where(int row);
}
