package org.medvision.io.dataset;

import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.transform.VolumeOps;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Reorientation;
import org.medvision.io.volume.Volume;

/**
 * Where a volume field's tensor came from: the source grid, the canonical reorientation, the crop box and the size it
 * was resized to. It maps results on the tensor's grid (an attention map, a mask) back onto the source scan.
 *
 * @param sourceDims the source volume's x, y, z extents
 * @param sourceAffine the source volume's voxel-to-LPS affine
 * @param reorientation how the source voxels were reordered
 * @param box the crop box in reoriented voxels {x0, y0, z0, x1, y1, z1}, exclusive ends
 * @param size the tensor's D, H, W
 */
public record VolumeGeometry(int[] sourceDims, Affine sourceAffine, Reorientation reorientation, int[] box,
    int[] size) {
  /** Copies the arrays. */
  public VolumeGeometry {
    sourceDims = sourceDims.clone();
    box = box.clone();
    size = size.clone();
  }

  /**
   * A map over the tensor's extent, {@code [d, h, w]} on any grid covering the same box (e.g. an attention map on a
   * grid 16 to 32 times coarser), resampled (trilinear, align-corners false, so cells map to their centres) onto the
   * source volume's voxels; voxels outside the crop box get 0.
   *
   * @throws MedvisionException if the map is not 3-D
   */
  public Volume toSource(Tensor map) {
    if (map.shape().rank() != 3) {
      throw new MedvisionException("a volume map must be [d, h, w], got " + map.shape());
    }
    int md = (int) map.shape().dim(0);
    int mh = (int) map.shape().dim(1);
    int mw = (int) map.shape().dim(2);
    int[] boxDims = {box[3] - box[0], box[4] - box[1], box[5] - box[2]};
    // First onto the crop box's voxels, then scattered into the reoriented full grid, then un-reoriented.
    float[] onBox = VolumeOps.resize(map.toFloatArray(), new int[] {mw, mh, md}, boxDims);
    int[] perm = reorientation.permutation();
    boolean[] flip = reorientation.flip();
    int[] canonicalDims = {sourceDims[perm[0]], sourceDims[perm[1]], sourceDims[perm[2]]};
    float[] out = new float[sourceDims[0] * sourceDims[1] * sourceDims[2]];
    int[] srcStride = {1, sourceDims[0], sourceDims[0] * sourceDims[1]};
    int i = 0;
    for (int z = box[2]; z < box[5]; z++) {
      for (int y = box[1]; y < box[4]; y++) {
        for (int x = box[0]; x < box[3]; x++, i++) {
          int[] c = {x, y, z};
          int offset = 0;
          for (int a = 0; a < 3; a++) {
            int index = flip[a] ? canonicalDims[a] - 1 - c[a] : c[a];
            offset += index * srcStride[perm[a]];
          }
          out[offset] = onBox[i];
        }
      }
    }
    return Volume.adopt(sourceDims, out, sourceAffine);
  }
}
