package org.medvision.io.nifti;

import java.util.Objects;
import org.medvision.io.volume.Volume;

/**
 * A NIfTI file as read: its header and its voxels as a volume in LPS, with {@code scl_slope}/{@code scl_inter}
 * applied and dimensions 4 to 7 as the volume's extra dimensions.
 *
 * @param header the parsed header
 * @param volume the voxels and the LPS affine ({@link NiftiHeader#affineLps()})
 */
public record NiftiImage(NiftiHeader header, Volume volume) {
  /** Checks for nulls. */
  public NiftiImage {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(volume, "volume");
  }
}
