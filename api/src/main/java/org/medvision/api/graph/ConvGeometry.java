package org.medvision.api.graph;

import java.util.Arrays;

/**
 * Strides, pads and dilations of a convolution or pooling node with the rank-dependent defaults resolved, and the
 * output-size rule they imply.
 *
 * @param kernel kernel extent per spatial axis
 * @param strides stride per spatial axis
 * @param padsBegin padding before each spatial axis
 * @param padsEnd padding after each spatial axis
 * @param dilations dilation per spatial axis
 * @param ceilMode whether the output size rounds up (pooling only)
 */
public record ConvGeometry(long[] kernel, long[] strides, long[] padsBegin, long[] padsEnd, long[] dilations,
    boolean ceilMode) {

  /**
   * Reads the geometry of {@code node} (a CONV, AVG_POOL or MAX_POOL node).
   *
   * @param kernel spatial kernel extent (for CONV: the weight's trailing dimensions)
   */
  public static ConvGeometry of(Node node, long[] kernel) {
    int n = kernel.length;
    Attributes a = node.attributes();
    long[] strides = a.findInts("strides").orElseGet(() -> filled(n, 1));
    long[] dilations = a.findInts("dilations").orElseGet(() -> filled(n, 1));
    long[] pads = a.findInts("pads").orElseGet(() -> filled(2 * n, 0));
    check(node, "strides", strides, n);
    check(node, "dilations", dilations, n);
    check(node, "pads", pads, 2 * n);
    boolean ceil = a.has("ceil_mode") && a.getInt("ceil_mode") != 0;
    return new ConvGeometry(kernel.clone(), strides, Arrays.copyOfRange(pads, 0, n), Arrays.copyOfRange(pads, n, 2 * n),
        dilations, ceil);
  }

  /** Number of spatial axes. */
  public int spatialRank() {
    return kernel.length;
  }

  /** Output extent of spatial axis {@code i} for input extent {@code in}; -1 (dynamic) in gives -1 out. */
  public long outputSize(int i, long in) {
    if (in < 0) {
      return in;
    }
    long effective = dilations[i] * (kernel[i] - 1) + 1;
    long span = in + padsBegin[i] + padsEnd[i] - effective;
    if (span < 0) {
      return 0;
    }
    long out = ceilMode ? Math.floorDiv(span + strides[i] - 1, strides[i]) + 1 : span / strides[i] + 1;
    // ONNX/PyTorch rule: with ceil mode the last window must start inside the input or left padding.
    if (ceilMode && (out - 1) * strides[i] >= in + padsBegin[i]) {
      out--;
    }
    return out;
  }

  /**
   * Per output position (row-major over {@code out}), kernel volume / divisor: the factor that turns an engine's mean
   * over the full window of the zero-padded input into {@code average_pool}'s average, whose divisor counts the
   * window's positions inside the input, or inside the padded input when padding counts ({@code count_include_pad});
   * windows with no position give 0 (their sum is 0 anyway).
   *
   * @param in input extents of the spatial axes
   * @param out output extents of the spatial axes
   */
  public float[] averageWindowFactors(long[] in, long[] out, boolean includePad) {
    int n = in.length;
    double volume = 1;
    double[][] counts = new double[n][];
    for (int i = 0; i < n; i++) {
      volume *= kernel[i];
      counts[i] = new double[Math.toIntExact(out[i])];
      for (int j = 0; j < out[i]; j++) {
        long begin = j * strides[i] - padsBegin[i];
        long end = Math.min(begin + kernel[i], in[i] + padsEnd[i]);
        counts[i][j] = includePad ? end - begin : Math.min(end, in[i]) - Math.max(begin, 0);
      }
    }
    int total = 1;
    for (long o : out) {
      total = Math.multiplyExact(total, Math.toIntExact(o));
    }
    float[] factors = new float[total];
    int[] pos = new int[n];
    for (int k = 0; k < total; k++) {
      double divisor = 1;
      for (int i = 0; i < n; i++) {
        divisor *= counts[i][pos[i]];
      }
      factors[k] = divisor > 0 ? (float) (volume / divisor) : 0f;
      for (int i = n - 1; i >= 0 && ++pos[i] == out[i]; i--) {
        pos[i] = 0;
      }
    }
    return factors;
  }

  private static long[] filled(int n, long v) {
    long[] a = new long[n];
    Arrays.fill(a, v);
    return a;
  }

  private static void check(Node node, String attr, long[] values, int expected) {
    if (values.length != expected) {
      throw new GraphValidationException("node '" + node.name() + "' (" + node.op().irName() + "): attribute '"
          + attr + "' has " + values.length + " values, expected " + expected);
    }
    for (long v : values) {
      if (v < 0 || (!attr.equals("pads") && v == 0)) {
        throw new GraphValidationException("node '" + node.name() + "' (" + node.op().irName() + "): attribute '"
            + attr + "' has invalid value " + v + " in " + Arrays.toString(values));
      }
    }
  }
}
