package org.medvision.io.synth.chest;

import org.medvision.io.volume.Volume;

/**
 * One synthetic chest CT scan: the image in whole Hounsfield units, its lung and infection masks on the same grid,
 * and the ground truth of how each voxel was drawn (its {@link ChestTissue} and noise-free value).
 *
 * <p>The infection mask is exactly the lung voxels a lesion was painted on, so it is a subset of the lung mask; the
 * lung mask includes the vessels and airways inside the lungs, as a lung segmentation would. Instances are immutable.
 */
public final class ChestCtScan {
  private static final ChestTissue[] TISSUES = ChestTissue.values();

  private final ChestCtClass diagnosis;
  private final ScanGeometry geometry;
  private final short[] hu;
  private final byte[] tissue;
  private final float[] clean;
  private final byte[] lung;
  private final byte[] infection;
  private final int lungVoxels;
  private final int infectedVoxels;

  ChestCtScan(ChestCtClass diagnosis, ScanGeometry geometry, short[] hu, byte[] tissue, float[] clean, byte[] lung,
      byte[] infection) {
    this.diagnosis = diagnosis;
    this.geometry = geometry;
    this.hu = hu;
    this.tissue = tissue;
    this.clean = clean;
    this.lung = lung;
    this.infection = infection;
    this.lungVoxels = count(lung);
    this.infectedVoxels = count(infection);
  }

  private static int count(byte[] mask) {
    int n = 0;
    for (byte b : mask) {
      n += b;
    }
    return n;
  }

  /** The class the scan shows. */
  public ChestCtClass diagnosis() {
    return diagnosis;
  }

  /** The voxel grid and its LPS placement. */
  public ScanGeometry geometry() {
    return geometry;
  }

  /** The image, HU (whole numbers from -1024 to 3071), on {@link #geometry()}'s grid and affine. */
  public Volume ct() {
    float[] v = new float[hu.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = hu[i];
    }
    return Volume.adopt(geometry.dims(), v, geometry.affine());
  }

  /** The lung mask: 1 in either lung (vessels, airways and lesions inside included), else 0. */
  public Volume lungMask() {
    return mask(lung);
  }

  /** The infection mask: 1 where a lesion was painted, always inside the lung mask, else 0. */
  public Volume infectionMask() {
    return mask(infection);
  }

  private Volume mask(byte[] m) {
    float[] v = new float[m.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = m[i];
    }
    return Volume.adopt(geometry.dims(), v, geometry.affine());
  }

  /** The image value at voxel {@code (x, y, z)}, HU. */
  public int hu(int x, int y, int z) {
    return hu[geometry.index(x, y, z)];
  }

  /** What voxel {@code (x, y, z)} was drawn as. */
  public ChestTissue tissue(int x, int y, int z) {
    return TISSUES[tissue[geometry.index(x, y, z)]];
  }

  /**
   * The noise-free value of voxel {@code (x, y, z)} before partial volume, noise and blur, HU; within
   * {@link #tissue}'s range.
   */
  public float cleanHu(int x, int y, int z) {
    return clean[geometry.index(x, y, z)];
  }

  /** Voxels in the lung mask. */
  public int lungVoxels() {
    return lungVoxels;
  }

  /** Voxels in the infection mask. */
  public int infectedVoxels() {
    return infectedVoxels;
  }

  /** Infected over lung voxels, the size measure a size-balanced sampler bins by. */
  public double infectionRatio() {
    return lungVoxels == 0 ? 0 : (double) infectedVoxels / lungVoxels;
  }
}
