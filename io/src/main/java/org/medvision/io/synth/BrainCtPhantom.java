package org.medvision.io.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;

/**
 * Draws synthetic axial brain CT slices in Hounsfield units.
 *
 * <p>Each slice is built from parameters drawn from the caller's random generator: a head ellipse of varied size,
 * aspect, position and small rotation ({@code |angle| <= 10} degrees); a skull ring ({@link Tissue#SKULL}) of varied
 * thickness, thicker front and back; a cortical grey ribbon with gyral undulation and deep grey nuclei; white matter
 * inside; paired lateral ventricles, a few sulci and the interhemispheric fissure as CSF. Per class it adds:
 * <ul>
 *   <li>{@link BrainCtClass#HEMORRHAGIC}: one or two bleeds ({@link Tissue#HEMORRHAGE}); each is an irregular
 *       smooth-edged intraparenchymal blob, except that the first is a subdural crescent along the inner skull with
 *       probability 0.35;</li>
 *   <li>{@link BrainCtClass#ISCHEMIC}: one or two wedges ({@link Tissue#INFARCT}) in a vascular territory (middle
 *       cerebral artery with probability 0.6, else anterior or posterior) on one side, in which grey and white matter
 *       take one density;</li>
 *   <li>{@link BrainCtClass#NORMAL}: nothing.</li>
 * </ul>
 * A smooth intensity variation of at most 2 HU (two low-frequency cosines) is added inside the head, then Gaussian
 * noise with a standard deviation drawn from [3, 6] HU everywhere. Noise-free values of every tissue lie in the
 * range {@link Tissue} states. The {@link Difficulty} shrinks lesions and moves their density toward normal tissue.
 *
 * <p>Output is a pure function of the parameters and the generator's state: the same seed gives the same slice, bit
 * for bit. Instances are immutable and thread-safe (each call uses only the generator it is given).
 */
public final class BrainCtPhantom {
  /** Smallest side accepted: below it the skull and ventricles no longer fit as separate structures. */
  public static final int MIN_SIZE = 32;

  private static final double SUBDURAL_PROBABILITY = 0.35;
  private static final double MCA_PROBABILITY = 0.6;

  private final int height;
  private final int width;
  private final Difficulty difficulty;

  /**
   * A phantom drawing {@code height x width} slices at {@code difficulty}.
   *
   * @throws MedvisionException if a side is below {@link #MIN_SIZE}
   */
  public BrainCtPhantom(int height, int width, Difficulty difficulty) {
    if (height < MIN_SIZE || width < MIN_SIZE) {
      throw new MedvisionException("synthetic brain CT slices need at least " + MIN_SIZE + "x" + MIN_SIZE
          + " pixels, got " + height + "x" + width);
    }
    this.height = height;
    this.width = width;
    this.difficulty = difficulty;
  }

  /** Slice height in pixels. */
  public int height() {
    return height;
  }

  /** Slice width in pixels. */
  public int width() {
    return width;
  }

  /** The lesion difficulty. */
  public Difficulty difficulty() {
    return difficulty;
  }

  /** Draws one slice of class {@code diagnosis}, consuming values from {@code rng}. */
  public Slice generate(BrainCtClass diagnosis, SplittableRandom rng) {
    int shortSide = Math.min(height, width);
    HeadAnatomy head = new HeadAnatomy(rng, shortSide);
    List<Lesion> lesions = lesions(diagnosis, rng, head);
    double biasAmplitude = Lesion.uniform(rng, 0.8, 2.0);
    double fx = Lesion.uniform(rng, 1.5, 3.5);
    double fy = Lesion.uniform(rng, 1.5, 3.5);
    double px = Lesion.uniform(rng, -Math.PI, Math.PI);
    double py = Lesion.uniform(rng, -Math.PI, Math.PI);
    double sigma = Lesion.uniform(rng, 3, 6);

    int n = height * width;
    float[] clean = new float[n];
    float[] noisy = new float[n];
    byte[] tissues = new byte[n];
    HeadPoint p = new HeadPoint();
    double half = shortSide / 2.0;
    for (int row = 0; row < height; row++) {
      double y = (row + 0.5 - height / 2.0) / half;
      for (int col = 0; col < width; col++) {
        double x = (col + 0.5 - width / 2.0) / half;
        head.locate(x, y, p);
        Tissue t = head.tissueAt(p);
        double value = head.hu(t, p);
        for (Lesion lesion : lesions) {
          if (lesion.covers(p, t)) {
            t = lesion.tissue();
            value = lesion.hu(p);
          }
        }
        if (t != Tissue.AIR) {
          value += biasAmplitude * 0.5 * (Math.cos(fx * x + px) + Math.cos(fy * y + py));
        }
        int i = row * width + col;
        clean[i] = (float) value;
        tissues[i] = (byte) t.ordinal();
      }
    }
    // Noise is drawn after the geometry, in raster order, so it never shifts the anatomy's random draws.
    for (int i = 0; i < n; i++) {
      noisy[i] = (float) (clean[i] + sigma * rng.nextGaussian());
    }
    return new Slice(diagnosis, height, width, noisy, clean, tissues, sigma);
  }

  private List<Lesion> lesions(BrainCtClass diagnosis, SplittableRandom rng, HeadAnatomy head) {
    List<Lesion> out = new ArrayList<>();
    Difficulty d = difficulty;
    switch (diagnosis) {
      case NORMAL:
        break;
      case HEMORRHAGIC: {
        int count = 1 + (rng.nextDouble() < d.lerp(0.45, 0.15) ? 1 : 0);
        for (int i = 0; i < count; i++) {
          if (i == 0 && rng.nextDouble() < SUBDURAL_PROBABILITY) {
            out.add(new SubduralCrescent(rng, d, head.pixel));
          } else {
            out.add(new HemorrhageBlob(rng, d, head.pixel));
          }
        }
        break;
      }
      case ISCHEMIC: {
        int side = rng.nextBoolean() ? 1 : -1;
        InfarctWedge.Territory first = territory(rng);
        out.add(new InfarctWedge(rng, d, first, side));
        if (rng.nextDouble() < d.lerp(0.25, 0.10)) {
          // A second territory of the same hemisphere, as an embolic shower would give.
          InfarctWedge.Territory second = first == InfarctWedge.Territory.MCA ? InfarctWedge.Territory.PCA
              : InfarctWedge.Territory.MCA;
          out.add(new InfarctWedge(rng, d, second, side));
        }
        break;
      }
      default:
        throw new AssertionError(diagnosis);
    }
    return out;
  }

  private static InfarctWedge.Territory territory(SplittableRandom rng) {
    double u = rng.nextDouble();
    if (u < MCA_PROBABILITY) {
      return InfarctWedge.Territory.MCA;
    }
    return u < (1 + MCA_PROBABILITY) / 2 ? InfarctWedge.Territory.ACA : InfarctWedge.Territory.PCA;
  }
}
