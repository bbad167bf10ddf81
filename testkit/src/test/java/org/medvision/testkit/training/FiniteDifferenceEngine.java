package org.medvision.testkit.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.BufferValues;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * A slow test engine that trains with the reference interpreter: the loss and its terms from {@link
 * ReferenceInterpreter#runTraining}, every gradient element (and the per-term gradient norms) from a central difference
 * with step 1e-3 (times {@code gradientFactor}, to make it wrong on purpose), steps from {@link ReferenceOptimizer},
 * which applies the parameter groups. It neither updates BatchNorm statistics nor draws dropout masks, so the suite's
 * tests of those must fail on it; everything else should pass when the factor is 1.
 */
final class FiniteDifferenceEngine implements Engine {
  private final double gradientFactor;

  FiniteDifferenceEngine(double gradientFactor) {
    this.gradientFactor = gradientFactor;
  }

  @Override
  public String name() {
    return "finite-differences";
  }

  @Override
  public String version() {
    return "test";
  }

  @Override
  public List<Device> availableDevices() {
    return List.of(Device.CPU);
  }

  @Override
  public EngineCapabilities capabilities() {
    return new EngineCapabilities(List.of(Device.Kind.CPU), Set.of(DType.FLOAT32), Set.of(Op.values()), true);
  }

  @Override
  public CompiledModel compile(Graph graph, Weights weights, CompileOptions options) {
    throw new EngineException("the finite-difference engine only trains");
  }

  @Override
  public TrainingSession train(Graph trainingGraph, Weights initial, OptimizerSpec optimizer,
      TrainingOptions options) {
    if (options.precision() != Precision.FLOAT32) {
      throw new EngineException("mixed precision " + options.precision() + " needs CUDA");
    }
    optimizer.checkGroups(trainingGraph);
    return new Session(trainingGraph, initial.fitTo(trainingGraph), optimizer,
        options.lossGradientNormTargets(trainingGraph, optimizer));
  }

  @Override
  public void close() {}

  private final class Session implements TrainingSession {
    private final Graph graph;
    private final OptimizerSpec spec;
    private final ReferenceOptimizer optimizer;
    private final List<ParameterSpec> normTargets;
    private Weights weights;
    private Map<String, float[]> gradients = new LinkedHashMap<>();
    private Map<String, Float> lossTerms;
    private Map<String, Double> lossGradientNorms;

    Session(Graph graph, Weights weights, OptimizerSpec spec, List<ParameterSpec> normTargets) {
      this.graph = graph;
      this.spec = spec;
      this.weights = weights;
      this.optimizer = ReferenceOptimizer.forGraph(spec, graph);
      this.normTargets = normTargets;
      clear();
    }

    private void clear() {
      gradients = new LinkedHashMap<>();
      for (ParameterSpec p : graph.parameters()) {
        if (p.role().trainable() && !spec.settingsFor(p).frozen()) {
          gradients.put(p.name(), new float[Math.toIntExact(p.size())]);
        }
      }
    }

    @Override
    public Graph graph() {
      return graph;
    }

    @Override
    public float forwardBackward(Map<String, Tensor> batch) {
      FiniteDifferences fd = new FiniteDifferences(graph, weights, batch);
      for (Map.Entry<String, float[]> e : gradients.entrySet()) {
        float[] g = e.getValue();
        for (int i = 0; i < g.length; i++) {
          g[i] += (float) (gradientFactor * fd.derivative(e.getKey(), i, 1e-3));
        }
      }
      Map<String, Tensor> outputs = ReferenceInterpreter.runTraining(graph, weights, batch);
      lossTerms = new LinkedHashMap<>();
      lossGradientNorms = new LinkedHashMap<>();
      for (String term : TrainingGraph.lossTerms(graph)) {
        String output = TrainingGraph.LOSS_TERM_PREFIX + term;
        lossTerms.put(term, outputs.get(output).toFloatArray()[0]);
        FiniteDifferences termDifferences = new FiniteDifferences(graph, weights, batch, output);
        double squares = 0;
        for (ParameterSpec p : normTargets) {
          for (int i = 0; i < p.size(); i++) {
            double d = gradientFactor * termDifferences.derivative(p.name(), i, 1e-3);
            squares += d * d;
          }
        }
        lossGradientNorms.put(term, Math.sqrt(squares));
      }
      return (float) fd.loss();
    }

    @Override
    public Map<String, Float> lossTerms() {
      if (lossTerms == null) {
        throw new IllegalStateException("no forwardBackward yet");
      }
      return lossTerms;
    }

    @Override
    public Map<String, Double> lossGradientNorms() {
      if (normTargets.isEmpty() || lossGradientNorms == null) {
        throw new IllegalStateException(normTargets.isEmpty() ? "opened without loss-gradient norms"
            : "no forwardBackward yet");
      }
      return lossGradientNorms;
    }

    @Override
    public double gradientNorm() {
      double sum = 0;
      for (float[] g : gradients.values()) {
        for (float v : g) {
          sum += (double) v * v;
        }
      }
      return Math.sqrt(sum);
    }

    @Override
    public void scaleGradients(double factor) {
      for (float[] g : gradients.values()) {
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) (g[i] * factor);
        }
      }
    }

    @Override
    public void step(double learningRate) {
      weights = optimizer.step(weights, gradients(), learningRate);
      clear();
    }

    @Override
    public Map<String, Tensor> gradients() {
      Map<String, Tensor> out = new LinkedHashMap<>();
      gradients.forEach((name, g) -> out.put(name, Tensor.of(graph.parameter(name).orElseThrow().shape(), g.clone())));
      return out;
    }

    @Override
    public Weights weights() {
      return weights;
    }

    @Override
    public Map<String, Tensor> optimizerState() {
      return optimizer.state();
    }

    @Override
    public void loadOptimizerState(Map<String, Tensor> state) {
      for (String name : gradients.keySet()) {
        for (String prefix : optimizer.state().isEmpty() ? List.<String>of() : prefixes(state)) {
          if (!state.containsKey(prefix + name)) {
            throw new MedvisionException("optimiser state lacks '" + prefix + name + "'");
          }
        }
      }
      optimizer.loadState(state);
    }

    @Override
    public void assignBuffers(Map<String, Tensor> buffers) {
      BufferValues.check(graph, buffers);
      Map<String, Tensor> next = new LinkedHashMap<>(weights.tensors());
      next.putAll(buffers);
      weights = new Weights(next, weights.metadata(), weights.source());
    }

    /** The per-parameter prefixes present in {@code state}, which a complete state has for every parameter. */
    private List<String> prefixes(Map<String, Tensor> state) {
      return List.of(ReferenceOptimizer.EXP_AVG, ReferenceOptimizer.EXP_AVG_SQ, ReferenceOptimizer.MOMENTUM_BUFFER)
          .stream().filter(p -> state.keySet().stream().anyMatch(k -> k.startsWith(p))).toList();
    }

    @Override
    public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
      Map<String, Tensor> modelInputs = new LinkedHashMap<>(inputs);
      modelInputs.keySet().removeAll(TrainingGraph.lossOnlyInputs(graph));
      TrainingCase c = new TrainingCase("infer", 0, graph, weights, modelInputs);
      return ReferenceInterpreter.run(c.modelGraph(), c.modelWeights(weights), modelInputs);
    }

    @Override
    public void close() {}
  }
}
