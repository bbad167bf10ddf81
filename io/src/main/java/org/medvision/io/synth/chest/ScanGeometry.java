package org.medvision.io.synth.chest;

import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;

/**
 * The voxel grid of one synthetic scan: an axial stack in patient (LPS) coordinates, square in-plane pixels.
 *
 * <p>Index {@code x} runs along +L (patient left, DICOM columns), {@code y} along +P (DICOM rows), {@code z} along +S
 * (slice 0 is the most inferior), so {@link #affine()} is diagonal and its origin is the centre of voxel (0, 0, 0).
 * That is exactly the grid and affine {@link org.medvision.io.volume.SeriesAssembler} builds from the DICOM series of
 * the same scan (Image Orientation (Patient) {@code 1\0\0\0\1\0}, positions stepping along +z).
 *
 * @param size voxels along x and along y
 * @param slices voxels along z
 * @param pixelSpacing in-plane spacing in mm (field of view / size)
 * @param sliceSpacing distance between slice centres in mm; slices are as thick as they are apart
 * @param originX LPS x of the centre of voxel (0, 0, 0), mm
 * @param originY LPS y of the centre of voxel (0, 0, 0), mm
 * @param originZ LPS z of the centre of voxel (0, 0, 0), mm
 */
public record ScanGeometry(int size, int slices, double pixelSpacing, double sliceSpacing, double originX,
    double originY, double originZ) {
  /**
   * Checks that the grid is not empty and the spacings positive.
   *
   * @throws MedvisionException otherwise
   */
  public ScanGeometry {
    if (size < 1 || slices < 1 || !(pixelSpacing > 0) || !(sliceSpacing > 0)) {
      throw new MedvisionException("a scan grid needs positive sizes and spacings, got " + size + "x" + size + "x"
          + slices + " at " + pixelSpacing + " x " + sliceSpacing + " mm");
    }
  }

  /** Voxels in the whole grid. */
  public int voxels() {
    return size * size * slices;
  }

  /** Voxel dimensions {@code {size, size, slices}} as a {@link org.medvision.io.volume.Volume} wants them. */
  public int[] dims() {
    return new int[] {size, size, slices};
  }

  /** The voxel-to-LPS affine. */
  public Affine affine() {
    return Affine.diagonal(pixelSpacing, pixelSpacing, sliceSpacing, originX, originY, originZ);
  }

  /** LPS x of column {@code i}, mm. */
  double x(int i) {
    return originX + i * pixelSpacing;
  }

  /** LPS y of row {@code j}, mm. */
  double y(int j) {
    return originY + j * pixelSpacing;
  }

  /** LPS z of slice {@code k}, mm. */
  double z(int k) {
    return originZ + k * sliceSpacing;
  }

  /** Flat index of voxel {@code (i, j, k)}, x fastest. */
  int index(int i, int j, int k) {
    return i + size * (j + size * k);
  }
}
