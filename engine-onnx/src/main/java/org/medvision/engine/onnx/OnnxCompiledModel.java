package org.medvision.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.InputValidator;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Tensor;

/**
 * A graph loaded into one ONNX Runtime session.
 *
 * <p>Thread-safe: ONNX Runtime sessions allow concurrent {@code run} calls, so {@link #run} may be called from
 * several threads at once. {@link #close} waits for runs in progress and makes later runs fail with
 * {@link IllegalStateException}; every native tensor and result a run creates is closed before it returns.
 */
final class OnnxCompiledModel implements CompiledModel {
  private final OrtEnvironment env;
  private final OrtSession session;
  private final Graph graph;
  private final Device device;
  // Runs share the read lock; close takes the write lock so it never frees the session under a running call.
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  OnnxCompiledModel(OrtEnvironment env, OrtSession session, Graph graph, Device device) {
    this.env = env;
    this.session = session;
    this.graph = graph;
    this.device = device;
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
    Lock read = lock.readLock();
    read.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the compiled model of graph '" + graph.name() + "' is closed");
      }
      InputValidator.check(graph, inputs);
      return execute(inputs);
    } finally {
      read.unlock();
    }
  }

  private Map<String, Tensor> execute(Map<String, Tensor> inputs) {
    Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
    try {
      for (ValueInfo in : graph.inputs()) {
        feeds.put(in.name(), OrtTensors.toOrt(env, inputs.get(in.name())));
      }
      try (OrtSession.Result result = session.run(feeds)) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (ValueInfo o : graph.outputs()) {
          OnnxValue v = result.get(o.name()).orElseThrow(() -> new EngineException(
              "ONNX Runtime returned no value for output '" + o.name() + "' of graph '" + graph.name() + "'"));
          if (!(v instanceof OnnxTensor)) {
            throw new EngineException("ONNX Runtime returned output '" + o.name() + "' of graph '" + graph.name()
                + "' as " + v.getType() + ", not a tensor");
          }
          out.put(o.name(), OrtTensors.toHost(o.name(), (OnnxTensor) v));
        }
        return Collections.unmodifiableMap(out);
      }
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime failed to run graph '" + graph.name() + "' on " + device + ": "
          + e.getMessage(), e);
    } finally {
      for (OnnxTensor t : feeds.values()) {
        t.close();
      }
    }
  }

  @Override
  public void close() {
    Lock write = lock.writeLock();
    write.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    } catch (OrtException e) {
      throw new EngineException("closing the ONNX Runtime session of graph '" + graph.name() + "' failed: "
          + e.getMessage(), e);
    } finally {
      write.unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxCompiledModel(" + graph.name() + " on " + device + ")";
  }
}
