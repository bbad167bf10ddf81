package org.medvision.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.GraphRunner;
import org.medvision.api.training.ParameterComputation;
import org.medvision.api.weights.Weights;

/**
 * Runs a recipe's {@link ParameterComputation}s on the training engine and writes their values into the initial
 * weights, checking that each names a parameter of the model with the value's shape.
 */
final class ComputedParameters {
  private ComputedParameters() {}

  /**
   * {@code initial} with every computation's values in place; adds a note per computation (what, shapes, time).
   *
   * @throws MedvisionException for a value that names no parameter of {@code graph} or has another shape
   */
  static Weights apply(List<ParameterComputation> computations, Weights initial, Graph graph, Engine engine,
      CompileOptions options, List<String> notes) {
    if (computations.isEmpty()) {
      return initial;
    }
    GraphRunner runner = (helper, weights, inputs) -> {
      try (CompiledModel m = engine.compile(helper, weights, options)) {
        return m.run(inputs);
      }
    };
    Map<String, Tensor> tensors = new LinkedHashMap<>(initial.tensors());
    for (ParameterComputation c : computations) {
      long start = System.nanoTime();
      List<String> own = new ArrayList<>();
      Map<String, Tensor> values = c.compute(runner, own);
      double seconds = (System.nanoTime() - start) / 1e9;
      StringBuilder what = new StringBuilder();
      for (Map.Entry<String, Tensor> v : values.entrySet()) {
        ParameterSpec p = graph.parameter(v.getKey()).orElseThrow(() -> new MedvisionException(c.description()
            + ": computed '" + v.getKey() + "', which is not a parameter of graph '" + graph.name() + "'"));
        if (!p.shape().equals(v.getValue().shape())) {
          throw new MedvisionException(c.description() + ": computed '" + v.getKey() + "' of shape "
              + v.getValue().shape() + " for a parameter of shape " + p.shape());
        }
        tensors.put(v.getKey(), v.getValue());
        what.append(what.length() == 0 ? "" : ", ").append(v.getKey()).append(' ').append(p.shape());
      }
      notes.add(String.format(Locale.ROOT, "computed %s: %s on %s in %.2f s", what, c.description(), engine.name(),
          seconds));
      notes.addAll(own);
    }
    return new Weights(tensors, initial.metadata(), initial.source());
  }
}
