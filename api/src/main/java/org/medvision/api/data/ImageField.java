package org.medvision.api.data;

import java.util.Objects;
import org.medvision.api.task.ImagePreprocessing;

/**
 * A 2-D image: a PNG, JPEG or BMP file, or a single-frame DICOM image. Its tensor is float32 {@code [C, H, W]} after
 * windowing (DICOM), resizing and normalisation as {@code preprocessing} says.
 *
 * @param name example key
 * @param column manifest column holding the file path
 * @param preprocessing channels, size and per-channel normalisation
 * @param windowing how DICOM values become [0, 1]
 * @param alignedTo another image field this one is paired with (the same random spatial augmentation applies to
 *     both, e.g. an initial and a follow-up scan), or empty
 * @param required whether every row must have one
 */
public record ImageField(String name, String column, ImagePreprocessing preprocessing, Windowing windowing,
    String alignedTo, boolean required) implements Field {
  /** Checks the name and requires the parts. */
  public ImageField {
    Field.checkName(name);
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(preprocessing, "preprocessing");
    Objects.requireNonNull(windowing, "windowing");
    alignedTo = alignedTo == null ? "" : alignedTo;
  }

  /** A required image read from column {@code column}, not paired. */
  public static ImageField of(String name, String column, ImagePreprocessing preprocessing, Windowing windowing) {
    return new ImageField(name, column, preprocessing, windowing, "", true);
  }
}
