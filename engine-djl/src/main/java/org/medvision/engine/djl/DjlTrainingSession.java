package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.InputValidator;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.BufferValues;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.ParamSettings;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;

/**
 * A training graph held in DJL memory: parameters and buffers, our own accumulated gradients, and the optimiser state,
 * all in one long-lived manager freed by {@link #close}.
 *
 * <p>{@code forwardBackward} runs the graph in training mode under DJL's gradient collector, calls libtorch's backward
 * on the loss, adds each parameter's gradient to our accumulator and zeroes libtorch's, so accumulation does not depend
 * on whether libtorch or DJL clears gradients. Masks come from a {@link MaskStream} seeded once per session. Parameters
 * that a parameter group freezes never require a gradient, so autograd computes none for them, and they have no
 * accumulator and no optimiser state. When the session measures per-term gradient norms ({@link LossTermGradients}),
 * each term is differentiated first with the autograd graph kept, and libtorch's gradients are zeroed after each, so
 * the loss's own backward pass starts from zero as it would without them. Not thread-safe; DJL allows one gradient
 * collector per process, so two sessions must not run {@code forwardBackward} concurrently.
 *
 * <p><b>Mixed precision.</b> With BF16_MIXED or FP16_MIXED the forward pass follows {@link MixedPrecision}'s policy;
 * parameters, accumulators and optimiser state stay float32. FP16_MIXED also scales the loss ({@link LossScaler}):
 * backward runs on loss·scale, and each micro-batch's gradients are divided by the scale as they are added to the
 * float32 accumulators, so {@link #gradients}, {@link #gradientNorm} and {@link #scaleGradients} (averaging, clipping)
 * always see true, unscaled gradients ("unscale before clipping"). If a micro-batch's scaled gradients hold an infinity
 * or NaN, the accumulated gradients of the whole optimiser step are discarded (set to zero, so the norm is 0 and
 * clipping is a no-op) and further micro-batches of that step are not added; the next {@link #step} then updates
 * nothing (parameters, moments and the step count stay as they are), halves the scale and counts a skipped step. The
 * scale, the growth tracker and the skipped-step count are part of {@link #optimizerState()}. BF16_MIXED uses no
 * scaling (bfloat16 has float32's exponent range).
 */
final class DjlTrainingSession implements TrainingSession {
  private final ai.djl.engine.Engine engine;
  private final Graph graph;
  private final ParameterStore params;
  /** The trainable parameters no group freezes, in graph order. */
  private final List<ParameterSpec> trainable = new ArrayList<>();
  private final Map<String, ParamSettings> settings = new HashMap<>();
  private final Map<String, NDArray> gradients = new LinkedHashMap<>();
  private final OptimizerRule optimizer;
  private final MaskStream masks;
  private final InferencePass inference;
  private final Set<String> lossOnlyInputs;
  private final List<String> lossTermNames;
  private final LossTermGradients termGradients;
  private final MixedPrecision amp;
  private final LossScaler scaler;
  private long steps;
  private Map<String, Float> lossTerms;
  private boolean overflowed;
  private boolean closed;

  /**
   * Opens a session on parameters already in DJL memory.
   *
   * @param amp the mixed-precision policy, {@code null} for float32
   * @param scaler the loss scaler of float16 training, {@code null} otherwise
   * @param normTargets the parameters at which per-term gradient norms are measured; empty for none
   */
  DjlTrainingSession(ai.djl.engine.Engine engine, Graph graph, ParameterStore params, OptimizerSpec spec,
      long seed, MixedPrecision amp, LossScaler scaler, List<ParameterSpec> normTargets) {
    this.engine = engine;
    this.amp = amp;
    this.scaler = scaler;
    this.graph = graph;
    this.params = params;
    this.optimizer = new OptimizerRule(spec, params.manager());
    this.masks = new MaskStream(seed);
    for (ParameterSpec p : graph.parameters()) {
      ParamSettings s = spec.settingsFor(p);
      if (p.role().trainable() && !s.frozen()) {
        trainable.add(p);
        settings.put(p.name(), s);
        params.arrays().get(p.name()).setRequiresGradient(true);
        gradients.put(p.name(), zeros(p));
      }
    }
    Graph model = TrainingGraph.inferenceGraph(graph);
    this.inference = new InferencePass(model.nodes(), model.inputs(), model.outputs());
    this.lossOnlyInputs = TrainingGraph.lossOnlyInputs(graph);
    this.lossTermNames = TrainingGraph.lossTerms(graph);
    this.termGradients = normTargets.isEmpty() ? null : new LossTermGradients(normTargets, trainable);
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public float forwardBackward(Map<String, Tensor> batch) {
    checkOpen();
    InputValidator.check(graph, graph.inputs(), Set.of(), batch);
    float loss;
    try (NDManager scope = params.manager().newSubManager()) {
      params.lendTo(scope);
      Map<String, NDArray> values = new HashMap<>(params.arrays());
      for (ValueInfo in : graph.inputs()) {
        values.put(in.name(), HostArrays.toDevice(scope, batch.get(in.name()), "input '" + in.name() + "'"));
      }
      try (GradientCollector collector = engine.newGradientCollector()) {
        try {
          GraphInterpreter.run(graph.nodes(), values, scope, masks, amp);
        } finally {
          if (amp != null) {
            amp.endForward();
          }
        }
        NDArray lossArray = values.get(TrainingGraph.LOSS);
        loss = lossArray.toType(DataType.FLOAT32, false).getFloat();
        Map<String, Float> terms = new LinkedHashMap<>();
        for (String term : lossTermNames) {
          terms.put(term, values.get(TrainingGraph.LOSS_TERM_PREFIX + term).toType(DataType.FLOAT32, false)
              .getFloat());
        }
        lossTerms = Collections.unmodifiableMap(terms);
        if (termGradients != null) {
          termGradients.measure(values, lossTermNames, params.arrays(), scaler == null ? 1f : scaler.scale());
        }
        backward(collector, scaler == null ? lossArray : Scalars.mul(lossArray, scaler.scale()));
      }
      accumulate();
    }
    return loss;
  }

  @Override
  public Map<String, Float> lossTerms() {
    checkOpen();
    if (lossTerms == null) {
      throw new IllegalStateException("lossTerms() of graph '" + graph.name() + "' before the first forwardBackward");
    }
    return lossTerms;
  }

  @Override
  public Map<String, Double> lossGradientNorms() {
    checkOpen();
    if (termGradients == null) {
      throw new IllegalStateException("the training session of graph '" + graph.name() + "' was opened without "
          + "TrainingOptions.lossGradientNormParameters, so it measures no per-term gradient norms");
    }
    return termGradients.norms();
  }

  private void backward(GradientCollector collector, NDArray loss) {
    try {
      collector.backward(loss);
    } catch (RuntimeException e) {
      if (amp == null) {
        throw e;
      }
      throw new EngineException("the backward pass of graph '" + graph.name() + "' failed under " + amp
          + " (libtorch may lack a " + amp.dtypeName() + " backward kernel for one of its conv/matmul/gemm nodes "
          + "there; train in FLOAT32): " + e.getMessage(), e);
    }
  }

  /**
   * Adds libtorch's gradients to the accumulators and zeroes them; with a loss scaler, unscales them first or, when
   * any is non-finite, discards this step's gradients.
   */
  private void accumulate() {
    if (scaler != null && !overflowed && !allFinite()) {
      overflowed = true;
      for (ParameterSpec p : trainable) {
        gradients.put(p.name(), zeros(p)).close();
      }
    }
    for (ParameterSpec p : trainable) {
      NDArray param = params.arrays().get(p.name());
      if (!overflowed) {
        NDArray g = param.getGradient();
        gradients.get(p.name()).addi(scaler == null ? g : g.div(scaler.scale()));
      }
      JniUtils.zeroGrad((PtNDArray) param);
    }
  }

  /** True when no trainable parameter's libtorch gradient holds an infinity or NaN. */
  private boolean allFinite() {
    for (ParameterSpec p : trainable) {
      NDArray g = params.arrays().get(p.name()).getGradient();
      // g·0 is 0 for finite values and NaN for infinities and NaNs, so one reduction answers for the tensor.
      if (!Float.isFinite(g.mul(0f).sum().getFloat())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public double gradientNorm() {
    checkOpen();
    double sum = 0;
    try (NDManager scope = params.manager().newSubManager()) {
      lendGradients(scope);
      for (NDArray g : gradients.values()) {
        sum += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
      }
    }
    return Math.sqrt(sum);
  }

  @Override
  public void scaleGradients(double factor) {
    checkOpen();
    try (NDManager scope = params.manager().newSubManager()) {
      lendGradients(scope);
      for (NDArray g : gradients.values()) {
        g.muli(factor);
      }
    }
  }

  /**
   * Applies the update, or with a loss scaler after a non-finite gradient skips it; either way clears the gradients
   * and, with a loss scaler, updates the scale.
   */
  @Override
  public void step(double learningRate) {
    checkOpen();
    if (!overflowed) {
      update(learningRate);
    }
    if (scaler != null) {
      scaler.update(overflowed);
    }
    overflowed = false;
    // Fresh zeros rather than g·0, which would keep a NaN or infinite gradient alive into the next step.
    for (ParameterSpec p : trainable) {
      gradients.put(p.name(), zeros(p)).close();
    }
  }

  private void update(double learningRate) {
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager scope = params.manager().newSubManager()) {
      params.lendTo(scope);
      lendGradients(scope);
      optimizer.lendTo(scope);
      steps++;
      for (ParameterSpec p : trainable) {
        optimizer.update(p.name(), params.arrays().get(p.name()), gradients.get(p.name()), settings.get(p.name()),
            learningRate, steps, scope);
      }
      checkFinite();
    } finally {
      JniUtils.setGradMode(recording);
    }
  }

  @Override
  public Map<String, Tensor> gradients() {
    checkOpen();
    Map<String, Tensor> out = new LinkedHashMap<>();
    gradients.forEach((name, g) -> out.put(name, HostArrays.toHost(g, DType.FLOAT32)));
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Weights weights() {
    checkOpen();
    Map<String, Tensor> out = new LinkedHashMap<>();
    try (NDManager scope = params.manager().newSubManager()) {
      params.lendTo(scope);
      params.arrays().forEach((name, a) -> out.put(name, HostArrays.toHost(a, DType.FLOAT32)));
    }
    return Weights.of(out, "djl training of '" + graph.name() + "' after " + steps + " step(s)");
  }

  @Override
  public Map<String, Tensor> optimizerState() {
    checkOpen();
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(OptimizerStateCodec.STEP, Tensor.ofLongs(Shape.scalar(), steps));
    for (ParameterSpec p : trainable) {
      exportState(out, OptimizerStateCodec.EXP_AVG, optimizer.expAvg(), p.name());
      exportState(out, OptimizerStateCodec.EXP_AVG_SQ, optimizer.expAvgSq(), p.name());
      exportState(out, OptimizerStateCodec.MOMENTUM_BUFFER, optimizer.momentumBuffer(), p.name());
    }
    if (scaler != null) {
      out.putAll(OptimizerStateCodec.encode(scaler));
    }
    return Collections.unmodifiableMap(out);
  }

  private static void exportState(Map<String, Tensor> out, String prefix, Map<String, NDArray> state, String name) {
    NDArray a = state.get(name);
    if (a != null) {
      out.put(prefix + name, HostArrays.toHost(a, DType.FLOAT32));
    }
  }

  @Override
  public void loadOptimizerState(Map<String, Tensor> state) {
    checkOpen();
    OptimizerStateCodec.Decoded decoded = OptimizerStateCodec.decode(optimizer.spec(), trainable, state);
    optimizer.clear();
    NDManager owner = params.manager();
    decoded.expAvg().forEach((name, t) -> optimizer.expAvg().put(name, HostArrays.toDevice(owner, t, name)));
    decoded.expAvgSq().forEach((name, t) -> optimizer.expAvgSq().put(name, HostArrays.toDevice(owner, t, name)));
    decoded.momentumBuffer().forEach((name, t) ->
        optimizer.momentumBuffer().put(name, HostArrays.toDevice(owner, t, name)));
    steps = decoded.steps();
    OptimizerStateCodec.ScalerState saved = decoded.scaler();
    if (scaler != null && saved != null) {
      scaler.restore(saved.scale(), saved.growthTracker(), saved.skippedSteps());
    }
  }

  @Override
  public void assignBuffers(Map<String, Tensor> buffers) {
    checkOpen();
    BufferValues.check(graph, buffers);
    buffers.forEach(params::replace);
  }

  /** The mixed-precision policy, or {@code null} in float32. */
  MixedPrecision mixedPrecision() {
    return amp;
  }

  /** The loss scaler of float16 training, or {@code null}. */
  LossScaler lossScaler() {
    return scaler;
  }

  /** Optimiser updates applied (skipped steps not counted). */
  long steps() {
    return steps;
  }

  /** The parameters and buffers as they live in DJL memory (unmodifiable; the arrays are live). */
  Map<String, NDArray> parameterArrays() {
    return params.arrays();
  }

  @Override
  public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
    checkOpen();
    InputValidator.check(graph, inference.inputs(), lossOnlyInputs, inputs);
    return inference.run(params, inputs);
  }

  /**
   * Fails the step, naming the first parameter or buffer (e.g. a BatchNorm running variance) that is no longer finite
   * and whether its gradient was, so a divergence is reported where it starts instead of as a NaN output epochs later.
   * One reduction per array and a single host read per step: a NaN or infinity anywhere makes the sum non-finite.
   */
  private void checkFinite() {
    NDArray total = null;
    for (NDArray a : params.arrays().values()) {
      NDArray sum = a.sum();
      total = total == null ? sum : total.add(sum);
    }
    if (total == null || Float.isFinite(total.getFloat())) {
      return;
    }
    for (Map.Entry<String, NDArray> e : params.arrays().entrySet()) {
      if (!Float.isFinite(e.getValue().sum().getFloat())) {
        NDArray g = gradients.get(e.getKey());
        String gradient = g == null ? "it has no gradient (a buffer updated in the forward pass)"
            : Float.isFinite(g.sum().getFloat()) ? "its gradient was finite"
            : "its gradient was already NaN or infinite";
        throw new EngineException("training diverged at step " + steps + ": '" + e.getKey()
            + "' holds NaN or infinite values after the update; " + gradient);
      }
    }
  }

  private void lendGradients(NDManager scope) {
    gradients.values().forEach(g -> g.tempAttach(scope));
  }

  private NDArray zeros(ParameterSpec p) {
    return params.manager().zeros(HostArrays.djlShape(p.shape()), DataType.FLOAT32);
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the training session of graph '" + graph.name() + "' is closed");
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      params.close();
    }
  }

  @Override
  public String toString() {
    return "DjlTrainingSession(" + graph.name() + ", " + optimizer.spec().kind() + ", step " + steps
        + (amp == null ? "" : ", " + amp) + (scaler == null ? "" : ", " + scaler) + ")";
  }
}
