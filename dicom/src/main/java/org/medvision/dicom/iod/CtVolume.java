package org.medvision.dicom.iod;

import java.util.List;
import org.medvision.dicom.DicomException;

/**
 * A CT volume in Hounsfield units with its geometry in patient (LPS) coordinates, as input to
 * {@link CtSeriesWriter}.
 *
 * @param rows pixels per column of a slice
 * @param columns pixels per row of a slice
 * @param slices one {@code rows * columns} row-major array of HU per slice, in order along the slice normal
 * @param rowSpacing distance between rows in mm (first value of Pixel Spacing)
 * @param columnSpacing distance between columns in mm (second value of Pixel Spacing)
 * @param sliceSpacing distance between slice centres along the normal in mm
 * @param sliceThickness nominal slice thickness in mm
 * @param origin centre of the first pixel of the first slice, LPS mm
 * @param orientation row direction cosines then column direction cosines (Image Orientation (Patient))
 */
public record CtVolume(int rows, int columns, List<float[]> slices, double rowSpacing, double columnSpacing,
    double sliceSpacing, double sliceThickness, double[] origin, double[] orientation) {
  /** Axial orientation: rows along +x (patient left), columns along +y (posterior). */
  public static final double[] AXIAL = {1, 0, 0, 0, 1, 0};

  /**
   * Checks sizes, spacings and the orientation, and copies the slice list.
   *
   * @throws DicomException naming the slice or parameter that is wrong
   */
  public CtVolume {
    if (rows < 1 || columns < 1 || rows > 65535 || columns > 65535) {
      throw new DicomException("CT volume slices must be 1 to 65535 pixels a side, got " + rows + "x" + columns);
    }
    slices = List.copyOf(slices);
    if (slices.isEmpty()) {
      throw new DicomException("CT volume has no slices");
    }
    for (int i = 0; i < slices.size(); i++) {
      if (slices.get(i).length != rows * columns) {
        throw new DicomException("CT volume slice " + i + " has " + slices.get(i).length + " values, expected "
            + rows + "x" + columns);
      }
    }
    if (!(rowSpacing > 0 && columnSpacing > 0 && sliceSpacing > 0 && sliceThickness > 0)) {
      throw new DicomException("CT volume spacings and slice thickness must be positive, got " + rowSpacing + ", "
          + columnSpacing + ", " + sliceSpacing + ", " + sliceThickness);
    }
    if (origin.length != 3 || orientation.length != 6) {
      throw new DicomException("CT volume needs a 3-value origin and a 6-value orientation");
    }
    origin = origin.clone();
    orientation = orientation.clone();
    double rowNorm = Math.sqrt(orientation[0] * orientation[0] + orientation[1] * orientation[1]
        + orientation[2] * orientation[2]);
    double colNorm = Math.sqrt(orientation[3] * orientation[3] + orientation[4] * orientation[4]
        + orientation[5] * orientation[5]);
    double dot = orientation[0] * orientation[3] + orientation[1] * orientation[4] + orientation[2] * orientation[5];
    if (Math.abs(rowNorm - 1) > 1e-6 || Math.abs(colNorm - 1) > 1e-6 || Math.abs(dot) > 1e-6) {
      throw new DicomException("CT volume orientation must be two orthogonal unit vectors");
    }
  }

  /** The origin (copy). */
  @Override
  public double[] origin() {
    return origin.clone();
  }

  /** The orientation (copy). */
  @Override
  public double[] orientation() {
    return orientation.clone();
  }

  /** The unit normal, row direction x column direction. */
  public double[] normal() {
    double[] o = orientation;
    return new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
  }

  /** The centre of the first pixel of slice {@code index}, LPS mm. */
  public double[] position(int index) {
    double[] n = normal();
    return new double[] {origin[0] + index * sliceSpacing * n[0], origin[1] + index * sliceSpacing * n[1],
        origin[2] + index * sliceSpacing * n[2]};
  }
}
