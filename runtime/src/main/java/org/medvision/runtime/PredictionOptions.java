package org.medvision.runtime;

import java.nio.file.Path;
import org.medvision.api.data.Windowing;

/**
 * Where a prediction writes its DICOM and NIfTI results, and how it reads DICOM values; null folders write nothing.
 *
 * @param srDir Comprehensive SR per DICOM input with the class or label probabilities and provenance
 * @param scDir Secondary Capture overlays: the task's map over each source slice, or for 2-D classifiers without a
 *     map an occlusion-sensitivity map of the predicted class
 * @param mapDir maps and generated images: NIfTI on the source grid for scans, PNG overlays for image files, and
 *     Secondary Capture overlays per source slice for DICOM inputs
 * @param segDir DICOM SEG of detections with masks
 * @param window the windowing of DICOM and NIfTI values instead of the task's, or null for the task's
 */
public record PredictionOptions(Path srDir, Path scDir, Path mapDir, Path segDir, Windowing window) {
  /** No files, the task's windowing. */
  public static PredictionOptions none() {
    return new PredictionOptions(null, null, null, null, null);
  }

  /** Whether anything is written. */
  public boolean writesFiles() {
    return srDir != null || scDir != null || mapDir != null || segDir != null;
  }
}
