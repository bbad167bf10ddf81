package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.InputValidator;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.BufferValues;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.types.TFloat32;

/**
 * A training graph held in one TensorFlow graph and session: parameters, buffers, gradient accumulators and
 * optimiser state are resource variables ({@link ResourceVariables}); a forward-backward is one session call that
 * computes the loss, adds the gradients (taken with {@code Graph.addGradients} w.r.t. the parameters' variable reads)
 * to the accumulators and moves BatchNorm's running statistics; a step is one call that applies
 * {@link OptimizerUpdates} and one that zeroes the accumulators. {@link #infer} runs a second, inference-mode
 * lowering of the model ({@link GraphLowering}) over the same variables. Masks come from {@link TrainingMasks}.
 * Parameters that a parameter group freezes get no accumulator, no gradient op and no optimiser state. The named
 * loss terms are fetched with the loss; per-term gradient norms, when asked for, are gradient ops added at lowering
 * ({@link LossTermNorms}) and fetched in the same call, so they read the same forward pass and accumulate nothing.
 *
 * <p>Every TensorFlow tensor a call creates is closed before it returns; {@link #close} closes the session and the
 * graph. Not thread-safe.
 */
final class TensorFlowTrainingSession implements TrainingSession {
  private static final String GRADIENT = "gradient:";

  private final Graph graph;
  private final Device device;
  private final org.tensorflow.Graph tfGraph;
  private final Session session;
  private final ResourceVariables variables;
  /** The trainable parameters no group freezes, in graph order. */
  private final List<ParameterSpec> trainable = new ArrayList<>();
  private final OptimizerSpec spec;
  private final TrainingMasks masks;
  private final TrainingLowering.Lowered lowered;
  private final List<org.tensorflow.op.Op> backward = new ArrayList<>();
  private final TrainingKernels kernels;
  private final LoweredGraph inference;
  private final List<ValueInfo> inferenceInputs;
  private final Set<String> lossOnlyInputs;
  private final OptimizerUpdates optimizer;
  private final List<Operand<TFloat32>> fetches = new ArrayList<>();
  private final boolean measuresNorms;
  private long steps;
  private Map<String, Float> lossTerms;
  private Map<String, Double> lossGradientNorms;
  private boolean closed;

  /**
   * Builds the TensorFlow graph, opens the session and loads {@code fitted} (weights already fitted to
   * {@code graph}).
   *
   * @param normTargets the parameters at which per-term gradient norms are measured; empty for none
   */
  TensorFlowTrainingSession(Graph graph, Weights fitted, OptimizerSpec spec, long seed, List<ParameterSpec> normTargets,
      Device device, org.tensorflow.proto.ConfigProto config) {
    this.graph = graph;
    this.device = device;
    this.spec = spec;
    GradientRules.ensureRegistered();
    this.tfGraph = new org.tensorflow.Graph();
    Session opened = null;
    try {
      org.tensorflow.op.Ops tf = org.tensorflow.op.Ops.create(tfGraph);
      this.variables = new ResourceVariables(tf, "training");
      for (ParameterSpec p : graph.parameters()) {
        variables.declare(p.name(), p.shape());
        if (p.role().trainable() && !spec.settingsFor(p).frozen()) {
          trainable.add(p);
          variables.declare(GRADIENT + p.name(), p.shape());
        }
      }
      // Built before the gradients, which triple the op count: every withSubScope call scans all ops.
      Graph model = TrainingGraph.inferenceGraph(graph);
      this.inferenceInputs = model.inputs();
      this.lossOnlyInputs = TrainingGraph.lossOnlyInputs(graph);
      this.inference = new GraphLowering(tf.withSubScope("infer"), new VariableReads(variables)).lower(model);
      this.masks = new TrainingMasks(graph, seed);
      VariableReads reads = new VariableReads(variables);
      this.lowered = new TrainingLowering(tf.withSubScope("train"), reads, variables).lower(graph, masks);
      this.kernels = new TrainingKernels(tf.withSubScope("gradients_host"), variables, trainableKeys());
      this.optimizer = new OptimizerUpdates(tf, spec, trainable, variables, name -> GRADIENT + name);
      addBackward(tf.withSubScope("accumulate"), reads);
      fetches.add(lowered.loss());
      fetches.addAll(lowered.terms().values());
      this.measuresNorms = !normTargets.isEmpty();
      if (measuresNorms) {
        List<Operand<TFloat32>> targets = new ArrayList<>();
        normTargets.stream().map(p -> reads.reads().get(p.name())).filter(r -> r != null).forEach(targets::add);
        fetches.addAll(LossTermNorms.lower(tfGraph, tf.withSubScope("term_norms"), lowered.terms(), targets));
      }
      opened = new Session(tfGraph, config);
      this.session = opened;
      Map<String, Tensor> initial = new LinkedHashMap<>(fitted.tensors());
      for (ParameterSpec p : trainable) {
        initial.put(GRADIENT + p.name(), Tensor.zeros(org.medvision.api.tensor.DType.FLOAT32, p.shape()));
      }
      variables.assign(session, initial);
      resetOptimizerState();
    } catch (RuntimeException e) {
      if (opened != null) {
        opened.close();
      }
      tfGraph.close();
      throw e;
    }
  }

  private List<String> trainableKeys() {
    List<String> keys = new ArrayList<>();
    for (ParameterSpec p : trainable) {
      keys.add(GRADIENT + p.name());
    }
    return keys;
  }

  /** Gradients of the loss w.r.t. each trainable parameter's read, added to its accumulator. */
  private void addBackward(org.tensorflow.op.Ops scope, VariableReads reads) {
    List<ParameterSpec> connected = new ArrayList<>();
    List<org.tensorflow.Output<?>> xs = new ArrayList<>();
    for (ParameterSpec p : trainable) {
      org.tensorflow.Operand<TFloat32> read = reads.reads().get(p.name());
      if (read != null) {
        connected.add(p);
        xs.add(read.asOutput());
      }
    }
    backward.addAll(lowered.updates());
    if (xs.isEmpty()) {
      return;
    }
    org.tensorflow.Output<?>[] grads;
    try {
      grads = tfGraph.addGradients(lowered.loss().asOutput(), xs.toArray(new org.tensorflow.Output<?>[0]));
    } catch (RuntimeException e) {
      throw new EngineException("TensorFlow cannot differentiate the loss of graph '" + graph.name() + "': "
          + e.getMessage(), e);
    }
    for (int i = 0; i < grads.length; i++) {
      // A parameter the loss reaches only through a stop-gradient has none; its accumulator stays 0.
      if (!MissingGradients.isMissing(grads[i])) {
        backward.add(scope.assignAddVariableOp(variables.get(GRADIENT + connected.get(i).name()).handle(),
            grads[i]));
      }
    }
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public float forwardBackward(Map<String, Tensor> batch) {
    checkOpen();
    InputValidator.check(graph, graph.inputs(), Set.of(), batch);
    Map<String, Shape> shapes = new LinkedHashMap<>();
    batch.forEach((name, t) -> shapes.put(name, t.shape()));
    Map<String, ValueInfo> infos = graph.valueInfos(shapes);
    checkLabels(batch, infos);
    List<Tensor> drawn = masks.draw(infos);
    try (SessionFeeds feeds = new SessionFeeds()) {
      Session.Runner runner = session.runner();
      lowered.floatInputs().forEach((name, p) -> runner.feed(p, feeds.floats(batch.get(name))));
      lowered.longInputs().forEach((name, p) -> runner.feed(p, feeds.longs(batch.get(name))));
      for (int i = 0; i < drawn.size(); i++) {
        runner.feed(lowered.masks().get(masks.nodes().get(i).name()), feeds.floats(drawn.get(i)));
      }
      fetches.forEach(runner::fetch);
      backward.forEach(runner::addTarget);
      try (Result r = runner.run()) {
        List<String> terms = List.copyOf(lowered.terms().keySet());
        Map<String, Float> values = new LinkedHashMap<>();
        Map<String, Double> norms = new LinkedHashMap<>();
        for (int i = 0; i < terms.size(); i++) {
          values.put(terms.get(i), ((TFloat32) r.get(1 + i)).getFloat());
          if (measuresNorms) {
            norms.put(terms.get(i), (double) ((TFloat32) r.get(1 + terms.size() + i)).getFloat());
          }
        }
        lossTerms = Collections.unmodifiableMap(values);
        lossGradientNorms = Collections.unmodifiableMap(norms);
        return ((TFloat32) r.get(0)).getFloat();
      }
    } catch (TensorFlowException e) {
      throw failure("a training forward-backward", e);
    }
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
    if (!measuresNorms) {
      throw new IllegalStateException("the training session of graph '" + graph.name() + "' was opened without "
          + "TrainingOptions.lossGradientNormParameters, so it measures no per-term gradient norms");
    }
    if (lossGradientNorms == null) {
      throw new IllegalStateException("lossGradientNorms() of graph '" + graph.name()
          + "' before the first forwardBackward");
    }
    return lossGradientNorms;
  }

  /** Class indices outside [0, C) would make TensorFlow's OneHot a silent zero row. */
  private void checkLabels(Map<String, Tensor> batch, Map<String, ValueInfo> infos) {
    for (Node n : graph.nodes()) {
      if (n.op() == Op.CROSS_ENTROPY) {
        Tensor labels = batch.get(n.inputs().get(1));
        if (labels != null) {
          LossLowering.checkLabels(n, labels, infos.get(n.inputs().get(0)).shape().dim(1));
        }
      }
    }
  }

  @Override
  public double gradientNorm() {
    checkOpen();
    double sum = 0;
    for (float s : kernels.squaredNorms(session)) {
      sum += s;
    }
    return Math.sqrt(sum);
  }

  @Override
  public void scaleGradients(double factor) {
    checkOpen();
    kernels.scale(session, factor);
  }

  @Override
  public void step(double learningRate) {
    checkOpen();
    long t = steps + 1;
    float[] values = optimizer.scalarValues(learningRate, t);
    try (SessionFeeds feeds = new SessionFeeds()) {
      Session.Runner runner = session.runner();
      for (int i = 0; i < values.length; i++) {
        runner.feed(optimizer.scalarFeeds().get(i), feeds.floats(Tensor.of(Shape.scalar(), values[i])));
      }
      optimizer.updates().forEach(runner::addTarget);
      runner.run().close();
    } catch (TensorFlowException e) {
      throw failure("an optimiser step", e);
    }
    steps = t;
    kernels.zero(session);
  }

  @Override
  public Map<String, Tensor> gradients() {
    checkOpen();
    List<org.tensorflow.Operand<TFloat32>> reads = new ArrayList<>();
    for (ParameterSpec p : trainable) {
      reads.add(kernels.read(GRADIENT + p.name()));
    }
    List<Tensor> values = ResourceVariables.fetch(session, reads);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < trainable.size(); i++) {
      out.put(trainable.get(i).name(), values.get(i));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public Weights weights() {
    checkOpen();
    List<org.tensorflow.Operand<TFloat32>> reads = new ArrayList<>();
    for (ParameterSpec p : graph.parameters()) {
      reads.add(kernels.read(p.name()));
    }
    List<Tensor> values = ResourceVariables.fetch(session, reads);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < values.size(); i++) {
      out.put(graph.parameters().get(i).name(), values.get(i));
    }
    return Weights.of(out, "tensorflow training of '" + graph.name() + "' after " + steps + " step(s)");
  }

  @Override
  public Map<String, Tensor> optimizerState() {
    checkOpen();
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(OptimizerStateFormat.STEP, Tensor.ofLongs(Shape.scalar(), steps));
    if (steps == 0) {
      return Collections.unmodifiableMap(out);
    }
    List<String> keys = new ArrayList<>();
    List<org.tensorflow.Operand<TFloat32>> reads = new ArrayList<>();
    for (ParameterSpec p : trainable) {
      for (String prefix : OptimizerUpdates.statePrefixes(spec)) {
        keys.add(prefix + p.name());
        reads.add(kernels.read(prefix + p.name()));
      }
    }
    List<Tensor> values = ResourceVariables.fetch(session, reads);
    for (int i = 0; i < keys.size(); i++) {
      out.put(keys.get(i), values.get(i));
    }
    return Collections.unmodifiableMap(out);
  }

  @Override
  public void loadOptimizerState(Map<String, Tensor> state) {
    checkOpen();
    OptimizerStateFormat.Decoded decoded = OptimizerStateFormat.decode(spec, trainable, state);
    resetOptimizerState();
    variables.assign(session, decoded.entries());
    steps = decoded.steps();
  }

  private void resetOptimizerState() {
    Map<String, Tensor> zeros = new LinkedHashMap<>();
    for (ParameterSpec p : trainable) {
      for (String prefix : OptimizerUpdates.statePrefixes(spec)) {
        zeros.put(prefix + p.name(), Tensor.zeros(org.medvision.api.tensor.DType.FLOAT32, p.shape()));
      }
    }
    variables.assign(session, zeros);
  }

  @Override
  public void assignBuffers(Map<String, Tensor> buffers) {
    checkOpen();
    BufferValues.check(graph, buffers);
    variables.assign(session, buffers);
  }

  @Override
  public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
    checkOpen();
    InputValidator.check(graph, inferenceInputs, lossOnlyInputs, inputs);
    try (SessionFeeds feeds = new SessionFeeds()) {
      Session.Runner runner = session.runner();
      for (int i = 0; i < inference.inputs().size(); i++) {
        runner.feed(inference.inputs().get(i), feeds.floats(inputs.get(inference.inputNames().get(i))));
      }
      inference.outputs().forEach(runner::fetch);
      Map<String, Tensor> out = new LinkedHashMap<>();
      if (inference.outputs().isEmpty()) {
        return out;
      }
      try (Result r = runner.run()) {
        for (int i = 0; i < inference.outputNames().size(); i++) {
          out.put(inference.outputNames().get(i), HostTensors.toHost(r.get(i)));
        }
      }
      return Collections.unmodifiableMap(out);
    } catch (TensorFlowException e) {
      throw failure("inference", e);
    }
  }

  private EngineException failure(String what, TensorFlowException e) {
    return new EngineException("TensorFlow failed in " + what + " of training graph '" + graph.name() + "' on "
        + device + ": " + e.getMessage(), e);
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
      try {
        session.close();
      } finally {
        tfGraph.close();
      }
    }
  }

  @Override
  public String toString() {
    return "TensorFlowTrainingSession(" + graph.name() + ", " + spec.kind() + ", step " + steps + ")";
  }
}
