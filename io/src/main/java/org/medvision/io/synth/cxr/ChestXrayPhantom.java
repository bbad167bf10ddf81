package org.medvision.io.synth.cxr;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;

/**
 * Draws frontal chest radiographs: the projected attenuation of a thorax ({@link Thorax}, {@link NormalAnatomy}) with
 * any of the 14 findings ({@link CxrFinding}), shown as a processed film is (dense structures bright, air dark, an
 * S-shaped display curve whose level and width vary like exposure does), with quantum noise, as 8-bit grey pixels.
 *
 * <p>Images smaller than {@value #RENDER_MIN} pixels are drawn at a multiple of their size and averaged down, so thin
 * structures (vessels, pleural lines, the reticular network) blend into the grey they would make on a downsampled
 * film instead of aliasing. Everything follows from the seeds: the patient's seed fixes the build (rib cage, lung
 * height, normal heart size), the image's seed the positioning, exposure, noise and each finding's own draws, each
 * finding from a generator of its own, so the same image with one finding more or less differs only by that finding.
 */
public final class ChestXrayPhantom {
  /** Smallest image size. */
  public static final int MIN_SIZE = 32;
  /** Largest image size (the real set's). */
  public static final int MAX_SIZE = 1024;

  static final int RENDER_MIN = 192;

  private final int size;

  /**
   * A phantom drawing {@code size x size} images.
   *
   * @throws MedvisionException if {@code size} is outside {@value #MIN_SIZE}..{@value #MAX_SIZE}
   */
  public ChestXrayPhantom(int size) {
    if (size < MIN_SIZE || size > MAX_SIZE) {
      throw new MedvisionException("chest radiograph size must be " + MIN_SIZE + " to " + MAX_SIZE + ", got " + size);
    }
    this.size = size;
  }

  /** The image size. */
  public int size() {
    return size;
  }

  /**
   * One drawn radiograph.
   *
   * @param pixels {@code size * size} 8-bit grey values, row-major, top row first (the image's left is the
   *     patient's right)
   * @param heartWidthCm the heart's widest extent
   * @param thoracicWidthCm the rib cage's widest inner width
   * @param findings what it shows
   */
  public record Radiograph(byte[] pixels, double heartWidthCm, double thoracicWidthCm, Set<CxrFinding> findings) {
    /** Copies the findings. */
    public Radiograph {
      findings = findings.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(findings));
    }

    /** Heart width over thoracic width. */
    public double cardiothoracicRatio() {
      return heartWidthCm / thoracicWidthCm;
    }
  }

  /**
   * Draws one image.
   *
   * @param patientSeed the patient's seed: the same for all of a patient's images
   * @param imageSeed this image's seed
   * @param ap an antero-posterior view (bedside: lower inspiration, magnified, clavicles high) rather than PA
   * @param female whether breast shadows may show
   */
  public Radiograph draw(long patientSeed, long imageSeed, boolean ap, boolean female, Set<CxrFinding> findings) {
    int factor = Math.max(1, (RENDER_MIN + size - 1) / size);
    Plan plan = plan(patientSeed, imageSeed, ap, female, findings);
    Scene scene = new Scene(plan.thorax(), size * factor);
    NormalAnatomy.paint(scene, plan.anatomy(), plan.changes().vesselScale);
    for (CxrFinding f : plan.shown()) {
      f.paint(scene, new SplittableRandom(plan.seeds()[f.ordinal()]));
    }
    float[] film = develop(scene.attenuation(), plan.display());
    float[] small = downsample(film, size * factor, factor);
    Thorax t = plan.thorax();
    return new Radiograph(quantize(small, plan.display()), t.heartWidth(), t.thoracicWidth(), plan.shown());
  }

  /** The geometry an image would be drawn with, for checks that measure it. */
  Thorax thorax(long patientSeed, long imageSeed, boolean ap, boolean female, Set<CxrFinding> findings) {
    return plan(patientSeed, imageSeed, ap, female, findings).thorax();
  }

  /** What an image is drawn from: its geometry and the generators of its anatomy, display and findings. */
  private record Plan(Thorax thorax, Thorax.Changes changes, SplittableRandom anatomy, SplittableRandom display,
      long[] seeds, Set<CxrFinding> shown) {}

  private static Plan plan(long patientSeed, long imageSeed, boolean ap, boolean female, Set<CxrFinding> findings) {
    SplittableRandom base = new SplittableRandom(imageSeed);
    long[] seeds = new long[CxrFinding.values().length];
    for (int f = 0; f < seeds.length; f++) {
      seeds[f] = base.nextLong();
    }
    SplittableRandom anatomy = base.split();
    SplittableRandom display = base.split();
    Set<CxrFinding> shown = findings.isEmpty() ? EnumSet.noneOf(CxrFinding.class) : EnumSet.copyOf(findings);
    Thorax.Changes changes = new Thorax.Changes();
    // Each finding draws its changes and its opacities from a generator of its own, started afresh for each, so a
    // finding's side (say) is the same when it changes the anatomy and when it paints.
    for (CxrFinding f : shown) {
      f.change(changes, new SplittableRandom(seeds[f.ordinal()]));
    }
    Thorax thorax = Thorax.draw(new SplittableRandom(patientSeed), anatomy, ap, female, changes);
    return new Plan(thorax, changes, anatomy, display, seeds, shown);
  }

  /**
   * The display curve of a processed film: a logistic function of attenuation centred between lung and mediastinum,
   * stretched so that no attenuation is black and 30 cm of tissue white, then a mild gamma; level, width and gamma vary
   * per image as exposure and processing do.
   */
  private static float[] develop(float[] attenuation, SplittableRandom rng) {
    double level = Sampling.uniform(rng, 12.0, 14.5);
    double width = Sampling.uniform(rng, 3.3, 4.5);
    double gamma = Sampling.uniform(rng, 0.85, 1.15);
    double low = logistic((0 - level) / width);
    double high = logistic((30 - level) / width);
    float[] out = new float[attenuation.length];
    for (int k = 0; k < out.length; k++) {
      double p = (logistic((attenuation[k] - level) / width) - low) / (high - low);
      out[k] = (float) Math.pow(Sampling.clamp(p, 0, 1), gamma);
    }
    return out;
  }

  private static double logistic(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static float[] downsample(float[] image, int n, int factor) {
    if (factor == 1) {
      return image;
    }
    int m = n / factor;
    float[] out = new float[m * m];
    float scale = 1f / (factor * factor);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        out[(j / factor) * m + i / factor] += image[j * n + i] * scale;
      }
    }
    return out;
  }

  private static byte[] quantize(float[] image, SplittableRandom rng) {
    double sigma = Sampling.uniform(rng, 0.006, 0.016);
    byte[] out = new byte[image.length];
    for (int k = 0; k < image.length; k++) {
      double v = image[k] + Sampling.normal(rng, 0, sigma);
      out[k] = (byte) Math.round(255 * Sampling.clamp(v, 0, 1));
    }
    return out;
  }
}
