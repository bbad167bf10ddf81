package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.CpuCacheReport;
import org.medvision.engine.djl.OneDnnConvolutionCheck.ConvCase;
import org.medvision.engine.djl.OneDnnConvolutionCheck.Outcome;

/**
 * The check of libtorch's oneDNN convolution gradients. On a machine whose CPU hides its cache sizes (zeroed CPUID
 * leaf 0x8000001D on AMD), oneDNN 3.7.1's AVX2 and AVX-512 backward-data kernels leave part of the input gradient
 * unwritten; there the engine caps oneDNN at AVX, whose kernels are right, so the check keeps oneDNN on, as it does
 * elsewhere. Either way, after the check (which the first training session runs), the input gradients of batched,
 * padded and dilated convolutions must be right.
 */
class OneDnnConvolutionCheckTest {
  @BeforeAll
  static void loadEngine() {
    DjlRuntime.load();
    OneDnnConvolutionCheck.ensureChecked();
  }

  @Test
  void afterTheCheckConvolutionInputGradientsMatchTheHost() {
    assertNotNull(OneDnnConvolutionCheck.outcome(), "the check ran");
    List<String> wrong = OneDnnConvolutionCheck.wrongCases();
    assertTrue(wrong.isEmpty(), "outcome " + OneDnnConvolutionCheck.outcome() + ", yet: " + wrong);
    // Larger and differently shaped than the check's own cases: more channels, a bigger volume, no dilation.
    for (ConvCase c : List.of(new ConvCase(new long[] {3, 4, 6, 7, 5}, 4, 3, 1, 1),
        new ConvCase(new long[] {2, 5, 9, 8}, 5, 3, 2, 2))) {
      assertAgrees(c, OneDnnConvolutionCheck.engineInputGradient(c), c.hostInputGradient());
    }
  }

  @Test
  void oneDnnIsOffExactlyWhenTheCheckSwitchedItOff() {
    boolean on = LibtorchContext.bind().oneDnnEnabled();
    assertEquals(OneDnnConvolutionCheck.outcome() == Outcome.KEPT, on, "outcome " + OneDnnConvolutionCheck.outcome());
  }

  /** Where the CPU hides its cache sizes, the AVX cap set at load time is what makes the gradients right. */
  @Test
  void theIsaCapKeepsOneDnnOnWhereCachesAreHidden() {
    assumeTrue(CpuCacheReport.amdCachesHidden() && System.getenv("ONEDNN_MAX_CPU_ISA") == null
        && System.getenv("DNNL_MAX_CPU_ISA") == null, "a CPU that reports its caches, or a user-set cap");
    assertEquals(Outcome.KEPT, OneDnnConvolutionCheck.outcome(), "oneDNN capped at AVX computes right gradients");
  }

  @Test
  void theSwitchReachesLibtorch() {
    LibtorchContext context = LibtorchContext.bind();
    boolean before = context.oneDnnEnabled();
    try {
      context.setOneDnnEnabled(!before);
      assertEquals(!before, context.oneDnnEnabled());
      assertEquals(!before, LibtorchContext.bind().oneDnnEnabled(), "one process-wide context");
    } finally {
      context.setOneDnnEnabled(before);
    }
    assertEquals(before, context.oneDnnEnabled());
  }

  /** The host oracle against central differences of a host forward pass that gathers rather than scatters. */
  @Test
  void hostGradientMatchesFiniteDifferencesOfTheLoss() {
    ConvCase c = new ConvCase(new long[] {2, 2, 5, 4}, 2, 3, 2, 2);
    double[] gradient = c.hostInputGradient();
    double[] x = toDouble(c.input());
    double h = 1e-3;
    for (int i = 0; i < x.length; i += 7) {
      double saved = x[i];
      x[i] = saved + h;
      double up = loss2d(c, x);
      x[i] = saved - h;
      double down = loss2d(c, x);
      x[i] = saved;
      assertEquals((up - down) / (2 * h), gradient[i], 1e-8, "element " + i);
    }
    assertFalse(java.util.Arrays.stream(gradient).allMatch(g -> g == 0), "a gradient with content");
  }

  /** sum over n, m, output positions of r · Σ_{c,k} w · x, for a 2-d case, x read where it lies inside. */
  private static double loss2d(ConvCase c, double[] x) {
    float[] w = c.weight();
    float[] r = c.outputWeights();
    long[] in = c.inputDims;
    long[] out = c.outputDims();
    int ch = c.channels;
    int k = (int) c.kernel;
    double loss = 0;
    int ri = 0;
    for (int n = 0; n < out[0]; n++) {
      for (int m = 0; m < ch; m++) {
        for (int oy = 0; oy < out[2]; oy++) {
          for (int ox = 0; ox < out[3]; ox++) {
            double y = 0;
            for (int ci = 0; ci < ch; ci++) {
              for (int ky = 0; ky < k; ky++) {
                for (int kx = 0; kx < k; kx++) {
                  long iy = oy - c.pad + ky * c.dilation;
                  long ix = ox - c.pad + kx * c.dilation;
                  if (iy >= 0 && iy < in[2] && ix >= 0 && ix < in[3]) {
                    y += w[((m * ch + ci) * k + ky) * k + kx] * x[(int) (((n * ch + ci) * in[2] + iy) * in[3] + ix)];
                  }
                }
              }
            }
            loss += r[ri++] * y;
          }
        }
      }
    }
    return loss;
  }

  private static void assertAgrees(ConvCase c, float[] engine, double[] host) {
    assertEquals(host.length, engine.length);
    for (int i = 0; i < host.length; i++) {
      double error = Math.abs(engine[i] - host[i]) / (1 + Math.abs(host[i]));
      assertTrue(error <= OneDnnConvolutionCheck.TOLERANCE,
          c + ": element " + i + " engine " + engine[i] + ", host " + host[i]);
    }
  }

  private static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
