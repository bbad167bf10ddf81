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
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;

/**
 * Names and checks optimiser state as {@link org.medvision.api.training.TrainingSession#optimizerState()} documents
 * it: {@value #STEP} (int64 scalar) and, once a step has been taken, per trainable parameter p
 * {@value #EXP_AVG}p and {@value #EXP_AVG_SQ}p (AdamW) or {@value #MOMENTUM_BUFFER}p (SGD with momentum).
 *
 * <p>A float16 mixed-precision session adds its {@link LossScaler} as three scalars: {@value #LOSS_SCALE}
 * (float32), {@value #GROWTH_TRACKER} and {@value #SKIPPED_STEPS} (int64). They come as a group or not at all; any
 * session accepts them, and only a float16 session uses them, so a run may resume in another precision.
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
  /** The loss scaler's current scale. */
  static final String LOSS_SCALE = "amp.loss_scale";
  /** The loss scaler's count of finite steps since its last growth or backoff. */
  static final String GROWTH_TRACKER = "amp.growth_tracker";
  /** The loss scaler's count of skipped steps. */
  static final String SKIPPED_STEPS = "amp.skipped_steps";

  private OptimizerStateCodec() {}

  /**
   * A checked state: the step count and float32 tensors by parameter name.
   *
   * @param steps steps taken
   * @param expAvg AdamW first moments
   * @param expAvgSq AdamW second moments
   * @param momentumBuffer SGD momentum buffers
   * @param scaler the loss scaler's state, or {@code null} when the state has none
   */
  record Decoded(long steps, Map<String, Tensor> expAvg, Map<String, Tensor> expAvgSq,
      Map<String, Tensor> momentumBuffer, ScalerState scaler) {}

  /**
   * A saved {@link LossScaler}.
   *
   * @param scale the scale
   * @param growthTracker finite steps since the last growth or backoff
   * @param skippedSteps skipped steps
   */
  record ScalerState(float scale, long growthTracker, long skippedSteps) {}

  /** The three entries that save {@code scaler}. */
  static Map<String, Tensor> encode(LossScaler scaler) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(LOSS_SCALE, Tensor.of(Shape.scalar(), scaler.scale()));
    out.put(GROWTH_TRACKER, Tensor.ofLongs(Shape.scalar(), scaler.growthTracker()));
    out.put(SKIPPED_STEPS, Tensor.ofLongs(Shape.scalar(), scaler.skippedSteps()));
    return out;
  }

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
    ScalerState scaler = decodeScaler(state, problems);
    unexpected.removeAll(List.of(LOSS_SCALE, GROWTH_TRACKER, SKIPPED_STEPS));
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
        found.getOrDefault(MOMENTUM_BUFFER, Map.of()), scaler);
  }

  private static ScalerState decodeScaler(Map<String, Tensor> state, List<String> problems) {
    Tensor scale = state.get(LOSS_SCALE);
    Tensor tracker = state.get(GROWTH_TRACKER);
    Tensor skipped = state.get(SKIPPED_STEPS);
    if (scale == null && tracker == null && skipped == null) {
      return null;
    }
    if (scale == null || tracker == null || skipped == null) {
      problems.add("the loss scaler needs all of '" + LOSS_SCALE + "', '" + GROWTH_TRACKER + "' and '"
          + SKIPPED_STEPS + "', got only " + new TreeSet<>(state.keySet()).subSet("amp.", "amp/"));
      return null;
    }
    int before = problems.size();
    if (!scale.dtype().isFloatingPoint() || scale.size() != 1) {
      problems.add("'" + LOSS_SCALE + "' must be a float scalar, got " + scale.dtype() + scale.shape());
    } else {
      float v = scale.toFloatArray()[0];
      if (!(v > 0 && Float.isFinite(v))) {
        problems.add("'" + LOSS_SCALE + "' must be positive and finite, got " + v);
      }
    }
    for (Tensor t : List.of(tracker, skipped)) {
      String key = t == tracker ? GROWTH_TRACKER : SKIPPED_STEPS;
      if (t.dtype().isFloatingPoint() || t.size() != 1) {
        problems.add("'" + key + "' must be an integer scalar, got " + t.dtype() + t.shape());
      } else if (t.toLongArray()[0] < 0) {
        problems.add("'" + key + "' is negative (" + t.toLongArray()[0] + ")");
      }
    }
    if (problems.size() > before) {
      return null;
    }
    return new ScalerState(scale.toFloatArray()[0], tracker.toLongArray()[0], skipped.toLongArray()[0]);
  }
}
