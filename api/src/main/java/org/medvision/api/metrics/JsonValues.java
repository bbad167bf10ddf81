package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.List;

/** Conversions to values a JSON writer accepts: JSON has no NaN or infinity, so those become null. */
final class JsonValues {
  private JsonValues() {
  }

  /** {@code x} boxed, or null when it is NaN or infinite. */
  static Double number(double x) {
    return Double.isFinite(x) ? x : null;
  }

  /** The values of {@code xs} as {@link #number}s. */
  static List<Double> list(double[] xs) {
    List<Double> out = new ArrayList<>(xs.length);
    for (double x : xs) {
      out.add(number(x));
    }
    return out;
  }
}
