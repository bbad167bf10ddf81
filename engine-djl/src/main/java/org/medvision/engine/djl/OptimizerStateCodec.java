package org.medvision.engine.djl;

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
 * Names and checks optimiser state as {@link org.medvision.api.training.TrainingSession#optimizerState()} documents
 * it: {@value #STEP} (int64 scalar) and, once a step has been taken, per trainable parameter p
 * {@value #EXP_AVG}p and {@value #EXP_AVG_SQ}p (AdamW) or {@value #MOMENTUM_BUFFER}p (SGD with momentum).
 */
final class OptimizerStateCodec {
  /** The step count's key. */
  static final String STEP = "step";
  /** Prefix of AdamW's first moment. */
  static final String EXP_AVG = "exp_avg.";
  /** Prefix of AdamW's second moment. */
  static final String EXP_AVG_SQ = "exp_avg_sq.";
  /** Prefix of SGD's momentum buffer. */
  static final String MOMENTUM_BUFFER = "momentum_buffer.";

  private OptimizerStateCodec() {}

  /**
   * A checked state: the step count and float32 tensors by parameter name.
   *
   * @param steps steps taken
   * @param expAvg AdamW first moments
   * @param expAvgSq AdamW second moments
   * @param momentumBuffer SGD momentum buffers
   */
  record Decoded(long steps, Map<String, Tensor> expAvg, Map<String, Tensor> expAvgSq,
      Map<String, Tensor> momentumBuffer) {}

  /**
   * Checks {@code state} against the optimiser and the trainable parameters: after a step every per-parameter entry
   * the algorithm keeps must be present with its parameter's shape; before the first step there are none.
   *
   * @throws MedvisionException listing every missing, unexpected, mis-typed and mis-shaped entry
   */
  static Decoded decode(OptimizerSpec spec, List<ParameterSpec> trainable, Map<String, Tensor> state) {
    List<String> problems = new ArrayList<>();
    long steps = 0;
    Tensor step = state.get(STEP);
    if (step == null) {
      problems.add("missing '" + STEP + "'");
    } else if (step.dtype().isFloatingPoint() || step.size() != 1) {
      problems.add("'" + STEP + "' must be an integer scalar, got " + step.dtype() + step.shape());
    } else {
      steps = step.toLongArray()[0];
      if (steps < 0) {
        problems.add("'" + STEP + "' is negative (" + steps + ")");
      }
    }
    List<String> prefixes = new ArrayList<>();
    if (spec.kind() == OptimizerSpec.Kind.ADAMW) {
      prefixes.add(EXP_AVG);
      prefixes.add(EXP_AVG_SQ);
    } else if (spec.momentum() > 0) {
      prefixes.add(MOMENTUM_BUFFER);
    }
    Set<String> unexpected = new TreeSet<>(state.keySet());
    unexpected.remove(STEP);
    Map<String, Map<String, Tensor>> found = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String prefix : prefixes) {
      Map<String, Tensor> byParam = new LinkedHashMap<>();
      for (ParameterSpec p : trainable) {
        String key = prefix + p.name();
        Tensor t = state.get(key);
        unexpected.remove(key);
        if (t == null) {
          if (steps > 0) {
            missing.add(key);
          }
        } else if (steps == 0) {
          problems.add("'" + key + "' is given although 'step' is 0");
        } else if (!t.dtype().isFloatingPoint() || !t.shape().equals(p.shape())) {
          problems.add("'" + key + "' is " + t.dtype() + t.shape() + ", its parameter " + p.shape());
        } else {
          byParam.put(p.name(), t.to(DType.FLOAT32));
        }
      }
      found.put(prefix, byParam);
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
    return new Decoded(steps, found.getOrDefault(EXP_AVG, Map.of()), found.getOrDefault(EXP_AVG_SQ, Map.of()),
        found.getOrDefault(MOMENTUM_BUFFER, Map.of()));
  }
}
