package org.medvision.io.synth;

import java.util.Arrays;
import org.medvision.io.transform.Window;

/**
 * One synthetic axial CT slice with its ground truth: the final Hounsfield values, the same values before noise, and
 * the tissue each pixel was drawn as. Arrays are row-major {@code height x width}; accessors return copies, so a
 * slice is immutable.
 */
public final class Slice {
  private static final Tissue[] TISSUES = Tissue.values();

  private final BrainCtClass diagnosis;
  private final int height;
  private final int width;
  private final float[] hu;
  private final float[] noiseFree;
  private final byte[] tissue;
  private final double noiseSigma;

  Slice(BrainCtClass diagnosis, int height, int width, float[] hu, float[] noiseFree, byte[] tissue,
      double noiseSigma) {
    this.diagnosis = diagnosis;
    this.height = height;
    this.width = width;
    this.hu = hu;
    this.noiseFree = noiseFree;
    this.tissue = tissue;
    this.noiseSigma = noiseSigma;
  }

  /** The class this slice was drawn for. */
  public BrainCtClass diagnosis() {
    return diagnosis;
  }

  /** Rows. */
  public int height() {
    return height;
  }

  /** Columns. */
  public int width() {
    return width;
  }

  /** Hounsfield values including noise, row-major. */
  public float[] hu() {
    return hu.clone();
  }

  /** Hounsfield values before the Gaussian noise was added (the smooth intensity variation is included). */
  public float[] noiseFree() {
    return noiseFree.clone();
  }

  /** Standard deviation of the Gaussian noise that was added, in HU. */
  public double noiseSigma() {
    return noiseSigma;
  }

  /** The tissue drawn at pixel {@code (row, col)}. */
  public Tissue tissueAt(int row, int col) {
    return TISSUES[tissue[row * width + col]];
  }

  /** For each pixel, whether it was drawn as {@code t}. */
  public boolean[] mask(Tissue t) {
    boolean[] m = new boolean[tissue.length];
    byte code = (byte) t.ordinal();
    for (int i = 0; i < m.length; i++) {
      m[i] = tissue[i] == code;
    }
    return m;
  }

  /** Number of pixels drawn as {@code t}. */
  public int count(Tissue t) {
    int n = 0;
    byte code = (byte) t.ordinal();
    for (byte b : tissue) {
      if (b == code) {
        n++;
      }
    }
    return n;
  }

  /** The final values windowed to [0, 1]. */
  public float[] windowed(Window window) {
    return window.normalize(hu);
  }

  /** Whether {@code other} holds the same class, size and values, bit for bit. */
  public boolean contentEquals(Slice other) {
    return diagnosis == other.diagnosis && height == other.height && width == other.width
        && Arrays.equals(hu, other.hu) && Arrays.equals(tissue, other.tissue);
  }
}
