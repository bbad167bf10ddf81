package org.medvision.io.volume;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.medvision.api.MedvisionException;
import org.medvision.io.ProgressListener;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.dicom.StudyScanner;
import org.medvision.io.nifti.NiftiReader;

/** Reads a scan from where a manifest or a user points: a NIfTI file, or a folder (or file) holding one DICOM series. */
public final class VolumeFiles {
  private VolumeFiles() {}

  /** Whether {@code path} names a NIfTI file by its extension. */
  public static boolean isNifti(Path path) {
    String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".nii") || n.endsWith(".nii.gz");
  }

  /**
   * The volume at {@code path}: values as stored after rescaling (HU for CT), the first frame of a 4-D file.
   *
   * @throws MedvisionException naming the path when it is missing, unreadable, holds no DICOM images, holds several
   *     series, or its slices do not form one volume
   */
  public static Volume read(Path path) {
    return read(path, ProgressListener.NONE);
  }

  /**
   * As {@link #read(Path)}, telling {@code listener} what the DICOM scan warns about (rule breaks read past, missing
   * geometry, ...).
   */
  public static Volume read(Path path, ProgressListener listener) {
    if (!Files.exists(path)) {
      throw new MedvisionException("scan not found: " + path);
    }
    try {
      if (Files.isRegularFile(path) && isNifti(path)) {
        Volume v = new NiftiReader().read(path).volume();
        return v.dims().length == 3 ? v : v.frame(0);
      }
      DicomSeries series = new StudyScanner().scan(path, listener).select(null);
      return series.volume();
    } catch (MedvisionException e) {
      throw e.getMessage() != null && e.getMessage().contains(path.toString()) ? e
          : new MedvisionException("cannot read scan " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code mask} lies on {@code volume}'s voxel grid: the same dimensions, spacing, orientation and
   * origin (within 0.01 mm, which float32 NIfTI affines of scanner-sized grids keep).
   *
   * @throws MedvisionException naming both files and the property that differs
   */
  public static void checkAligned(Volume volume, Path volumePath, Volume mask, Path maskPath) {
    int[] a = volume.dims();
    int[] b = mask.dims();
    String problem = null;
    if (a[0] != b[0] || a[1] != b[1] || a[2] != b[2]) {
      problem = "size " + b[0] + "x" + b[1] + "x" + b[2] + " vs " + a[0] + "x" + a[1] + "x" + a[2];
    } else {
      double[] sa = volume.spacing();
      double[] sb = mask.spacing();
      double[][] da = volume.direction();
      double[][] db = mask.direction();
      for (int i = 0; i < 3 && problem == null; i++) {
        if (Math.abs(sa[i] - sb[i]) > 1e-3 * Math.max(1, sa[i])) {
          problem = String.format(Locale.ROOT, "spacing %.4g x %.4g x %.4g mm vs %.4g x %.4g x %.4g mm", sb[0], sb[1],
              sb[2], sa[0], sa[1], sa[2]);
        }
        for (int j = 0; j < 3 && problem == null; j++) {
          if (Math.abs(da[i][j] - db[i][j]) > 1e-3) {
            problem = "orientation (direction cosines differ along voxel axis " + "xyz".charAt(i) + ")";
          }
        }
      }
      double[] oa = volume.origin();
      double[] ob = mask.origin();
      for (int i = 0; i < 3 && problem == null; i++) {
        if (Math.abs(oa[i] - ob[i]) > 0.01) {
          problem = String.format(Locale.ROOT, "origin (%.3f, %.3f, %.3f) vs (%.3f, %.3f, %.3f) mm", ob[0], ob[1],
              ob[2], oa[0], oa[1], oa[2]);
        }
      }
    }
    if (problem != null) {
      throw new MedvisionException("mask " + maskPath + " does not lie on the voxel grid of " + volumePath + ": "
          + problem + "; a mask must be made on the scan it belongs to");
    }
  }
}
