package org.medvision.api.graph;

import java.util.Map;
import org.medvision.api.tensor.Shape;

/**
 * Counts of a graph: trainable parameters, buffers, and multiply-adds of convolutions and matrix products.
 *
 * <p>Multiply-adds follow the convention of most papers' "FLOPs" columns (fvcore, ptflops): one per weight use in
 * CONV, MATMUL and GEMM; normalisation, activations and residual additions are not counted.
 *
 * @param parameters trainable parameter elements (PyTorch {@code parameters()})
 * @param buffers non-trainable elements such as BatchNorm running statistics
 * @param parameterTensors number of trainable tensors
 * @param multiplyAdds multiply-adds for one forward pass at the given input shapes
 */
public record GraphStats(long parameters, long buffers, int parameterTensors, long multiplyAdds) {

  /** Counts for {@code graph} with every dynamic input dimension bound to {@code batch}. */
  public static GraphStats of(Graph graph, long batch) {
    Map<String, Shape> shapes = new java.util.HashMap<>();
    for (ValueInfo in : graph.inputs()) {
      long[] d = in.shape().dims();
      for (int i = 0; i < d.length; i++) {
        if (d[i] == Shape.DYNAMIC) {
          d[i] = batch;
        }
      }
      shapes.put(in.name(), Shape.of(d));
    }
    Map<String, ValueInfo> infos = graph.valueInfos(shapes);
    long params = 0;
    long buffers = 0;
    int tensors = 0;
    for (ParameterSpec p : graph.parameters()) {
      if (p.role().trainable()) {
        params += p.size();
        tensors++;
      } else {
        buffers += p.size();
      }
    }
    long macs = 0;
    for (Node node : graph.nodes()) {
      macs += multiplyAdds(node, infos);
    }
    return new GraphStats(params, buffers, tensors, macs);
  }

  /** Multiply-adds of one node given every value's concrete type. */
  public static long multiplyAdds(Node node, Map<String, ValueInfo> infos) {
    Shape out = infos.get(node.output()).shape();
    switch (node.op()) {
      case CONV: {
        Shape w = infos.get(node.inputs().get(1)).shape();
        long perOutput = w.size() / w.dim(0);
        return out.size() * perOutput;
      }
      case GEMM: {
        Shape a = infos.get(node.inputs().get(0)).shape();
        long k = node.attributes().getInt("transA") != 0 ? a.dim(0) : a.dim(1);
        return out.size() * k;
      }
      case MATMUL: {
        Shape a = infos.get(node.inputs().get(0)).shape();
        return out.size() * a.dim(-1);
      }
      default:
        return 0;
    }
  }
}
