package org.medvision.api.weights;

import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Initializer;
import org.medvision.api.tensor.Shape;

/**
 * The parameter initialisers PyTorch and timm use, as {@link Initializer}s over PyTorch-layout shapes.
 *
 * <p>Fan-in and fan-out follow PyTorch: for a shape {@code [out, in, k...]} the receptive field is the product of
 * {@code k...}, {@code fan_in = in * receptive} and {@code fan_out = out * receptive}; they are undefined for shapes
 * of rank below 2. Every initialiser draws only from the stream it is given, so a seed reproduces every value.
 */
public final class Initializers {
  /** Truncation bounds of timm's {@code trunc_normal_}, which are absolute values, not multiples of std. */
  private static final double TRUNCATION_BOUND = 2.0;

  private Initializers() {
  }

  /** Fills with {@code 0}. */
  public static Initializer zeros() {
    return constant(0f);
  }

  /** Fills with {@code 1}. */
  public static Initializer ones() {
    return constant(1f);
  }

  /** Fills every element with {@code value}. */
  public static Initializer constant(float value) {
    return (out, shape, random) -> {
      checkLength(out, shape);
      java.util.Arrays.fill(out, value);
    };
  }

  /**
   * Draws from N(0, std^2).
   *
   * @throws MedvisionException if {@code std} is not a positive finite number
   */
  public static Initializer normal(float std) {
    checkPositive("std", std);
    return (out, shape, random) -> {
      checkLength(out, shape);
      Gaussian g = new Gaussian(random);
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (std * g.next());
      }
    };
  }

  /**
   * Draws from N(0, std^2) truncated to the absolute interval [-2, 2], like timm's {@code trunc_normal_(std=std)}
   * with its default bounds. Sampling is by rejection, so the result follows the exact conditional distribution
   * (not a clipped one).
   *
   * @throws MedvisionException if {@code std} is not a positive finite number
   */
  public static Initializer truncatedNormal(float std) {
    checkPositive("std", std);
    return (out, shape, random) -> {
      checkLength(out, shape);
      Gaussian g = new Gaussian(random);
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) truncated(std, g, random);
      }
    };
  }

  /**
   * PyTorch's default weight init for convolutions and linear layers, {@code kaiming_uniform_(a=sqrt(5))}: U(-b, b)
   * with {@code b = sqrt(6 / ((1 + a^2) * fan_in)) = 1 / sqrt(fan_in)}.
   *
   * @throws MedvisionException at fill time if the shape has rank below 2 or a zero fan-in
   */
  public static Initializer kaimingUniform() {
    return (out, shape, random) -> {
      checkLength(out, shape);
      double bound = 1.0 / Math.sqrt(fanIn(shape));
      fillUniform(out, bound, random);
    };
  }

  /**
   * {@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}: N(0, 2 / fan_out), as torchvision's ResNets
   * initialise their convolutions.
   *
   * @throws MedvisionException at fill time if the shape has rank below 2 or a zero fan-out
   */
  public static Initializer kaimingNormalFanOut() {
    return (out, shape, random) -> {
      checkLength(out, shape);
      double std = Math.sqrt(2.0 / fanOut(shape));
      Gaussian g = new Gaussian(random);
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (std * g.next());
      }
    };
  }

  /**
   * Draws from U(-bound, bound), e.g. PyTorch's default bias init with {@code bound = 1 / sqrt(fan_in)} of the
   * layer's weight.
   *
   * @throws MedvisionException if {@code bound} is negative or not finite
   */
  public static Initializer uniform(float bound) {
    if (!(bound >= 0f) || Float.isInfinite(bound)) {
      throw new MedvisionException("uniform init needs a finite bound >= 0, got " + bound);
    }
    return (out, shape, random) -> {
      checkLength(out, shape);
      fillUniform(out, bound, random);
    };
  }

  /**
   * PyTorch's fan-in of a weight of this shape: {@code shape[1] * prod(shape[2..])}.
   *
   * @throws MedvisionException if the rank is below 2 or the fan-in is zero
   */
  public static long fanIn(Shape shape) {
    checkFanShape(shape);
    return nonZeroFan("fan-in", shape, shape.dim(1) * receptiveField(shape));
  }

  /**
   * PyTorch's fan-out of a weight of this shape: {@code shape[0] * prod(shape[2..])}.
   *
   * @throws MedvisionException if the rank is below 2 or the fan-out is zero
   */
  public static long fanOut(Shape shape) {
    checkFanShape(shape);
    return nonZeroFan("fan-out", shape, shape.dim(0) * receptiveField(shape));
  }

  private static long receptiveField(Shape shape) {
    long r = 1;
    for (int i = 2; i < shape.rank(); i++) {
      r = Math.multiplyExact(r, shape.dim(i));
    }
    return r;
  }

  private static void checkFanShape(Shape shape) {
    if (shape.rank() < 2 || !shape.isFullyKnown()) {
      throw new MedvisionException("fan-in/fan-out need a fully known shape of rank >= 2 ([out, in, k...]), got "
          + shape);
    }
  }

  private static long nonZeroFan(String what, Shape shape, long fan) {
    if (fan == 0) {
      throw new MedvisionException(what + " of shape " + shape + " is zero, so the init bound is undefined");
    }
    return fan;
  }

  private static void fillUniform(float[] out, double bound, SplittableRandom random) {
    for (int i = 0; i < out.length; i++) {
      // nextDouble is in [0, 1), so this is [-bound, bound); the open end has probability zero anyway.
      out[i] = (float) ((2.0 * random.nextDouble() - 1.0) * bound);
    }
  }

  private static double truncated(double std, Gaussian g, SplittableRandom random) {
    double limit = TRUNCATION_BOUND / std;
    if (limit >= 1.0) {
      // At least 68% of N(0, std^2) falls inside, so redrawing normals terminates quickly.
      while (true) {
        double z = g.next();
        if (Math.abs(z) <= limit) {
          return std * z;
        }
      }
    }
    // For a wide normal the window is nearly flat: propose uniformly and accept with the normal density ratio,
    // which is at least exp(-1/2) here, instead of rejecting almost every normal draw.
    while (true) {
      double x = (2.0 * random.nextDouble() - 1.0) * TRUNCATION_BOUND;
      double ratio = Math.exp(-0.5 * (x / std) * (x / std));
      if (random.nextDouble() < ratio) {
        return x;
      }
    }
  }

  private static void checkPositive(String what, float value) {
    if (!(value > 0f) || Float.isInfinite(value)) {
      throw new MedvisionException("init " + what + " must be a positive finite number, got " + value);
    }
  }

  private static void checkLength(float[] out, Shape shape) {
    if (!shape.isFullyKnown() || out.length != shape.size()) {
      throw new MedvisionException("initializer got " + out.length + " slots for a parameter of shape " + shape);
    }
  }

  /**
   * Standard normal draws by the Marsaglia polar method, written here rather than taken from the JDK so the values
   * for a seed stay the same across Java versions.
   */
  private static final class Gaussian {
    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    Gaussian(SplittableRandom random) {
      this.random = random;
    }

    double next() {
      if (hasSpare) {
        hasSpare = false;
        return spare;
      }
      double u;
      double v;
      double s;
      do {
        u = 2.0 * random.nextDouble() - 1.0;
        v = 2.0 * random.nextDouble() - 1.0;
        s = u * u + v * v;
      } while (s >= 1.0 || s == 0.0);
      double m = Math.sqrt(-2.0 * Math.log(s) / s);
      spare = v * m;
      hasSpare = true;
      return u * m;
    }
  }
}
