package org.medvision.dicom.iod;

import java.util.List;
import org.medvision.dicom.DicomException;

/**
 * One binary segment of a {@link SegmentationWriter} object: a label, what it is (category and type codes) and one
 * mask per source image.
 *
 * @param label Segment Label, e.g. {@code lesion}
 * @param category Segmented Property Category, e.g. {@link #MORPHOLOGICALLY_ALTERED_STRUCTURE}
 * @param type Segmented Property Type, e.g. {@link #LESION}
 * @param masks one {@code Rows * Columns} row-major mask per source image, in the order of the sources
 */
public record Segment(String label, Code category, Code type, List<boolean[]> masks) {
  /** (49755003, SCT, "Morphologically Altered Structure"), the category of lesions. */
  public static final Code MORPHOLOGICALLY_ALTERED_STRUCTURE = Code.sct("49755003",
      "Morphologically Altered Structure");
  /** (52988006, SCT, "Lesion"). */
  public static final Code LESION = Code.sct("52988006", "Lesion");

  /**
   * Checks the label and copies the mask list (the arrays themselves are not copied).
   *
   * @throws DicomException when the label is empty or there are no masks
   */
  public Segment {
    if (label == null || label.isBlank()) {
      throw new DicomException("a segment needs a label");
    }
    masks = List.copyOf(masks);
    if (masks.isEmpty()) {
      throw new DicomException("segment '" + label + "' has no masks");
    }
  }

  /** A lesion segment (category morphologically altered structure, type lesion). */
  public static Segment lesion(String label, List<boolean[]> masks) {
    return new Segment(label, MORPHOLOGICALLY_ALTERED_STRUCTURE, LESION, masks);
  }
}
