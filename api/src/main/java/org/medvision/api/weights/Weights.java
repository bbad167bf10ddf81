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

  /**
   * Starts {@code graph} from these weights where they fit and from seeded random initialisation elsewhere: the
   * partial initialisation of a model from a backbone checkpoint (ImageNet, MedicalNet, BERT weights), whose head is
   * new. Names are matched exactly (apply a {@link KeyMap} first for foreign layouts); tensors the graph lacks are
   * dropped. A name present in both with another shape is an error, never silently re-initialised.
   *
   * @param seed the seed of the random part (as {@link RandomWeights#initialize})
   * @param required a regular expression over parameter names that must all be loaded (e.g. the backbone), or null
   * @return the full weights and a report of what was loaded, initialised and dropped
   * @throws WeightMismatchException listing every mis-shaped name
   * @throws org.medvision.api.MedvisionException if nothing fits, or a required parameter is missing
   */
  public PartialFit fitPartially(Graph graph, long seed, String required) {
    Weights random = RandomWeights.initialize(graph, seed);
    List<String> misshaped = new ArrayList<>();
    List<String> loaded = new ArrayList<>();
    List<String> initialized = new ArrayList<>();
    List<String> missingRequired = new ArrayList<>();
    Map<String, Tensor> fitted = new LinkedHashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      Tensor t = tensors.get(p.name());
      if (t == null) {
        initialized.add(p.name());
        fitted.put(p.name(), random.tensors().get(p.name()));
        if (required != null && java.util.regex.Pattern.matches(required, p.name())) {
          missingRequired.add(p.name());
        }
      } else if (!t.shape().equals(p.shape())
          || (t.dtype() != p.dtype() && !(t.dtype().isFloatingPoint() && p.dtype().isFloatingPoint()))) {
        misshaped.add(p.name() + ": expected " + p.dtype() + p.shape() + ", got " + t.dtype() + t.shape());
      } else {
        loaded.add(p.name());
        fitted.put(p.name(), t.to(p.dtype()));
      }
    }
    if (!misshaped.isEmpty()) {
      throw new WeightMismatchException(source, List.of(), List.of(), misshaped);
    }
    List<String> dropped = new ArrayList<>();
    for (String name : tensors.keySet()) {
      if (graph.parameter(name).isEmpty()) {
        dropped.add(name);
      }
    }
    if (loaded.isEmpty()) {
      throw new org.medvision.api.MedvisionException("checkpoint " + source + " has none of the parameters of graph '"
          + graph.name() + "' (its names look like " + tensors.keySet().stream().limit(3).toList()
          + ", the graph's like " + graph.parameters().stream().limit(3).map(ParameterSpec::name).toList()
          + "); a key map may be needed");
    }
    if (!missingRequired.isEmpty()) {
      throw new org.medvision.api.MedvisionException("checkpoint " + source + " lacks " + missingRequired.size()
          + " parameter(s) of the backbone it should initialise, e.g. "
          + missingRequired.stream().limit(5).toList() + "; is it the right checkpoint (or does it need a key map)?");
    }
    return new PartialFit(new Weights(fitted, metadata, source + " + random(seed=" + seed + ")"),
        new FitReport(source, loaded, initialized, dropped));
  }
}
