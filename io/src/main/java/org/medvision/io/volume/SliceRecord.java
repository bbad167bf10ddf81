package org.medvision.io.volume;

import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;
import org.medvision.api.MedvisionException;

/**
 * What one 2D image contributes to a series volume: identity, geometry and a supplier of its pixels. A multi-frame
 * object contributes one record per frame.
 *
 * <p>The fields mirror DICOM attributes so an adapter from a parsed file is a direct copy: Image Position (Patient)
 * (0020,0032), Image Orientation (Patient) (0020,0037) and Pixel Spacing (0028,0030), all in LPS millimetres. A
 * geometry array is {@code null} when the file lacks it; assembly then reports missing geometry instead of failing.
 * Array arguments are copied and accessors return copies.
 *
 * @param seriesInstanceUid Series Instance UID (0020,000E), the grouping key
 * @param sopInstanceUid SOP Instance UID (0008,0018), for messages and references
 * @param instanceNumber Instance Number (0020,0013) if present, the tie-breaker and the order without geometry
 * @param imagePosition x, y, z of the centre of the first transmitted pixel, or {@code null}
 * @param imageOrientation row direction cosines then column direction cosines (6 values), or {@code null}
 * @param pixelSpacing DICOM order: spacing between rows (along a column), then between columns, or {@code null}
 * @param rows number of rows (the y extent)
 * @param columns number of columns (the x extent)
 * @param pixels supplier of the rescaled pixel values
 * @param source file name (or other label) used in every message about this slice
 * @param frameNumber 1-based frame within a multi-frame object; 1 for single-frame images
 */
public record SliceRecord(
    String seriesInstanceUid,
    String sopInstanceUid,
    OptionalInt instanceNumber,
    double[] imagePosition,
    double[] imageOrientation,
    double[] pixelSpacing,
    int rows,
    int columns,
    SlicePixels pixels,
    String source,
    int frameNumber) {

  /**
   * Checks and copies the arguments.
   *
   * @throws MedvisionException if a geometry array has the wrong length or non-finite values, the size is not
   *     positive, the frame number is below 1, or a required reference is null; the message names the source
   */
  public SliceRecord {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(seriesInstanceUid, "seriesInstanceUid of " + source);
    Objects.requireNonNull(sopInstanceUid, "sopInstanceUid of " + source);
    Objects.requireNonNull(instanceNumber, "instanceNumber of " + source);
    Objects.requireNonNull(pixels, "pixels of " + source);
    imagePosition = checked(imagePosition, 3, "Image Position (Patient)", source);
    imageOrientation = checked(imageOrientation, 6, "Image Orientation (Patient)", source);
    pixelSpacing = checked(pixelSpacing, 2, "Pixel Spacing", source);
    if (pixelSpacing != null && !(pixelSpacing[0] > 0 && pixelSpacing[1] > 0)) {
      throw new MedvisionException(source + ": Pixel Spacing must be positive, got " + Arrays.toString(pixelSpacing));
    }
    if (rows < 1 || columns < 1) {
      throw new MedvisionException(source + ": Rows and Columns must be positive, got " + rows + " x " + columns);
    }
    if (frameNumber < 1) {
      throw new MedvisionException(source + ": frame numbers start at 1, got " + frameNumber);
    }
  }

  private static double[] checked(double[] values, int length, String name, String source) {
    if (values == null) {
      return null;
    }
    if (values.length != length) {
      throw new MedvisionException(source + ": " + name + " needs " + length + " values, got "
          + Arrays.toString(values));
    }
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new MedvisionException(source + ": " + name + " has a non-finite value: " + Arrays.toString(values));
      }
    }
    return values.clone();
  }

  /** A copy of Image Position (Patient), or {@code null}. */
  @Override
  public double[] imagePosition() {
    return imagePosition == null ? null : imagePosition.clone();
  }

  /** A copy of Image Orientation (Patient), or {@code null}. */
  @Override
  public double[] imageOrientation() {
    return imageOrientation == null ? null : imageOrientation.clone();
  }

  /** A copy of Pixel Spacing (row spacing, column spacing), or {@code null}. */
  @Override
  public double[] pixelSpacing() {
    return pixelSpacing == null ? null : pixelSpacing.clone();
  }

  /** True when both position and orientation are known, so the slice can be placed in space. */
  public boolean hasPlacement() {
    return imagePosition != null && imageOrientation != null;
  }

  /** The source, with the frame number for frames of multi-frame objects, e.g. {@code "xa.dcm frame 3"}. */
  public String label() {
    return frameNumber == 1 ? source : source + " frame " + frameNumber;
  }

  /** Equality by the identifying fields and geometry values (arrays by content), ignoring the pixel supplier. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SliceRecord)) {
      return false;
    }
    SliceRecord s = (SliceRecord) o;
    return seriesInstanceUid.equals(s.seriesInstanceUid) && sopInstanceUid.equals(s.sopInstanceUid)
        && instanceNumber.equals(s.instanceNumber) && Arrays.equals(imagePosition, s.imagePosition)
        && Arrays.equals(imageOrientation, s.imageOrientation) && Arrays.equals(pixelSpacing, s.pixelSpacing)
        && rows == s.rows && columns == s.columns && source.equals(s.source) && frameNumber == s.frameNumber;
  }

  /** Hash consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return Objects.hash(seriesInstanceUid, sopInstanceUid, instanceNumber, Arrays.hashCode(imagePosition),
        Arrays.hashCode(imageOrientation), Arrays.hashCode(pixelSpacing), rows, columns, source, frameNumber);
  }

  /** A one-line summary naming the source and the geometry. */
  @Override
  public String toString() {
    return "SliceRecord[" + label() + ", series " + seriesInstanceUid + ", instance "
        + (instanceNumber.isPresent() ? String.valueOf(instanceNumber.getAsInt()) : "-") + ", position "
        + Arrays.toString(imagePosition) + ", orientation " + Arrays.toString(imageOrientation) + ", spacing "
        + Arrays.toString(pixelSpacing) + ", " + rows + "x" + columns + "]";
  }
}
