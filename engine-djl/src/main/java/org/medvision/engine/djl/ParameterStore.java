package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * A graph's parameters and buffers as NDArrays in one long-lived manager, and the scoping rule around them: a run
 * temporarily attaches every parameter to its own scope, so that arrays computed from parameters (whose results DJL
 * attaches to the first operand's manager) are freed with the scope, and the parameters return here when it closes.
 */
final class ParameterStore implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> arrays;

  private ParameterStore(NDManager manager, Map<String, NDArray> arrays) {
    this.manager = manager;
    this.arrays = arrays;
  }

  /**
   * Copies {@code fitted} (weights already fitted to {@code graph}) into a new base manager of {@code engine} on
   * {@code device}.
   *
   * @throws org.medvision.api.engine.EngineException for a 16-bit float parameter
   */
  static ParameterStore create(ai.djl.engine.Engine engine, ai.djl.Device device, Graph graph, Weights fitted) {
    NDManager manager = engine.newBaseManager(device);
    try {
      Map<String, NDArray> arrays = new LinkedHashMap<>();
      for (ParameterSpec p : graph.parameters()) {
        Tensor t = fitted.tensors().get(p.name());
        NDArray a = HostArrays.toDevice(manager, t, "parameter '" + p.name() + "'");
        a.setName(p.name());
        arrays.put(p.name(), a);
      }
      return new ParameterStore(manager, arrays);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** The manager owning the parameters. */
  NDManager manager() {
    return manager;
  }

  /** The parameters and buffers by name, in graph order (unmodifiable). */
  Map<String, NDArray> arrays() {
    return Collections.unmodifiableMap(arrays);
  }

  /**
   * Replaces the array of {@code name} with a copy of {@code value} in this manager and frees the old one; for
   * buffers, which no gradient or optimiser state refers to.
   */
  void replace(String name, Tensor value) {
    NDArray fresh = HostArrays.toDevice(manager, value, "buffer '" + name + "'");
    fresh.setName(name);
    NDArray old = arrays.put(name, fresh);
    if (old != null) {
      old.close();
    }
  }

  /** Attaches every parameter to {@code scope} until it closes. */
  void lendTo(NDManager scope) {
    for (NDArray a : arrays.values()) {
      a.tempAttach(scope);
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
