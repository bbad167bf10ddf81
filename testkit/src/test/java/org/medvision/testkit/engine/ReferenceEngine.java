package org.medvision.testkit.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * A test engine that runs graphs with the reference interpreter. It can be told to lack some ops, to distort every
 * output, or to be sloppy about the compiled-model contract, so the suite can be shown to pass a correct engine and
 * to catch wrong ones.
 */
final class ReferenceEngine implements Engine {
  private final Set<Op> ops;
  private final UnaryOperator<Tensor> distortion;
  private final boolean sloppy;

  /** A correct engine for {@code ops} whose outputs pass through {@code distortion}. */
  ReferenceEngine(Set<Op> ops, UnaryOperator<Tensor> distortion) {
    this(ops, distortion, false);
  }

  /**
   * An engine that, when {@code sloppy}, still runs after close and reports bad inputs as a bare
   * IllegalArgumentException without a name.
   */
  ReferenceEngine(Set<Op> ops, UnaryOperator<Tensor> distortion, boolean sloppy) {
    this.ops = Set.copyOf(ops);
    this.distortion = distortion;
    this.sloppy = sloppy;
  }

  @Override
  public String name() {
    return "reference";
  }

  @Override
  public String version() {
    return "testkit";
  }

  @Override
  public List<Device> availableDevices() {
    return List.of(Device.CPU);
  }

  @Override
  public EngineCapabilities capabilities() {
    return new EngineCapabilities(List.of(Device.Kind.CPU), Set.of(DType.FLOAT32), ops, false);
  }

  @Override
  public CompiledModel compile(Graph graph, Weights weights, CompileOptions options) {
    for (Node n : graph.nodes()) {
      if (!ops.contains(n.op())) {
        throw new UnsupportedOpException(name(), List.of(UnsupportedOpException.describe(n.op(), n.name())));
      }
    }
    if (options.device().kind() == Device.Kind.CUDA) {
      throw new EngineException("the reference engine runs on cpu only, not " + options.device());
    }
    Weights fitted = weights.fitTo(graph);
    return new Model(graph, fitted);
  }

  @Override
  public void close() {}

  private final class Model implements CompiledModel {
    private final Graph graph;
    private final Weights weights;
    private boolean closed;

    Model(Graph graph, Weights weights) {
      this.graph = graph;
      this.weights = weights;
    }

    @Override
    public Graph graph() {
      return graph;
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
      if (closed && !sloppy) {
        throw new IllegalStateException("model of graph '" + graph.name() + "' is closed");
      }
      Map<String, Tensor> results;
      try {
        results = ReferenceInterpreter.run(graph, weights, inputs);
      } catch (MedvisionException e) {
        if (sloppy) {
          throw new IllegalArgumentException("bad input");
        }
        throw e;
      }
      Map<String, Tensor> out = new LinkedHashMap<>();
      results.forEach((k, v) -> out.put(k, distortion.apply(v)));
      return out;
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
