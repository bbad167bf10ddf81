package org.medvision.io.dicom;

import java.util.List;
import java.util.Optional;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.Tags;

/**
 * The attributes of one frame that an enhanced multi-frame object keeps in functional groups (PS3.3 C.7.6.16): a
 * frame's Per-Frame Functional Groups item wins over the Shared Functional Groups item, which wins over the top-level
 * data set (where single-frame and classic multi-frame objects keep them).
 *
 * @param position Image Position (Patient), or null
 * @param orientation Image Orientation (Patient), or null
 * @param pixelSpacing Pixel Spacing (row, column), or null
 * @param rescaleSlope Rescale Slope, 1 when absent
 * @param rescaleIntercept Rescale Intercept, 0 when absent
 * @param windowCenter the first Window Center as text, or null
 * @param windowWidth the first Window Width as text, or null
 */
record FrameAttributes(double[] position, double[] orientation, double[] pixelSpacing, double rescaleSlope,
    double rescaleIntercept, String windowCenter, String windowWidth) {

  /**
   * The attributes of frame {@code index} (0-based) of {@code dataSet}.
   *
   * @throws org.medvision.dicom.DicomException when a numeric value cannot be parsed (the message names the tag)
   */
  static FrameAttributes of(DataSet dataSet, int index) {
    List<DataSet> perFrame = dataSet.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    DataSet frame = index < perFrame.size() ? perFrame.get(index) : null;
    DataSet shared = dataSet.sequence(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE).stream().findFirst().orElse(null);
    double[] position = numbers(dataSet, frame, shared, Tags.PLANE_POSITION_SEQUENCE, Tags.IMAGE_POSITION_PATIENT);
    double[] orientation = numbers(dataSet, frame, shared, Tags.PLANE_ORIENTATION_SEQUENCE,
        Tags.IMAGE_ORIENTATION_PATIENT);
    double[] spacing = numbers(dataSet, frame, shared, Tags.PIXEL_MEASURES_SEQUENCE, Tags.PIXEL_SPACING);
    double[] slope = numbers(dataSet, frame, shared, Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE, Tags.RESCALE_SLOPE);
    double[] intercept = numbers(dataSet, frame, shared, Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE,
        Tags.RESCALE_INTERCEPT);
    String center = text(dataSet, frame, shared, Tags.FRAME_VOILUT_SEQUENCE, Tags.WINDOW_CENTER);
    String width = text(dataSet, frame, shared, Tags.FRAME_VOILUT_SEQUENCE, Tags.WINDOW_WIDTH);
    return new FrameAttributes(usable(position, 3), usable(orientation, 6), usable(spacing, 2),
        slope == null || slope.length == 0 || !Double.isFinite(slope[0]) ? 1 : slope[0],
        intercept == null || intercept.length == 0 || !Double.isFinite(intercept[0]) ? 0 : intercept[0], center,
        width);
  }

  /** The value from the frame's group, the shared group or the top level, in that order. */
  private static double[] numbers(DataSet top, DataSet frame, DataSet shared, int macro, int tag) {
    for (DataSet groups : new DataSet[] {frame, shared}) {
      Optional<DataSet> item = groups == null ? Optional.empty() : groups.item(macro, 0);
      if (item.isPresent() && item.get().contains(tag)) {
        return item.get().doubles(tag);
      }
    }
    return top.contains(tag) ? top.doubles(tag) : null;
  }

  private static String text(DataSet top, DataSet frame, DataSet shared, int macro, int tag) {
    for (DataSet groups : new DataSet[] {frame, shared}) {
      Optional<DataSet> item = groups == null ? Optional.empty() : groups.item(macro, 0);
      if (item.isPresent() && item.get().contains(tag)) {
        return item.get().string(tag).orElse(null);
      }
    }
    return top.string(tag).orElse(null);
  }

  /** Null unless exactly {@code length} finite values are present: files with empty or partial values exist. */
  private static double[] usable(double[] values, int length) {
    if (values == null || values.length != length) {
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
