package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;

/**
 * Checks optimiser state in the engine-neutral format of
 * {@link org.medvision.api.training.TrainingSession#optimizerState()}, which the DJL engine writes too, so that a
 * checkpoint moves between engines: {@value #STEP} (an int64 scalar) and, once a step has been taken, per trainable
 * parameter p the entries {@code exp_avg.p} and {@code exp_avg_sq.p} (AdamW) or {@code momentum_buffer.p} (SGD with
 * momentum), each float32 of p's shape.
 */
final class OptimizerStateFormat {
  /** The step count's key. */
  static final String STEP = "step";

  private OptimizerStateFormat() {}

  /**
   * A checked state.
   *
   * @param steps steps taken
   * @param entries float32 tensors by entry name ({@code exp_avg.p} ...), empty before the first step
   */
  record Decoded(long steps, Map<String, Tensor> entries) {}

  /**
   * Checks {@code state} against the optimiser and the trainable parameters.
   *
   * @throws MedvisionException listing every missing, unexpected, mis-typed and mis-shaped entry by name
   */
  static Decoded decode(OptimizerSpec spec, List<ParameterSpec> trainable, Map<String, Tensor> state) {
    List<String> problems = new ArrayList<>();
    long steps = 0;
    Tensor step = state.get(STEP);
    if (step == null) {
      problems.add("missing '" + STEP + "'");
    } else if (step.size() != 1 || step.dtype().isFloatingPoint()) {
      problems.add("'" + STEP + "' must be an integer scalar, got " + step.dtype() + step.shape());
    } else {
      steps = step.toLongArray()[0];
      if (steps < 0) {
        problems.add("'" + STEP + "' is negative (" + steps + ")");
      }
    }
    Set<String> unexpected = new TreeSet<>(state.keySet());
    unexpected.remove(STEP);
    List<String> missing = new ArrayList<>();
    Map<String, Tensor> entries = new LinkedHashMap<>();
    for (ParameterSpec p : trainable) {
      for (String prefix : OptimizerUpdates.statePrefixes(spec)) {
        String key = prefix + p.name();
        Tensor t = state.get(key);
        unexpected.remove(key);
        if (t == null) {
          if (steps > 0) {
            missing.add(key);
          }
        } else if (steps == 0) {
          problems.add("'" + key + "' is given although '" + STEP + "' is 0");
        } else if (!t.dtype().isFloatingPoint() || !t.shape().equals(p.shape())) {
          problems.add("'" + key + "' is " + t.dtype() + t.shape() + ", its parameter " + p.shape());
        } else {
          entries.put(key, t.to(DType.FLOAT32));
        }
      }
    }
    if (!missing.isEmpty()) {
      problems.add("missing " + missing);
    }
    if (!unexpected.isEmpty()) {
      problems.add("unexpected " + unexpected + " (not kept by " + spec.kind()
          + (spec.kind() == OptimizerSpec.Kind.SGD ? " with momentum " + spec.momentum() : "")
          + " for this graph's trainable parameters)");
    }
    if (!problems.isEmpty()) {
      throw new MedvisionException("optimiser state does not fit this session: " + String.join("; ", problems));
    }
    return new Decoded(steps, entries);
  }
}
