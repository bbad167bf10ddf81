package org.medvision.api.weights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;

/**
 * An immutable, ordered set of named tensors plus string metadata, as stored in a {@code .safetensors} file.
 *
 * @param tensors name to tensor, in file order
 * @param metadata the file's {@code __metadata__} strings
 * @param source where the weights came from (a file path, "random(seed=7)"), for messages and provenance
 */
public record Weights(Map<String, Tensor> tensors, Map<String, String> metadata, String source) {
  /** Copies the maps, keeping order. */
  public Weights {
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  /** Weights from a map, with no metadata. */
  public static Weights of(Map<String, Tensor> tensors, String source) {
    return new Weights(tensors, Map.of(), source);
  }

  /** The tensor named {@code name}, if present. */
  public Optional<Tensor> find(String name) {
    return Optional.ofNullable(tensors.get(name));
  }

  /** Total number of elements. */
  public long elementCount() {
    return tensors.values().stream().mapToLong(Tensor::size).sum();
  }

  /**
   * Checks these weights against every parameter {@code graph} declares: names and shapes must match exactly and
   * dtypes must match or be convertible floats. Problems of all three kinds are reported together.
   *
   * @return these weights with floating-point tensors converted to each parameter's dtype, in graph order
   * @throws WeightMismatchException listing every missing, unexpected and mis-shaped name
   */
  public Weights fitTo(Graph graph) {
    List<String> missing = new ArrayList<>();
    List<String> misshaped = new ArrayList<>();
    Map<String, Tensor> fitted = new LinkedHashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      Tensor t = tensors.get(p.name());
      if (t == null) {
        missing.add(p.name());
      } else if (!t.shape().equals(p.shape())
          || (t.dtype() != p.dtype() && !(t.dtype().isFloatingPoint() && p.dtype().isFloatingPoint()))) {
        misshaped.add(p.name() + ": expected " + p.dtype() + p.shape() + ", got " + t.dtype() + t.shape());
      } else {
        fitted.put(p.name(), t.to(p.dtype()));
      }
    }
    List<String> unexpected = new ArrayList<>();
    for (String name : tensors.keySet()) {
      if (graph.parameter(name).isEmpty()) {
        unexpected.add(name);
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty()) {
      throw new WeightMismatchException(source, missing, unexpected, misshaped);
    }
    return new Weights(fitted, metadata, source);
  }
}
