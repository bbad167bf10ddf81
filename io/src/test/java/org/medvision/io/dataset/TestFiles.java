package org.medvision.io.dataset;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.medvision.io.nifti.NiftiWriter;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/** Small NIfTI volumes and PNG images that data-pipeline tests write and then read through the pipeline. */
final class TestFiles {
  private TestFiles() {}

  /** A voxel value as a function of the voxel index. */
  @FunctionalInterface
  interface VoxelFunction {
    double at(int x, int y, int z);
  }

  /** The values of {@code f} on a grid of {@code dims} (x, y, z), x fastest. */
  static float[] fill(int[] dims, VoxelFunction f) {
    float[] v = new float[dims[0] * dims[1] * dims[2]];
    int i = 0;
    for (int z = 0; z < dims[2]; z++) {
      for (int y = 0; y < dims[1]; y++) {
        for (int x = 0; x < dims[0]; x++) {
          v[i++] = (float) f.at(x, y, z);
        }
      }
    }
    return v;
  }

  /** 1 inside the box [x0, x1) × [y0, y1) × [z0, z1), else 0. */
  static VoxelFunction box(int x0, int y0, int z0, int x1, int y1, int z1) {
    return (x, y, z) -> x >= x0 && x < x1 && y >= y0 && y < y1 && z >= z0 && z < z1 ? 1 : 0;
  }

  /** A volume of {@code f}'s values. */
  static Volume volume(int[] dims, Affine affine, VoxelFunction f) {
    return Volume.adopt(dims, fill(dims, f), affine);
  }

  /** Writes {@code f}'s values as a float32 NIfTI-1 file and returns its path. */
  static Path nifti(Path file, int[] dims, Affine affine, VoxelFunction f) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    NiftiWriter.nifti1().write(volume(dims, affine, f), file);
    return file;
  }

  /** Writes an 8-bit grayscale PNG whose pixel (x, y) is {@code value.applyAsInt(x, y)} and returns its path. */
  static Path png(Path file, int width, int height, IntBinaryOperator value) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        img.getRaster().setSample(x, y, 0, value.applyAsInt(x, y));
      }
    }
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
    return file;
  }
}
