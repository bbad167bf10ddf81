package org.medvision.io.dicom;

import org.medvision.dicom.DataSet;
import org.medvision.dicom.FunctionalGroups;
import org.medvision.dicom.Tags;

/**
 * The geometry and window of one frame, wherever the object keeps them (see {@link FunctionalGroups}): a frame's
 * Per-Frame Functional Groups item, the Shared Functional Groups item, or the top-level data set.
 *
 * @param position Image Position (Patient), or null
 * @param orientation Image Orientation (Patient), or null
 * @param pixelSpacing Pixel Spacing (row, column), or null
 * @param windowCenter the first Window Center as text, or null
 * @param windowWidth the first Window Width as text, or null
 */
record FrameAttributes(double[] position, double[] orientation, double[] pixelSpacing, String windowCenter,
    String windowWidth) {

  /**
   * The attributes of frame {@code index} (0-based) of {@code dataSet}.
   *
   * @throws org.medvision.dicom.DicomException when a numeric value cannot be parsed (the message names the tag)
   */
  static FrameAttributes of(DataSet dataSet, int index) {
    FunctionalGroups groups = FunctionalGroups.of(dataSet, index);
    double[] position = groups.holder(Tags.PLANE_POSITION_SEQUENCE, Tags.IMAGE_POSITION_PATIENT)
        .doubles(Tags.IMAGE_POSITION_PATIENT);
    double[] orientation = groups.holder(Tags.PLANE_ORIENTATION_SEQUENCE, Tags.IMAGE_ORIENTATION_PATIENT)
        .doubles(Tags.IMAGE_ORIENTATION_PATIENT);
    double[] spacing = groups.holder(Tags.PIXEL_MEASURES_SEQUENCE, Tags.PIXEL_SPACING).doubles(Tags.PIXEL_SPACING);
    String center = groups.holder(Tags.FRAME_VOILUT_SEQUENCE, Tags.WINDOW_CENTER).string(Tags.WINDOW_CENTER)
        .orElse(null);
    String width = groups.holder(Tags.FRAME_VOILUT_SEQUENCE, Tags.WINDOW_WIDTH).string(Tags.WINDOW_WIDTH)
        .orElse(null);
    return new FrameAttributes(usable(position, 3), usable(orientation, 6), usable(spacing, 2), center, width);
  }

  /** Null unless exactly {@code length} finite values are present: files with empty or partial values exist. */
  private static double[] usable(double[] values, int length) {
    if (values.length != length) {
      return null;
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return null;
      }
    }
    return values;
  }
}
