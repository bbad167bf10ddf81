package org.medvision.engine.onnx.nodetest;

/**
 * How close a floating-point output must be: |actual − expected| ≤ absolute + relative·|expected| per element.
 * Integer and bool outputs are always compared exactly. NaN matches NaN, an infinity only the same infinity.
 *
 * @param relative relative part, for float32 outputs
 * @param absolute absolute part, for float32 outputs
 */
public record Tolerance(double relative, double absolute) {
  /**
   * 1e-5 relative plus 1e-6 absolute: a few float32 ulps of the result plus room for sums that cancel to near zero.
   */
  public static Tolerance float32() {
    return new Tolerance(1e-5, 1e-6);
  }

  /** True when {@code actual} is close enough to {@code expected}. */
  public boolean accepts(double actual, double expected) {
    if (Double.isNaN(expected) || Double.isNaN(actual)) {
      return Double.isNaN(expected) && Double.isNaN(actual);
    }
    if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
      return actual == expected;
    }
    return Math.abs(actual - expected) <= absolute + relative * Math.abs(expected);
  }
}
