package org.medvision.tasks.covidsa;

import java.util.Locale;
import org.medvision.api.data.MaskEstimator;
import org.medvision.api.metrics.ConnectedComponents;
import org.medvision.api.metrics.Connectivity;

/**
 * A classical lung mask from HU values, so that a bare chest CT can be cropped to its lungs at prediction time
 * (training manifests bring their own lung masks; the paper's came from a segmentation network, so this estimate is a
 * proposal, meant only to place the crop). Deterministic, pure Java, a few passes over the volume:
 * <ol>
 *   <li>air: voxels below {@code airHu} (−400 HU by default: aerated lung is about −850 HU and ground-glass −700 to
 *       −500 HU, while soft tissue, vessels and consolidation lie above −100 HU);
 *   <li>outside air removed: air components (6-connected in 3-D) touching the in-plane border of the volume (the
 *       x and y faces of any slice) are the air around the body and the scanner's zero-padded field of view. The
 *       first and last slices are <em>not</em> border: scans often start or end inside the lungs, and the trachea
 *       leaves through the top;
 *   <li>largest components: of the remaining air, the largest component is kept, and the second largest too when it
 *       holds at least {@code secondFraction} of the largest's voxels (both lungs when the trachea and main bronchi
 *       do not join them at this resolution), which leaves out bowel gas and small air pockets;
 *   <li>holes filled slice by slice: in each axial slice, background regions enclosed by the mask (4-connected, not
 *       reaching the slice's edge) become lung, so vessels, nodules and consolidation inside the lung are included.
 * </ol>
 * Limits, acceptable for a crop that gets a margin: consolidation on the pleura is a concavity rather than a hole and
 * stays out; a collapsed lung smaller than {@code secondFraction} of the other is dropped; a volume with no enclosed
 * air gives an empty mask, and the volume is then used uncropped. Memory: about 6 bytes per voxel on top of the
 * volume (the air flags and the component labels), some 0.3 GB for a 512×512×200 scan.
 *
 * @param airHu voxels strictly below this are air
 * @param secondFraction the second-largest air component is kept when its size is at least this fraction of the
 *     largest's
 */
record LungMaskEstimator(double airHu, double secondFraction) implements MaskEstimator {
  /** The default air threshold, in HU. */
  static final double AIR_HU = -400;
  /** The default size of the second lung relative to the first, below which it is taken for other air. */
  static final double SECOND_FRACTION = 0.1;

  /** Checks the parameters. */
  LungMaskEstimator {
    if (!Double.isFinite(airHu) || !(secondFraction >= 0 && secondFraction <= 1)) {
      throw new IllegalArgumentException("lung mask estimator: need a finite air threshold and a second-component "
          + "fraction in [0, 1], got " + airHu + " and " + secondFraction);
    }
  }

  /** The estimator with the default thresholds. */
  static LungMaskEstimator standard() {
    return new LungMaskEstimator(AIR_HU, SECOND_FRACTION);
  }

  @Override
  public byte[] estimate(float[] voxels, int[] dims, double[] spacing) {
    int nx = dims[0];
    int ny = dims[1];
    int nz = dims[2];
    if ((long) nx * ny * nz != voxels.length) {
      throw new IllegalArgumentException("lung mask estimator: " + voxels.length + " voxels for dimensions " + nx
          + "x" + ny + "x" + nz);
    }
    boolean[] air = new boolean[voxels.length];
    for (int i = 0; i < air.length; i++) {
      air[i] = voxels[i] < airHu;
    }
    // x fastest, then y, then z is row-major over (z, y, x).
    ConnectedComponents components = ConnectedComponents.label(air, new int[] {nz, ny, nx}, Connectivity.FACE);
    boolean[] keep = lungComponents(components, outsideLabels(components, nx, ny, nz));
    byte[] mask = new byte[voxels.length];
    for (int i = 0; i < mask.length; i++) {
      int label = components.labelAt(i);
      mask[i] = label > 0 && keep[label] ? (byte) 1 : 0;
    }
    fillHolesPerSlice(mask, nx, ny, nz);
    return mask;
  }

  @Override
  public String description() {
    return String.format(Locale.ROOT, "lung mask estimated from HU: air below %.0f HU not connected to the in-plane"
        + " border, the largest component (and the second if at least %.0f%% of it), holes filled slice by slice",
        airHu, secondFraction * 100);
  }

  /** Flags the labels of components that reach an x or y face of the volume. */
  private static boolean[] outsideLabels(ConnectedComponents c, int nx, int ny, int nz) {
    boolean[] outside = new boolean[c.count() + 1];
    for (int z = 0; z < nz; z++) {
      int slice = z * nx * ny;
      for (int x = 0; x < nx; x++) {
        outside[c.labelAt(slice + x)] = true;
        outside[c.labelAt(slice + (ny - 1) * nx + x)] = true;
      }
      for (int y = 0; y < ny; y++) {
        outside[c.labelAt(slice + y * nx)] = true;
        outside[c.labelAt(slice + y * nx + nx - 1)] = true;
      }
    }
    return outside;
  }

  /** The labels to keep: the largest inside component, and the second largest if it is big enough. */
  private boolean[] lungComponents(ConnectedComponents c, boolean[] outside) {
    int first = 0;
    int second = 0;
    for (int label = 1; label <= c.count(); label++) {
      if (outside[label]) {
        continue;
      }
      if (first == 0 || c.size(label) > c.size(first)) {
        second = first;
        first = label;
      } else if (second == 0 || c.size(label) > c.size(second)) {
        second = label;
      }
    }
    boolean[] keep = new boolean[c.count() + 1];
    if (first > 0) {
      keep[first] = true;
      if (second > 0 && c.size(second) >= secondFraction * c.size(first)) {
        keep[second] = true;
      }
    }
    return keep;
  }

  /** Sets every background region of each axial slice that does not reach the slice's edge. */
  private static void fillHolesPerSlice(byte[] mask, int nx, int ny, int nz) {
    boolean[] background = new boolean[nx * ny];
    for (int z = 0; z < nz; z++) {
      int offset = z * nx * ny;
      for (int i = 0; i < background.length; i++) {
        background[i] = mask[offset + i] == 0;
      }
      ConnectedComponents regions = ConnectedComponents.label(background, new int[] {ny, nx}, Connectivity.FACE);
      boolean[] open = new boolean[regions.count() + 1];
      for (int x = 0; x < nx; x++) {
        open[regions.labelAt(x)] = true;
        open[regions.labelAt((ny - 1) * nx + x)] = true;
      }
      for (int y = 0; y < ny; y++) {
        open[regions.labelAt(y * nx)] = true;
        open[regions.labelAt(y * nx + nx - 1)] = true;
      }
      for (int i = 0; i < background.length; i++) {
        int label = regions.labelAt(i);
        if (label > 0 && !open[label]) {
          mask[offset + i] = 1;
        }
      }
    }
  }
}
