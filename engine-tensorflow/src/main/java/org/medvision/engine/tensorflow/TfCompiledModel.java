package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.InputValidator;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.Tensor;
import org.tensorflow.Result;
import org.tensorflow.Session;

/**
 * A graph lowered once into a TensorFlow graph and held in one session; each run is one session call.
 *
 * <p>Thread-safe, and runs may overlap (TensorFlow sessions are reentrant); {@link #close} waits for runs in flight.
 * Every TensorFlow tensor a run creates (inputs and fetched outputs) is closed before it returns. Cross-entropy
 * class indices are range-checked on the host first, since TensorFlow's one-hot encoding ignores bad ones silently.
 */
final class TfCompiledModel implements CompiledModel {
  private final Graph graph;
  private final Device device;
  private final org.tensorflow.Graph tfGraph;
  private final Session session;
  private final LoweredGraph lowered;
  /** Cross-entropy node name to its class count, for checking class indices before a run. */
  private final Map<String, Long> classes = new java.util.HashMap<>();
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  /** Takes ownership of {@code tfGraph} and {@code session}. */
  TfCompiledModel(Graph graph, Device device, org.tensorflow.Graph tfGraph, Session session, LoweredGraph lowered) {
    this.graph = graph;
    this.device = device;
    this.tfGraph = tfGraph;
    this.session = session;
    this.lowered = lowered;
    Map<String, org.medvision.api.graph.ValueInfo> infos = graph.valueInfos();
    for (Node n : graph.nodes()) {
      if (n.op() == Op.CROSS_ENTROPY) {
        classes.put(n.name(), infos.get(n.inputs().get(0)).shape().dim(-1));
      }
    }
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
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the compiled model of graph '" + graph.name() + "' is closed");
      }
      InputValidator.check(graph, inputs);
      return execute(inputs);
    } finally {
      lock.readLock().unlock();
    }
  }

  private Map<String, Tensor> execute(Map<String, Tensor> inputs) {
    for (Node n : graph.nodes()) {
      if (n.op() == Op.CROSS_ENTROPY && inputs.containsKey(n.inputs().get(1))) {
        LossLowering.checkLabels(n, inputs.get(n.inputs().get(1)), classes.get(n.name()));
      }
    }
    List<org.tensorflow.Tensor> fed = new ArrayList<>();
    try {
      Session.Runner runner = session.runner();
      for (int i = 0; i < lowered.inputs().size(); i++) {
        org.tensorflow.Tensor t = HostTensors.toTensorFlowAny(inputs.get(lowered.inputNames().get(i)));
        fed.add(t);
        runner.feed(lowered.inputs().get(i), t);
      }
      lowered.outputs().forEach(runner::fetch);
      try (Result result = runner.run()) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < lowered.outputNames().size(); i++) {
          out.put(lowered.outputNames().get(i), HostTensors.toHost(result.get(i)));
        }
        return Collections.unmodifiableMap(out);
      }
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new EngineException("TensorFlow failed to run graph '" + graph.name() + "' on " + device + ": "
          + e.getMessage(), e);
    } finally {
      fed.forEach(org.tensorflow.Tensor::close);
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        try {
          session.close();
        } finally {
          tfGraph.close();
        }
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "TfCompiledModel(" + graph.name() + " on " + device + ", outputs " + lowered.outputNames() + ")";
  }
}
