package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.medvision.api.engine.EngineException;

/**
 * Checks once per process, before the first training session, that libtorch's oneDNN convolutions differentiate
 * correctly on this CPU, and switches oneDNN off in libtorch when they do not.
 *
 * <p><b>Why.</b> oneDNN sizes its JIT kernels' blocking from the cache sizes its bundled Xbyak reads with CPUID. On
 * AMD processors it reads leaf {@code 0x8000001D} without checking it; some hypervisors (a Firecracker VM on AMD
 * EPYC, for one) advertise that leaf and return zeros, so every cache looks one byte large. With libtorch 2.7.1
 * (oneDNN 3.7.1) the backward-data convolution kernels then leave part of the input gradient unwritten: it holds
 * whatever the allocator left there, so gradients are wrong and change from run to run, NaN included. The forward
 * pass and the weight gradient came out right in the same cases, so only training notices. The faulty kernels are the
 * JIT ones for AVX2 and AVX-512 ({@code jit:avx2}, {@code jit:avx512_core} backward_data in {@code ONEDNN_VERBOSE});
 * capped at AVX, oneDNN computes backward data through its GEMM path, which is right, so {@link DjlRuntime#load()}
 * sets that cap on such machines and this check normally finds nothing to do.
 *
 * <p><b>How.</b> Two small convolutions that libtorch routes through oneDNN (batch 2, a 3-d one dilated and padded,
 * a 2-d one padded) are differentiated with respect to their input, and the gradient is compared with a direct sum
 * on the host. If either is wrong, oneDNN is switched off for the process ({@link LibtorchContext}), a note goes to
 * standard error, and the cases are checked again; libtorch then convolves with its own kernels, which are right and
 * slower. The outcome is kept for {@link #outcome()}. The check costs a few milliseconds when the first training
 * session opens; a process that only runs inference never needs it and keeps oneDNN (whose forward kernels are
 * right here).
 */
final class OneDnnConvolutionCheck {
  /** Allowed |engine − host| per element, relative to 1 + |host|; float32 sums of at most 54 products of O(1). */
  static final double TOLERANCE = 1e-4;

  private static Outcome outcome;

  private OneDnnConvolutionCheck() {}

  /** What the check found and did. */
  enum Outcome {
    /** The convolution gradients were right; libtorch's choice of kernels is left alone. */
    KEPT,
    /** They were wrong; oneDNN was switched off in libtorch for this process. */
    ONEDNN_SWITCHED_OFF
  }

  /**
   * Runs the check unless it already ran in this process, and returns its outcome.
   *
   * @throws EngineException when the gradients are wrong and oneDNN cannot be switched off
   */
  static synchronized Outcome ensureChecked() {
    if (outcome == null) {
      outcome = run();
    }
    return outcome;
  }

  /** The outcome of the check in this process, or null before {@link #ensureChecked()}. */
  static synchronized Outcome outcome() {
    return outcome;
  }

  private static Outcome run() {
    List<String> wrong = wrongCases();
    if (wrong.isEmpty()) {
      return Outcome.KEPT;
    }
    String finding = "libtorch's oneDNN convolutions give wrong gradients on this CPU (" + String.join("; ", wrong)
        + "), probably because the CPU reports no cache sizes";
    try {
      LibtorchContext.bind().setOneDnnEnabled(false);
    } catch (EngineException e) {
      throw new EngineException(finding + ", and oneDNN cannot be switched off: " + e.getMessage()
          + ". Setting the environment variable ONEDNN_MAX_CPU_ISA=AVX before starting the JVM avoids the "
          + "faulty kernels.", e);
    }
    List<String> still = wrongCases();
    if (!still.isEmpty()) {
      throw new EngineException(finding + ", and still after switching oneDNN off: " + String.join("; ", still));
    }
    System.err.println("medvision: " + finding + "; oneDNN is switched off for this process, so convolutions run "
        + "on libtorch's own kernels (right, and slower).");
    return Outcome.ONEDNN_SWITCHED_OFF;
  }

  /** The probe convolutions whose input gradient differs from the host's, described; empty when all agree. */
  static List<String> wrongCases() {
    List<String> wrong = new ArrayList<>();
    check(new ConvCase(new long[] {2, 2, 4, 5, 4}, 2, 3, 2, 2), wrong);
    check(new ConvCase(new long[] {2, 2, 6, 7}, 2, 3, 1, 1), wrong);
    return wrong;
  }

  private static void check(ConvCase c, List<String> wrong) {
    float[] engine = engineInputGradient(c);
    double[] host = c.hostInputGradient();
    double worst = 0;
    boolean nan = false;
    for (int i = 0; i < host.length; i++) {
      double error = Math.abs(engine[i] - host[i]) / (1 + Math.abs(host[i]));
      nan |= Double.isNaN(error);
      worst = Double.isNaN(error) ? worst : Math.max(worst, error);
    }
    if (nan || worst > TOLERANCE) {
      wrong.add(c + ": input gradient off by up to " + (nan ? "NaN" : String.format("%.3g (relative)", worst)));
    }
  }

  /** d(sum(conv(x, w) · r))/dx through libtorch, autograd driven directly as in {@link KernelProbe}. */
  static float[] engineInputGradient(ConvCase c) {
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try (NDManager scope = NDManager.newBaseManager(ai.djl.Device.cpu(), DjlRuntime.PYTORCH)) {
      NDArray x = scope.create(c.input(), new Shape(c.inputDims));
      NDArray w = scope.create(c.weight(), new Shape(c.weightDims()));
      NDArray r = scope.create(c.outputWeights(), new Shape(c.outputDims()));
      x.setRequiresGradient(true);
      int rank = c.spatialRank();
      NDArray y = x.getNDArrayInternal().convolution(x, w, null, new Shape(filled(rank, 1)),
          new Shape(filled(rank, c.pad)), new Shape(filled(rank, c.dilation)), 1).singletonOrThrow();
      NDArray loss = y.mul(r).sum();
      JniUtils.backward((PtNDArray) loss, (PtNDArray) scope.ones(loss.getShape(), DataType.FLOAT32), false, false);
      return x.getGradient().toFloatArray();
    } finally {
      JniUtils.setGradMode(recording);
    }
  }

  private static long[] filled(int n, long value) {
    long[] a = new long[n];
    java.util.Arrays.fill(a, value);
    return a;
  }

  /**
   * A stride-1 convolution [N, C, spatial...] with C output channels, a cubic kernel, symmetric padding and
   * dilation, with fixed non-trivial values (no randomness: the check must mean the same on every run).
   */
  static final class ConvCase {
    final long[] inputDims;
    final int channels;
    final long kernel;
    final long dilation;
    final long pad;

    ConvCase(long[] inputDims, int channels, long kernel, long dilation, long pad) {
      this.inputDims = inputDims.clone();
      this.channels = channels;
      this.kernel = kernel;
      this.dilation = dilation;
      this.pad = pad;
      if (inputDims[1] != channels) {
        throw new IllegalArgumentException("input channels " + inputDims[1] + " != " + channels);
      }
    }

    int spatialRank() {
      return inputDims.length - 2;
    }

    long[] weightDims() {
      long[] d = new long[inputDims.length];
      d[0] = channels;
      d[1] = channels;
      for (int i = 2; i < d.length; i++) {
        d[i] = kernel;
      }
      return d;
    }

    long[] outputDims() {
      long[] d = inputDims.clone();
      for (int i = 2; i < d.length; i++) {
        d[i] = inputDims[i] + 2 * pad - dilation * (kernel - 1);
      }
      return d;
    }

    float[] input() {
      return values(inputDims, 0.37);
    }

    float[] weight() {
      return values(weightDims(), 1.91);
    }

    float[] outputWeights() {
      return values(outputDims(), 2.53);
    }

    /** sin(k·(i+1)) rounded to float: spread over [−1, 1], no two neighbours alike. */
    private static float[] values(long[] dims, double k) {
      float[] v = new float[Math.toIntExact(count(dims))];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.sin(k * (i + 1));
      }
      return v;
    }

    /** The input gradient by direct summation: each output position spreads r·w back to the inputs it read. */
    double[] hostInputGradient() {
      float[] w = weight();
      float[] r = outputWeights();
      long[] out = outputDims();
      int rank = spatialRank();
      long inSpatial = count(inputDims) / (inputDims[0] * channels);
      long outSpatial = count(out) / (out[0] * channels);
      long kernelSize = count(weightDims()) / ((long) channels * channels);
      double[] g = new double[Math.toIntExact(count(inputDims))];
      long[] o = new long[rank];
      long[] k = new long[rank];
      for (long os = 0; os < outSpatial; os++) {
        unravel(os, out, o);
        for (long ks = 0; ks < kernelSize; ks++) {
          unravel(ks, weightDims(), k);
          long in = 0;
          boolean inside = true;
          for (int a = 0; a < rank; a++) {
            long p = o[a] - pad + k[a] * dilation;
            inside &= p >= 0 && p < inputDims[a + 2];
            in = in * inputDims[a + 2] + p;
          }
          if (!inside) {
            continue;
          }
          for (int n = 0; n < inputDims[0]; n++) {
            for (int m = 0; m < channels; m++) {
              double rv = r[Math.toIntExact((n * channels + m) * outSpatial + os)];
              for (int c = 0; c < channels; c++) {
                g[Math.toIntExact((n * channels + c) * inSpatial + in)] +=
                    rv * w[Math.toIntExact((m * channels + c) * kernelSize + ks)];
              }
            }
          }
        }
      }
      return g;
    }

    /** The spatial coordinates of flat spatial index {@code i} of an array of {@code dims} [N, C, spatial...]. */
    private static void unravel(long i, long[] dims, long[] coords) {
      for (int a = coords.length - 1; a >= 0; a--) {
        coords[a] = i % dims[a + 2];
        i /= dims[a + 2];
      }
    }

    private static long count(long[] dims) {
      long n = 1;
      for (long d : dims) {
        n *= d;
      }
      return n;
    }

    @Override
    public String toString() {
      return spatialRank() + "-d convolution of input " + java.util.Arrays.toString(inputDims) + ", kernel "
          + kernel + ", dilation " + dilation + ", padding " + pad;
    }
  }
}
