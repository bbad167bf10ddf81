package org.medvision.api.engine;

import java.util.Map;
import java.util.Optional;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Checks the indices fed to {@link Op#GATHER} nodes against the extent they index, on the host, before a run. The IR
 * makes an index outside [−n, n) an error, but native kernels disagree on what they do with one (an error on the
 * CPU, a zero or a device-side abort on a GPU), so every engine checks here and the message names the input, the
 * node and the offending index.
 */
final class GatherIndices {
  private GatherIndices() {}

  /**
   * Checks every gather whose indices are an int64 graph input present in {@code inputs} and whose indexed extent is
   * known: from the fed tensor when the data is a graph input, else from the graph's declared shapes.
   *
   * @throws EngineException naming the first index out of range
   */
  static void check(Graph graph, Map<String, Tensor> inputs) {
    Map<String, ValueInfo> declared = null;
    for (Node n : graph.nodes()) {
      if (n.op() != Op.GATHER) {
        continue;
      }
      Tensor indices = inputs.get(n.inputs().get(1));
      if (indices == null || indices.dtype() != DType.INT64) {
        continue;
      }
      String data = n.inputs().get(0);
      Shape shape;
      Tensor fed = inputs.get(data);
      Optional<ParameterSpec> parameter = graph.parameter(data);
      if (fed != null) {
        shape = fed.shape();
      } else if (parameter.isPresent()) {
        shape = parameter.get().shape();
      } else {
        if (declared == null) {
          declared = graph.valueInfos();
        }
        shape = declared.get(data).shape();
      }
      long axis = n.attributes().getInt("axis");
      long extent = shape.dim((int) (axis < 0 ? axis + shape.rank() : axis));
      if (extent != Shape.DYNAMIC) {
        checkRange(graph, n, indices.toLongArray(), extent);
      }
    }
  }

  private static void checkRange(Graph graph, Node n, long[] values, long extent) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < -extent || values[i] >= extent) {
        throw new EngineException("input '" + n.inputs().get(1) + "' of graph '" + graph.name() + "' holds index "
            + values[i] + " at element " + i + ", outside [" + -extent + ", " + extent + ") for node '" + n.name()
            + "' (gather along axis " + n.attributes().getInt("axis") + " of '" + n.inputs().get(0) + "')");
      }
    }
  }
}
