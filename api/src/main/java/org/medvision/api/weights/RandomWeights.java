package org.medvision.api.weights;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;

/**
 * Fresh weights for training from scratch: every parameter a graph declares, filled by its own initializer.
 *
 * <p>Each parameter draws from its own stream, seeded from the run seed and the parameter's name. Adding, removing
 * or reordering other parameters therefore leaves a parameter's values unchanged, and two runs with one seed agree
 * exactly.
 */
public final class RandomWeights {
  private RandomWeights() {
  }

  /**
   * Initialises every parameter of {@code graph}.
   *
   * @return one tensor per {@link Graph#parameters()} entry, in declaration order and in the declared dtype, with
   *     source {@code random(seed=N)}
   * @throws MedvisionException naming the parameter if it is too large for one array or its initializer fails
   */
  public static Weights initialize(Graph graph, long seed) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      long size = p.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new MedvisionException("parameter " + p.name() + " " + p.shape() + " is too large to initialise");
      }
      float[] values = new float[(int) size];
      try {
        p.initializer().fill(values, p.shape(), new SplittableRandom(streamSeed(seed, p.name())));
      } catch (MedvisionException | ArithmeticException e) {
        throw new MedvisionException("cannot initialise parameter " + p.name() + " " + p.shape() + ": "
            + e.getMessage(), e);
      }
      tensors.put(p.name(), Tensor.fromFloats(p.dtype(), p.shape(), values));
    }
    return Weights.of(tensors, "random(seed=" + seed + ")");
  }

  /**
   * The seed of one parameter's stream: the run seed combined with a 64-bit FNV-1a hash of the name, then passed
   * through the SplitMix64 finaliser so that names differing in one character give unrelated streams.
   */
  static long streamSeed(long seed, String name) {
    long h = 0xcbf29ce484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xFF;
      h *= 0x100000001b3L;
    }
    return mix(seed ^ mix(h));
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
