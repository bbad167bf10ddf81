package org.medvision.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medvision.api.MedvisionException;

/**
 * The result of a learning-rate range test (Smith, "Cyclical Learning Rates for Training Neural Networks", 2017; the
 * fastai "lr_find"): from fresh weights, one optimiser update per mini-batch at rates growing exponentially from
 * {@code min} to {@code max}, recording the training loss, until the loss explodes.
 *
 * <p>The loss is smoothed with an exponential moving average (β = {@value #SMOOTHING}, bias-corrected, as fastai does)
 * because single mini-batches are noisy. The suggested rate is a tenth of the rate at the smallest smoothed loss: where
 * the loss is lowest the rate is already about to be too high, and one order of magnitude below it is the usual rule.
 * The rate where the smoothed loss falls fastest (per unit of log rate) is reported too.
 *
 * @param rates the rate of each update, increasing
 * @param losses the raw training loss of each update
 * @param stopReason why the sweep ended before its last rate, or empty when it ran through
 */
public record LearningRateSweep(double[] rates, double[] losses, String stopReason) {
  /** Smoothing factor of the loss average. */
  public static final double SMOOTHING = 0.9;
  /** The sweep stops when the smoothed loss exceeds this multiple of its minimum. */
  public static final double EXPLOSION = 4;

  /** Copies the arrays and checks they pair up. */
  public LearningRateSweep {
    if (rates.length != losses.length || rates.length == 0) {
      throw new MedvisionException("a learning-rate sweep needs one loss per rate and at least one update; got "
          + rates.length + " rates and " + losses.length + " losses");
    }
    rates = rates.clone();
    losses = losses.clone();
    stopReason = stopReason == null ? "" : stopReason;
  }

  /** Rates {@code min·(max/min)^(k/(steps−1))} for k = 0..steps−1. */
  public static double[] schedule(double min, double max, int steps) {
    if (!(min > 0 && max > min && steps >= 2)) {
      throw new MedvisionException("a learning-rate sweep needs 0 < min < max and at least 2 steps, got min " + min
          + ", max " + max + ", " + steps + " steps");
    }
    double[] r = new double[steps];
    for (int k = 0; k < steps; k++) {
      r[k] = min * Math.pow(max / min, (double) k / (steps - 1));
    }
    return r;
  }

  /** Whether the smoothed loss of the updates so far calls for stopping (NaN, or {@value #EXPLOSION}× its minimum). */
  public static boolean exploded(List<Double> losses) {
    double[] s = smooth(losses.stream().mapToDouble(Double::doubleValue).toArray());
    double last = s[s.length - 1];
    double best = Double.POSITIVE_INFINITY;
    for (double v : s) {
      best = Math.min(best, v);
    }
    return !Double.isFinite(last) || (s.length > 5 && last > EXPLOSION * best);
  }

  /** The bias-corrected exponential moving average of the losses. */
  public double[] smoothed() {
    return smooth(losses);
  }

  private static double[] smooth(double[] losses) {
    double[] s = new double[losses.length];
    double avg = 0;
    for (int i = 0; i < losses.length; i++) {
      avg = SMOOTHING * avg + (1 - SMOOTHING) * losses[i];
      s[i] = avg / (1 - Math.pow(SMOOTHING, i + 1));
    }
    return s;
  }

  /** The index of the smallest finite smoothed loss. */
  public int minimumIndex() {
    double[] s = smoothed();
    int best = 0;
    for (int i = 1; i < s.length; i++) {
      if (Double.isFinite(s[i]) && (!Double.isFinite(s[best]) || s[i] < s[best])) {
        best = i;
      }
    }
    return best;
  }

  /** The rate at the smallest smoothed loss. */
  public double rateAtMinimum() {
    return rates[minimumIndex()];
  }

  /** The rate where the smoothed loss falls fastest per unit of log rate, up to the minimum. */
  public double steepestRate() {
    double[] s = smoothed();
    int end = minimumIndex();
    int steepest = 0;
    double slope = Double.POSITIVE_INFINITY;
    for (int i = 1; i <= end; i++) {
      double d = (s[i] - s[i - 1]) / Math.log(rates[i] / rates[i - 1]);
      if (d < slope) {
        slope = d;
        steepest = i;
      }
    }
    return rates[steepest];
  }

  /** The suggested peak rate: a tenth of {@link #rateAtMinimum()}. */
  public double suggested() {
    return rateAtMinimum() / 10;
  }

  /** Up to {@code rows} evenly spaced (rate, smoothed loss) lines for a table, always with the minimum. */
  public List<String> table(int rows) {
    double[] s = smoothed();
    List<String> out = new ArrayList<>();
    int step = Math.max(1, rates.length / rows);
    int min = minimumIndex();
    for (int i = 0; i < rates.length; i += step) {
      out.add(line(i, s));
      if (i < min && i + step > min) {
        out.add(line(min, s));
      }
    }
    return out;
  }

  private String line(int i, double[] s) {
    return String.format(Locale.ROOT, "%10.2e  %8.4f  %8.4f%s", rates[i], losses[i], s[i],
        i == minimumIndex() ? "  <- lowest smoothed loss" : "");
  }
}
