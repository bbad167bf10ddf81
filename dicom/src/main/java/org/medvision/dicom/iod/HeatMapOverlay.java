package org.medvision.dicom.iod;

import org.medvision.dicom.DicomException;

/**
 * Blends a heat map over an 8-bit grey image into interleaved RGB.
 *
 * <p>The heat map (values in [0, 1], any size) is resized to the image with bilinear interpolation on pixel centres
 * (edge values held beyond the outer centres), then coloured with the "hot" colour map: red rises over [0, 1/3],
 * green over [1/3, 2/3], blue over [2/3, 1], so 0 is black, 1/3 red, 2/3 yellow and 1 white. Each output sample is
 * {@code round((1 - a) * grey + a * colour)} with {@code a = opacity * heat}, so a cold pixel shows the grey image
 * unchanged and the hottest shows {@code opacity} of the colour.
 */
public final class HeatMapOverlay {
  private final double opacity;

  /**
   * An overlay at the given opacity.
   *
   * @throws DicomException when opacity is not in [0, 1]
   */
  public HeatMapOverlay(double opacity) {
    if (!(opacity >= 0 && opacity <= 1)) {
      throw new DicomException("heat map opacity must be in [0, 1], got " + opacity);
    }
    this.opacity = opacity;
  }

  /** The opacity of the hottest value. */
  public double opacity() {
    return opacity;
  }

  /**
   * The interleaved RGB pixels ({@code rows * columns * 3} bytes) of the blend.
   *
   * @param grey the image, {@code rows * columns} unsigned bytes, row-major
   * @param heat the heat map, {@code heatRows * heatColumns} values in [0, 1], row-major
   * @throws DicomException when an array does not match its size or a heat value is outside [0, 1] or NaN
   */
  public byte[] blend(byte[] grey, int rows, int columns, float[] heat, int heatRows, int heatColumns) {
    if (rows < 1 || columns < 1 || grey.length != rows * columns) {
      throw new DicomException("grey image has " + grey.length + " pixels, expected " + rows + "x" + columns);
    }
    if (heatRows < 1 || heatColumns < 1 || heat.length != heatRows * heatColumns) {
      throw new DicomException("heat map has " + heat.length + " values, expected " + heatRows + "x" + heatColumns);
    }
    for (int i = 0; i < heat.length; i++) {
      if (!(heat[i] >= 0 && heat[i] <= 1)) {
        throw new DicomException("heat map value " + heat[i] + " at row " + i / heatColumns + ", column "
            + i % heatColumns + " is outside [0, 1]");
      }
    }
    float[] resized = resize(heat, heatRows, heatColumns, rows, columns);
    byte[] rgb = new byte[rows * columns * 3];
    for (int i = 0; i < resized.length; i++) {
      double h = resized[i];
      double a = opacity * h;
      int g = grey[i] & 0xFF;
      rgb[3 * i] = blendSample(g, red(h), a);
      rgb[3 * i + 1] = blendSample(g, green(h), a);
      rgb[3 * i + 2] = blendSample(g, blue(h), a);
    }
    return rgb;
  }

  /** The "hot" colour of {@code h} in [0, 1] as 0..255 RGB. */
  public static int[] colour(double h) {
    return new int[] {(int) Math.round(red(h)), (int) Math.round(green(h)), (int) Math.round(blue(h))};
  }

  /**
   * Bilinear resize on pixel centres: output pixel {@code (r, c)} samples the input at
   * {@code ((r + 0.5) * inRows / outRows - 0.5, (c + 0.5) * inColumns / outColumns - 0.5)}, clamped to the outer
   * centres.
   */
  static float[] resize(float[] in, int inRows, int inColumns, int outRows, int outColumns) {
    float[] out = new float[outRows * outColumns];
    for (int r = 0; r < outRows; r++) {
      double y = clamp((r + 0.5) * inRows / outRows - 0.5, inRows - 1);
      int y0 = (int) Math.floor(y);
      int y1 = Math.min(y0 + 1, inRows - 1);
      double fy = y - y0;
      for (int c = 0; c < outColumns; c++) {
        double x = clamp((c + 0.5) * inColumns / outColumns - 0.5, inColumns - 1);
        int x0 = (int) Math.floor(x);
        int x1 = Math.min(x0 + 1, inColumns - 1);
        double fx = x - x0;
        double top = in[y0 * inColumns + x0] * (1 - fx) + in[y0 * inColumns + x1] * fx;
        double bottom = in[y1 * inColumns + x0] * (1 - fx) + in[y1 * inColumns + x1] * fx;
        out[r * outColumns + c] = (float) (top * (1 - fy) + bottom * fy);
      }
    }
    return out;
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }

  private static double red(double h) {
    return 255 * Math.min(1, Math.max(0, 3 * h));
  }

  private static double green(double h) {
    return 255 * Math.min(1, Math.max(0, 3 * h - 1));
  }

  private static double blue(double h) {
    return 255 * Math.min(1, Math.max(0, 3 * h - 2));
  }

  private static byte blendSample(int grey, double colour, double a) {
    return (byte) Math.round((1 - a) * grey + a * colour);
  }
}
