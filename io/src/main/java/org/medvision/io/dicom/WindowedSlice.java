package org.medvision.io.dicom;

import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.transform.Window;

/**
 * One slice mapped through a display window to [0, 1], the form a classifier and a Secondary Capture take.
 *
 * @param values {@code rows * columns} values in [0, 1], row-major
 * @param rows number of rows
 * @param columns number of columns
 */
public record WindowedSlice(float[] values, int rows, int columns) {
  /**
   * Checks the size and copies the values.
   *
   * @throws MedvisionException when the array does not hold {@code rows * columns} values
   */
  public WindowedSlice {
    if (rows < 1 || columns < 1 || values.length != (long) rows * columns) {
      throw new MedvisionException("a windowed slice of " + rows + " x " + columns + " needs " + (long) rows * columns
          + " values, got " + values.length);
    }
    values = values.clone();
  }

  /** {@code pixels} (rescaled values, e.g. HU) through {@code window}'s LINEAR_EXACT mapping. */
  public static WindowedSlice of(float[] pixels, int rows, int columns, Window window) {
    float[] out = new float[pixels.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = window.normalize(pixels[i]);
    }
    return new WindowedSlice(out, rows, columns);
  }

  @Override
  public float[] values() {
    return values.clone();
  }

  /** The slice as a float32 [1, rows, columns] image tensor, as image decoders produce. */
  public Tensor tensor() {
    return Tensor.ofFloats(values, 1, rows, columns);
  }

  /** The slice as unsigned 8-bit grey, {@code round(255 * value)}, row-major. */
  public byte[] grey8() {
    byte[] out = new byte[values.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Math.round(255 * values[i]);
    }
    return out;
  }

  /** The mean value, the fill an occlusion patch uses so that it adds no edge of extreme intensity. */
  public float mean() {
    double sum = 0;
    for (float v : values) {
      sum += v;
    }
    return (float) (sum / values.length);
  }

  /** A copy with the rectangle {@code [row0, row0 + height) x [column0, column0 + width)} set to {@code fill}. */
  public WindowedSlice occluded(int row0, int column0, int height, int width, float fill) {
    float[] out = values.clone();
    for (int r = row0; r < Math.min(rows, row0 + height); r++) {
      for (int c = column0; c < Math.min(columns, column0 + width); c++) {
        out[r * columns + c] = fill;
      }
    }
    return new WindowedSlice(out, rows, columns);
  }
}
