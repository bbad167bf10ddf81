package org.medvision.io.dataset;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.image.Images;
import org.medvision.io.volume.Volume;
import org.medvision.io.volume.VolumeFiles;

/** Reads mask files: NIfTI volumes, or 2-D images where any nonzero pixel is inside. */
final class MaskFiles {
  private MaskFiles() {}

  /** The mask volume at {@code path}. */
  static Volume volume(Path path, String where) {
    try {
      return VolumeFiles.read(path);
    } catch (MedvisionException e) {
      throw new DatasetException(where + ": " + e.getMessage(), e);
    }
  }

  /** A 2-D mask image as [1, H, W] of 0 and 1. */
  static Tensor image(Path path, String where) {
    Tensor t;
    try {
      t = Images.read(path);
    } catch (MedvisionException e) {
      throw new DatasetException(where + ": " + e.getMessage(), e);
    }
    int h = (int) t.shape().dim(1);
    int w = (int) t.shape().dim(2);
    float[] v = t.toFloatArray();
    float[] out = new float[h * w];
    for (int c = 0; c < t.shape().dim(0); c++) {
      for (int i = 0; i < out.length; i++) {
        if (v[c * out.length + i] != 0) {
          out[i] = 1;
        }
      }
    }
    return Tensor.of(Shape.of(1, h, w), out);
  }

  /** The number of nonzero voxels (or pixels) of the mask at {@code path}. */
  static long count(Path path, String where) {
    if (VolumeFiles.isNifti(path) || Files.isDirectory(path)) {
      Volume v = volume(path, where);
      FloatBuffer b = v.voxels();
      long n = 0;
      for (int i = 0; i < v.frameSize(); i++) {
        if (b.get(i) != 0) {
          n++;
        }
      }
      return n;
    }
    long n = 0;
    for (float x : image(path, where).toFloatArray()) {
      if (x != 0) {
        n++;
      }
    }
    return n;
  }
}
