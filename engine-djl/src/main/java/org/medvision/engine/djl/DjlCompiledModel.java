package org.medvision.engine.djl;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.InputValidator;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Tensor;

/**
 * A graph with its parameters resident in DJL memory, run by the interpreter.
 *
 * <p>Thread-safe, but runs are serialised: each run lends the parameters to its own scope, so two runs cannot
 * overlap (libtorch's intra-op threads already use every core for one run). Each run's arrays are freed before it
 * returns; {@link #close} frees the parameters and makes later runs fail with {@link IllegalStateException}.
 *
 * <p>A lock rather than a pool of copies: on the testkit concurrency harness (16 callers, a 4x32x32 conv classifier,
 * 2 cores) 16 compiled copies ran 1.6x the predictions/s of one shared model, but hold 16 times the parameters, and
 * the gain (overlapping Java-side interpreter work of a tiny model) shrinks as the model's own compute grows. Callers
 * that want it compile one model per thread.
 */
final class DjlCompiledModel implements CompiledModel {
  private final Graph graph;
  private final Device device;
  private final ParameterStore params;
  private final InferencePass pass;
  private final ReentrantLock lock = new ReentrantLock();
  private boolean closed;

  DjlCompiledModel(Graph graph, Device device, ParameterStore params) {
    this.graph = graph;
    this.device = device;
    this.params = params;
    this.pass = new InferencePass(graph.nodes(), graph.inputs(), graph.outputs());
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public Map<String, Tensor> run(Map<String, Tensor> inputs) {
    lock.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the compiled model of graph '" + graph.name() + "' is closed");
      }
      InputValidator.check(graph, inputs);
      return pass.run(params, inputs);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      if (!closed) {
        closed = true;
        params.close();
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "DjlCompiledModel(" + graph.name() + " on " + device + ", outputs "
        + graph.outputs().stream().map(ValueInfo::name).toList() + ")";
  }
}
