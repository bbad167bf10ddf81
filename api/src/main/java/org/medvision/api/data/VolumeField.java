package org.medvision.api.data;

import java.util.Objects;

/**
 * A 3-D scan: a NIfTI file ({@code .nii}, {@code .nii.gz}) or a folder holding one DICOM series. Its tensor is
 * float32 {@code [1, D, H, W]} after the steps of {@code preprocessing}; D runs along the slice axis.
 *
 * @param name example key
 * @param column manifest column holding the path
 * @param preprocessing crop, intensity and resizing steps
 * @param required whether every row must have one
 */
public record VolumeField(String name, String column, VolumePreprocessing preprocessing, boolean required)
    implements Field {
  /** Checks the name and requires the parts. */
  public VolumeField {
    Field.checkName(name);
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(preprocessing, "preprocessing");
  }
}
