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
import java.util.TreeSet;
import org.medvision.api.engine.InputValidator;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;

/**
 * A training graph held in DJL memory: parameters and buffers, our own accumulated gradients, and the optimiser
 * state, all in one long-lived manager freed by {@link #close}.
 *
 * <p>{@code forwardBackward} runs the graph in training mode under DJL's gradient collector, calls libtorch's
 * backward on the loss, adds each parameter's gradient to our accumulator and zeroes libtorch's, so accumulation does
 * not depend on whether libtorch or DJL clears gradients. Masks come from a {@link MaskStream} seeded once per
 * session. Not thread-safe; DJL allows one gradient collector per process, so two sessions must not run
 * {@code forwardBackward} concurrently.
 */
final class DjlTrainingSession implements TrainingSession {
  private final ai.djl.engine.Engine engine;
  private final Graph graph;
  private final ParameterStore params;
  private final List<ParameterSpec> trainable = new ArrayList<>();
  private final Map<String, NDArray> gradients = new LinkedHashMap<>();
  private final OptimizerRule optimizer;
  private final MaskStream masks;
  private final InferencePass inference;
  private final Set<String> lossOnlyInputs = new TreeSet<>();
  private long steps;
  private boolean closed;

  DjlTrainingSession(ai.djl.engine.Engine engine, Graph graph, ParameterStore params, OptimizerSpec spec,
      long seed) {
    this.engine = engine;
    this.graph = graph;
    this.params = params;
    this.optimizer = new OptimizerRule(spec, params.manager());
    this.masks = new MaskStream(seed);
    for (ParameterSpec p : graph.parameters()) {
      if (p.role().trainable()) {
        trainable.add(p);
        params.arrays().get(p.name()).setRequiresGradient(true);
        gradients.put(p.name(), zeros(p));
      }
    }
    List<ValueInfo> outputs = graph.outputs().stream().filter(o -> !o.name().equals(TrainingGraph.LOSS)).toList();
    List<String> names = outputs.stream().map(ValueInfo::name).toList();
    List<org.medvision.api.graph.Node> nodes = GraphInterpreter.nodesFor(graph, names);
    List<ValueInfo> read = GraphInterpreter.inputsRead(graph, nodes, names);
    this.inference = new InferencePass(nodes, read, outputs);
    for (ValueInfo in : graph.inputs()) {
      if (!read.contains(in)) {
        lossOnlyInputs.add(in.name());
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
    float loss;
    try (NDManager scope = params.manager().newSubManager()) {
      params.lendTo(scope);
      Map<String, NDArray> values = new HashMap<>(params.arrays());
      for (ValueInfo in : graph.inputs()) {
        values.put(in.name(), HostArrays.toDevice(scope, batch.get(in.name()), "input '" + in.name() + "'"));
      }
      try (GradientCollector collector = engine.newGradientCollector()) {
        GraphInterpreter.run(graph.nodes(), values, scope, masks);
        NDArray lossArray = values.get(TrainingGraph.LOSS);
        loss = lossArray.toType(DataType.FLOAT32, false).getFloat();
        collector.backward(lossArray);
      }
      for (ParameterSpec p : trainable) {
        NDArray param = params.arrays().get(p.name());
        gradients.get(p.name()).addi(param.getGradient());
        JniUtils.zeroGrad((PtNDArray) param);
      }
    }
    return loss;
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

  @Override
  public void step(double learningRate) {
    checkOpen();
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager scope = params.manager().newSubManager()) {
      params.lendTo(scope);
      lendGradients(scope);
      optimizer.lendTo(scope);
      steps++;
      for (ParameterSpec p : trainable) {
        optimizer.update(p.name(), params.arrays().get(p.name()), gradients.get(p.name()), p.role().decayed(),
            learningRate, steps, scope);
      }
    } finally {
      JniUtils.setGradMode(recording);
    }
    // Fresh zeros rather than g·0, which would keep a NaN or infinite gradient alive into the next step.
    for (ParameterSpec p : trainable) {
      gradients.put(p.name(), zeros(p)).close();
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
  }

  @Override
  public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
    checkOpen();
    InputValidator.check(graph, inference.inputs(), lossOnlyInputs, inputs);
    return inference.run(params, inputs);
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
    return "DjlTrainingSession(" + graph.name() + ", " + optimizer.spec().kind() + ", step " + steps + ")";
  }
}
