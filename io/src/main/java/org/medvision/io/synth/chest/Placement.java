package org.medvision.io.synth.chest;

/**
 * Where the body frame sits in the scanner's (LPS) frame: the body axis at LPS {@code (centerX, centerY)} and the
 * lung bases (body-frame z = 0) at LPS z {@code baseZ}, all mm. The axes are parallel, so mapping is a shift.
 *
 * @param centerX LPS x of the body axis
 * @param centerY LPS y of the body axis
 * @param baseZ LPS z of the lung bases
 */
record Placement(double centerX, double centerY, double baseZ) {
  /** Body-frame x of column {@code i}. */
  double bodyX(ScanGeometry grid, int i) {
    return grid.x(i) - centerX;
  }

  /** Body-frame y of row {@code j}. */
  double bodyY(ScanGeometry grid, int j) {
    return grid.y(j) - centerY;
  }

  /** Body-frame z of slice {@code k}. */
  double bodyZ(ScanGeometry grid, int k) {
    return grid.z(k) - baseZ;
  }

  /** Fractional column of body-frame x. */
  double column(ScanGeometry grid, double x) {
    return (x + centerX - grid.originX()) / grid.pixelSpacing();
  }

  /** Fractional row of body-frame y. */
  double row(ScanGeometry grid, double y) {
    return (y + centerY - grid.originY()) / grid.pixelSpacing();
  }

  /** Fractional slice of body-frame z. */
  double slice(ScanGeometry grid, double z) {
    return (z + baseZ - grid.originZ()) / grid.sliceSpacing();
  }
}
