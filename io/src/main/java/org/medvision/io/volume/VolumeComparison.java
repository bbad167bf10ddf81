package org.medvision.io.volume;

import java.util.Arrays;
import java.util.Locale;
import org.medvision.api.MedvisionException;

/**
 * Compares two volumes voxel by voxel in world coordinates, so volumes that store the same grid in different axis
 * orders or directions (e.g. ours and dcm2niix's, which may flip rows) still compare equal.
 *
 * <p>Each voxel centre of the first volume is mapped through the first affine to the world and through the inverse of
 * the second affine back to a voxel index. When that index lies within {@code gridTolerance} voxels of a whole index
 * inside the second volume, the two values are compared; otherwise the voxel counts as unmatched.
 */
public final class VolumeComparison {
  private VolumeComparison() {}

  /**
   * The outcome of a comparison.
   *
   * @param compared voxels of the first volume that land on a voxel of the second
   * @param unmatched voxels of the first volume that land between voxels or outside the second
   * @param secondSize number of voxels in the second volume
   * @param maxAbsDifference the largest |a - b| over compared voxels (0 when none were compared)
   * @param worstVoxel index (x, y, z, frame) in the first volume of that largest difference, or empty
   */
  public record Result(long compared, long unmatched, long secondSize, double maxAbsDifference, int[] worstVoxel) {
    /** Copies the worst-voxel index. */
    public Result {
      worstVoxel = worstVoxel.clone();
    }

    /** A copy of the index (x, y, z, frame) of the largest difference in the first volume, or empty. */
    @Override
    public int[] worstVoxel() {
      return worstVoxel.clone();
    }

    /** True when the two volumes cover the same voxels: each voxel of either one matches a voxel of the other. */
    public boolean sameGrid() {
      return unmatched == 0 && compared == secondSize;
    }

    /** True when the grids match and no value differs by more than {@code tolerance}. */
    public boolean equalWithin(double tolerance) {
      return sameGrid() && maxAbsDifference <= tolerance;
    }

    /** Counts and the worst difference, for test and report messages. */
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "compared %d voxels (%d unmatched, second volume has %d), max |a - b| %.6g "
          + "at %s", compared, unmatched, secondSize, maxAbsDifference, Arrays.toString(worstVoxel));
    }
  }

  /**
   * Compares {@code a} with {@code b} in world coordinates.
   *
   * @param gridTolerance how far (in voxels of {@code b}) a mapped centre may be from a whole index, e.g. 1e-3
   * @throws MedvisionException if the volumes have different numbers of 3D frames or {@code b}'s affine is singular
   */
  public static Result compare(Volume a, Volume b, double gridTolerance) {
    if (a.frames() != b.frames()) {
      throw new MedvisionException("cannot compare " + a + " with " + b + ": they have " + a.frames() + " and "
          + b.frames() + " frames");
    }
    Affine aToB = b.affine().inverse().multiply(a.affine());
    long compared = 0;
    long unmatched = 0;
    double worst = 0;
    int[] worstAt = new int[0];
    for (int z = 0; z < a.nz(); z++) {
      for (int y = 0; y < a.ny(); y++) {
        for (int x = 0; x < a.nx(); x++) {
          double[] p = aToB.apply(x, y, z);
          int bx = (int) Math.round(p[0]);
          int by = (int) Math.round(p[1]);
          int bz = (int) Math.round(p[2]);
          boolean onGrid = Math.abs(p[0] - bx) <= gridTolerance && Math.abs(p[1] - by) <= gridTolerance
              && Math.abs(p[2] - bz) <= gridTolerance;
          boolean inside = bx >= 0 && bx < b.nx() && by >= 0 && by < b.ny() && bz >= 0 && bz < b.nz();
          if (!onGrid || !inside) {
            unmatched += a.frames();
            continue;
          }
          for (int f = 0; f < a.frames(); f++) {
            float va = a.get(x, y, z, f);
            float vb = b.get(bx, by, bz, f);
            // NaN on one side only is an infinite difference; NaN on both sides agrees.
            double d = Float.isNaN(va) || Float.isNaN(vb)
                ? (Float.isNaN(va) && Float.isNaN(vb) ? 0 : Double.POSITIVE_INFINITY)
                : Math.abs((double) va - vb);
            compared++;
            if (d > worst) {
              worst = d;
              worstAt = new int[] {x, y, z, f};
            }
          }
        }
      }
    }
    return new Result(compared, unmatched, b.size(), worst, worstAt);
  }
}
