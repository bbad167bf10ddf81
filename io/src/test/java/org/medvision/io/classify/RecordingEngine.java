package org.medvision.io.classify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * A CPU engine for classifier tests: whatever the graph, its compiled model computes outputs from the feeds with a
 * function the test states, so expected probabilities follow by hand. It records every feed and whether the model
 * was closed.
 */
public final class RecordingEngine implements Engine {
  private final UnaryOperator<Map<String, Tensor>> model;
  private final List<Map<String, Tensor>> feeds = new ArrayList<>();
  private boolean modelClosed;

  /** An engine whose model maps each feed to outputs with {@code model}. */
  public RecordingEngine(UnaryOperator<Map<String, Tensor>> model) {
    this.model = model;
  }

  /** Every feed the model ran, in order. */
  public List<Map<String, Tensor>> feeds() {
    return feeds;
  }

  /** Whether the compiled model was closed. */
  public boolean modelClosed() {
    return modelClosed;
  }

  @Override
  public String name() {
    return "recording";
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
    return new EngineCapabilities(List.of(Device.Kind.CPU), Set.of(DType.FLOAT32), Set.of(), false);
  }

  @Override
  public CompiledModel compile(Graph graph, Weights weights, CompileOptions options) {
    return new CompiledModel() {
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
        feeds.add(inputs);
        return model.apply(inputs);
      }

      @Override
      public void close() {
        modelClosed = true;
      }
    };
  }

  @Override
  public void close() {}
}
