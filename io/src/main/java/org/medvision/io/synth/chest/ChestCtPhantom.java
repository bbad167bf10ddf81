package org.medvision.io.synth.chest;

import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;

/**
 * Draws synthetic 3-D chest CT scans in Hounsfield units with lung and infection masks.
 *
 * <p>Anatomy ({@link Thorax}): air outside the body; an outline that varies along z, subcutaneous fat, chest-wall
 * muscle with ribs and sternum; the spine; the mediastinum with heart, pericardial fat, aorta, trachea and main
 * bronchi; two irregular lungs, the right one larger, with a denser back (gravity); pulmonary vessels and bronchi that
 * branch from each hilum and thin towards the pleura ({@link BranchingTree}). Lesions ({@link CovidFoci},
 * {@link CapFoci}) replace lung parenchyma inside the lung mask only. Vessels show through ground glass but vanish in
 * consolidation; airways show through everything, which makes the air bronchograms of a consolidation. Thin tubes
 * enter the image with partial volume; then {@link ReconstructionKernel} adds noise and blur, and values are rounded
 * to whole HU in -1024..3071.
 *
 * <p>Geometry ({@link ScanGeometry}): a {@code size x size} matrix over a field of view of 320 to 400 mm chosen to fit
 * the body (1.08 to 1.25 times its width), {@code size / 2} axial slices spaced 1.5 to 2.5 times the pixel spacing
 * and covering the lungs with 40 to 110 mm to spare (the spacing gives way if both cannot hold), so {@code --size 64}
 * gives 64 x 64 x 32. The body is off-centre by up to 4.5% of the field of view (3 voxels at 64); the lungs start 20
 * mm or more above the first slice and end 20 mm or more below the last. Spacings are rounded to 0.001 mm and the
 * origin to 0.01 mm, so they survive a DICOM round trip.
 *
 * <p>Randomness: the patient's generator decides the anatomy, the scan's generator the breathing depth (lung height
 * times 0.96 to 1.04), geometry, placement, lesions and noise. So two scans of one patient share an anatomy and
 * differ in everything else. Output is a pure function of the two generators' states. Instances are immutable and
 * thread-safe.
 */
public final class ChestCtPhantom {
  /** Smallest matrix: below it ribs, vessels and small lesions no longer show. */
  public static final int MIN_SIZE = 32;
  /** Largest matrix: 256 x 256 x 128 takes about 250 MB of working memory and several seconds per scan drawn. */
  public static final int MAX_SIZE = 256;

  private final int size;

  /**
   * A phantom drawing {@code size x size x size / 2} scans.
   *
   * @throws MedvisionException if {@code size} is outside {@link #MIN_SIZE}..{@link #MAX_SIZE}
   */
  public ChestCtPhantom(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new MedvisionException("synthetic chest CT needs a matrix of " + MIN_SIZE + " to " + MAX_SIZE
          + " voxels a side, got " + size);
    }
    this.size = size;
  }

  /** In-plane matrix size. */
  public int size() {
    return size;
  }

  /** Number of slices per scan. */
  public int slices() {
    return size / 2;
  }

  /**
   * Draws one scan of class {@code diagnosis} whose infection covers {@code targetRatio} of the lung voxels (to the
   * voxel, unless a CAP consolidation fills all the lobes it is confined to first).
   *
   * @param patient the patient's generator: anatomy
   * @param scan the scan's generator: everything else
   * @throws MedvisionException if {@code targetRatio} is not in (0, 1)
   */
  public ChestCtScan generate(ChestCtClass diagnosis, double targetRatio, SplittableRandom patient,
      SplittableRandom scan) {
    if (!(targetRatio > 0 && targetRatio < 1)) {
      throw new MedvisionException("infection ratio must be between 0 and 1, got " + targetRatio);
    }
    Thorax thorax = new Thorax(patient, Draw.uniform(scan, 0.96, 1.04));
    ScanGeometry grid = geometry(scan, thorax);
    Placement placement = placement(scan, grid, thorax);
    int n = grid.voxels();
    byte[] tissue = new byte[n];
    float[] clean = new float[n];
    float[] texture = new float[n];
    byte[] lung = new byte[n];
    LungVoxels lungs = anatomy(thorax, grid, placement, tissue, clean, texture, lung);

    byte[] infection = new byte[n];
    InfectionPattern pattern = diagnosis == ChestCtClass.COVID
        ? CovidFoci.draw(scan, lungs, thorax.lungHeight(), grid.pixelSpacing(), targetRatio > 0.05)
        : CapFoci.draw(scan, lungs, targetRatio);
    pattern.paint(lungs, targetRatio, texture, tissue, clean, infection);

    float[] vessels = new float[n];
    float[] airways = new float[n];
    for (int side = 0; side < 2; side++) {
      double[] hilum = thorax.mediastinum().hilum(side);
      BranchingTree.grow(scan, thorax.lungs(), hilum, trunks(scan, side), Draw.uniform(scan, 5.5, 7.5), 0.6,
          Draw.uniform(scan, 24, 32), 8).rasterize(grid, placement, lung, vessels);
      BranchingTree.grow(scan, thorax.lungs(), hilum, trunks(scan, side), Draw.uniform(scan, 4.5, 6), 0.9,
          Draw.uniform(scan, 22, 30), 6).rasterize(grid, placement, lung, airways);
    }
    float[] image = compose(thorax, grid, placement, tissue, clean, texture, vessels, airways);
    ReconstructionKernel.draw(scan).apply(image, grid, scan);
    short[] hu = new short[n];
    for (int i = 0; i < n; i++) {
      hu[i] = (short) Math.max(-1024, Math.min(3071, Math.round(image[i])));
    }
    return new ChestCtScan(diagnosis, grid, hu, tissue, clean, lung, infection);
  }

  private ScanGeometry geometry(SplittableRandom scan, Thorax thorax) {
    double fov = Math.max(320, Math.min(400, 2 * thorax.halfWidth() * Draw.uniform(scan, 1.08, 1.25)));
    double pixel = round(fov / size, 1000);
    int slices = slices();
    // Scan from just above the apices to just below the bases: 40 to 110 mm more than the lungs, at 1.5 to 2.5
    // times the pixel spacing, whichever bound gives way when both cannot hold.
    double perRatio = slices * pixel;
    double lo = Math.max(1.5, (thorax.lungHeight() + 40) / perRatio);
    double hi = Math.max(lo, Math.min(2.5, (thorax.lungHeight() + 110) / perRatio));
    double slice = round(pixel * Draw.uniform(scan, lo, hi), 1000);
    double origin = -(size - 1) / 2.0 * pixel;
    return new ScanGeometry(size, slices, pixel, slice, round(origin, 100), round(origin, 100),
        round(-Draw.uniform(scan, 100, 400), 100));
  }

  private static Placement placement(SplittableRandom scan, ScanGeometry grid, Thorax thorax) {
    double shift = 0.045 * grid.size() * grid.pixelSpacing();
    double coverage = grid.slices() * grid.sliceSpacing();
    double slack = Math.max(0, coverage - thorax.lungHeight() - 40);
    double base = grid.originZ() + 20 + Draw.uniform(scan, 0, slack);
    return new Placement(Draw.symmetric(scan, shift), Draw.symmetric(scan, shift), base);
  }

  private static double round(double value, double per) {
    return Math.rint(value * per) / per;
  }

  /** Fills the normal anatomy and returns the lung voxels. */
  private static LungVoxels anatomy(Thorax thorax, ScanGeometry grid, Placement placement, byte[] tissue,
      float[] clean, float[] texture, byte[] lung) {
    Lungs lungs = thorax.lungs();
    int capacity = 0;
    for (int k = 0; k < grid.slices(); k++) {
      double z = placement.bodyZ(grid, k);
      for (int j = 0; j < grid.size(); j++) {
        double y = placement.bodyY(grid, j);
        for (int i = 0; i < grid.size(); i++) {
          double x = placement.bodyX(grid, i);
          int index = grid.index(i, j, k);
          ChestTissue t = thorax.tissue(x, y, z);
          double v = t == ChestTissue.AIR ? 0 : thorax.texture(x, y, z);
          texture[index] = (float) v;
          tissue[index] = (byte) t.ordinal();
          clean[index] = (float) thorax.hu(t, x, y, z, v);
          if (t == ChestTissue.LUNG) {
            lung[index] = 1;
            capacity++;
          }
        }
      }
    }
    LungVoxels out = new LungVoxels(capacity);
    for (int k = 0; k < grid.slices(); k++) {
      double z = placement.bodyZ(grid, k);
      for (int j = 0; j < grid.size(); j++) {
        double y = placement.bodyY(grid, j);
        for (int i = 0; i < grid.size(); i++) {
          int index = grid.index(i, j, k);
          if (lung[index] == 1) {
            double x = placement.bodyX(grid, i);
            out.add(index, x, y, z, lungs.lobe(x, y, z), lungs.costalDepth(x, y, z), thorax.posterior(y, z));
          }
        }
      }
    }
    return out;
  }

  /** Trunk directions from the hilum of {@code side}: up, forward-down, back-down and out, each a little jittered. */
  private static double[][] trunks(SplittableRandom rng, int side) {
    double s = side == Lungs.RIGHT ? -1 : 1;
    double[][] base = {{0.35 * s, 0.1, 0.93}, {0.6 * s, -0.7, -0.3}, {0.35 * s, 0.45, -0.82}, {0.9 * s, 0.25, -0.2}};
    double[][] out = new double[base.length][];
    for (int t = 0; t < base.length; t++) {
      double[] d = {base[t][0] + Draw.symmetric(rng, 0.15), base[t][1] + Draw.symmetric(rng, 0.15),
          base[t][2] + Draw.symmetric(rng, 0.15)};
      double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      out[t] = new double[] {d[0] / norm, d[1] / norm, d[2] / norm};
    }
    return out;
  }

  /**
   * Lays vessels and airways over the lungs (a vessel never over consolidation, an airway over anything) and returns
   * the image before noise: the noise-free values with thin tubes added by their partial volume.
   */
  private static float[] compose(Thorax thorax, ScanGeometry grid, Placement placement, byte[] tissue,
      float[] clean, float[] texture, float[] vessels, float[] airways) {
    float[] image = clean.clone();
    int consolidation = ChestTissue.CONSOLIDATION.ordinal();
    for (int k = 0; k < grid.slices(); k++) {
      double z = placement.bodyZ(grid, k);
      for (int j = 0; j < grid.size(); j++) {
        double y = placement.bodyY(grid, j);
        for (int i = 0; i < grid.size(); i++) {
          int index = grid.index(i, j, k);
          float vessel = vessels[index];
          float airway = airways[index];
          if (vessel == 0 && airway == 0) {
            continue;
          }
          double x = placement.bodyX(grid, i);
          double vesselHu = thorax.hu(ChestTissue.VESSEL, x, y, z, texture[index]);
          double airHu = thorax.hu(ChestTissue.AIRWAY, x, y, z, texture[index]);
          if (airway >= 0.5) {
            set(tissue, clean, image, index, ChestTissue.AIRWAY, airHu);
            continue;
          }
          if (tissue[index] != consolidation) {
            if (vessel >= 0.5) {
              set(tissue, clean, image, index, ChestTissue.VESSEL, vesselHu);
            } else {
              image[index] += vessel * (vesselHu - image[index]);
            }
          }
          image[index] += airway * (airHu - image[index]);
        }
      }
    }
    return image;
  }

  private static void set(byte[] tissue, float[] clean, float[] image, int index, ChestTissue t, double hu) {
    tissue[index] = (byte) t.ordinal();
    clean[index] = (float) hu;
    image[index] = (float) hu;
  }
}
