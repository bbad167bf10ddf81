package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Tensor;

/**
 * One inference-mode evaluation of a pruned node list over a {@link ParameterStore}, inside its own NDManager scope
 * that is closed before returning, with autograd recording off on the calling thread (libtorch's grad mode is
 * per thread and on by default in new threads).
 *
 * @param nodes the nodes to evaluate, in graph order
 * @param inputs the graph inputs they read
 * @param outputs the values to return
 */
record InferencePass(List<Node> nodes, List<ValueInfo> inputs, List<ValueInfo> outputs) {
  /** Copies the lists. */
  InferencePass {
    nodes = List.copyOf(nodes);
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /**
   * Runs the pass; {@code feeds} must already be validated.
   *
   * @return the outputs copied to the host, in declaration order
   */
  Map<String, Tensor> run(ParameterStore params, Map<String, Tensor> feeds) {
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try (NDManager scope = params.manager().newSubManager()) {
      params.lendTo(scope);
      Map<String, NDArray> values = new HashMap<>(params.arrays());
      for (ValueInfo in : inputs) {
        values.put(in.name(), HostArrays.toDevice(scope, feeds.get(in.name()), "input '" + in.name() + "'"));
      }
      GraphInterpreter.run(nodes, values, scope, null, null);
      Map<String, Tensor> out = new LinkedHashMap<>();
      for (ValueInfo o : outputs) {
        NDArray v = values.get(o.name());
        if (v == null) {
          throw new EngineException("output '" + o.name() + "' was not computed");
        }
        out.put(o.name(), HostArrays.toHost(v, o.dtype()));
      }
      return Collections.unmodifiableMap(out);
    } finally {
      JniUtils.setGradMode(recording);
    }
  }
}
