package org.medvision.api.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Checks run-time inputs against a graph's declared inputs, for engines to call before anything reaches native code,
 * so a mistake is reported with the graph's names and shapes rather than as a native runtime's error.
 */
public final class InputValidator {
  private InputValidator() {}

  /** Checks that {@code inputs} are exactly the graph's inputs; see {@link #check(Graph, List, Collection, Map)}. */
  public static void check(Graph graph, Map<String, Tensor> inputs) {
    check(graph, graph.inputs(), Set.of(), inputs);
  }

  /**
   * Checks that {@code inputs} holds every {@code required} input, nothing outside {@code required} and
   * {@code ignorable}, each required one with the declared dtype and a compatible shape, that every dynamic batch
   * dimension has one value, and that the int64 indices of every {@link org.medvision.api.graph.Op#GATHER} lie in
   * [−n, n) of the extent n they index where that extent is known.
   *
   * @throws EngineException naming every missing and unexpected input, the first input of the wrong type or shape, or
   *     the first gather index out of range
   */
  public static void check(Graph graph, List<ValueInfo> required, Collection<String> ignorable,
      Map<String, Tensor> inputs) {
    List<String> missing = new ArrayList<>();
    Set<String> declared = new TreeSet<>();
    for (ValueInfo in : required) {
      declared.add(in.name());
      if (inputs.get(in.name()) == null) {
        missing.add(in.name());
      }
    }
    Set<String> unexpected = new TreeSet<>(inputs.keySet());
    unexpected.removeAll(declared);
    unexpected.removeAll(ignorable);
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      StringBuilder sb = new StringBuilder("graph '").append(graph.name()).append("' takes inputs ")
          .append(declared);
      if (!missing.isEmpty()) {
        sb.append("; missing ").append(missing);
      }
      if (!unexpected.isEmpty()) {
        sb.append("; unexpected ").append(unexpected);
      }
      throw new EngineException(sb.toString());
    }
    String batchSource = null;
    long batch = -1;
    for (ValueInfo in : required) {
      Tensor t = inputs.get(in.name());
      if (t.dtype() != in.dtype()) {
        throw new EngineException("input '" + in.name() + "' of graph '" + graph.name() + "' is " + t.dtype()
            + t.shape() + ", but the graph declares " + in.dtype() + in.shape());
      }
      if (!t.shape().isCompatibleWith(in.shape())) {
        throw new EngineException("input '" + in.name() + "' of graph '" + graph.name() + "' has shape "
            + t.shape() + ", which does not match the declared shape " + in.shape());
      }
      if (in.shape().rank() > 0 && in.shape().dim(0) == Shape.DYNAMIC) {
        long n = t.shape().dim(0);
        if (batchSource == null) {
          batchSource = in.name();
          batch = n;
        } else if (n != batch) {
          throw new EngineException("input '" + in.name() + "' of graph '" + graph.name() + "' has batch size " + n
              + " (shape " + t.shape() + "), but input '" + batchSource + "' has batch size " + batch
              + "; dynamic batch dimensions must agree");
        }
      }
    }
    GatherIndices.check(graph, inputs);
  }
}
