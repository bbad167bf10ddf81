package org.medvision.io.dataset;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled image of a data set, before any image is read.
 *
 * @param path the image file, absolute
 * @param label the label as written (or, after {@link LabelMapping#apply}, the task's class name)
 * @param patientId the patient the image belongs to, or null when unknown
 * @param split the split assigned in the source or by {@link Splits}, or null when not yet assigned
 * @param source the manifest or root folder the sample was read from
 * @param line the 1-based manifest line the row started on, or 0 for samples not read from a manifest
 */
public record Sample(Path path, String label, String patientId, Split split, Path source, int line) {
  /**
   * Checks the required fields.
   *
   * @throws NullPointerException if path, label or source is null
   */
  public Sample {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(source, "source");
  }

  /** Where the sample came from, for messages: {@code <manifest> line <n>}, or the image path. */
  public String where() {
    return line > 0 ? source + " line " + line : path.toString();
  }

  /** This sample with another label. */
  public Sample withLabel(String newLabel) {
    return new Sample(path, newLabel, patientId, split, source, line);
  }

  /** This sample in {@code newSplit}. */
  public Sample withSplit(Split newSplit) {
    return new Sample(path, label, patientId, newSplit, source, line);
  }
}
