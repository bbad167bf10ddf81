package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.ConvGeometry;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ShapeInference;
import org.medvision.api.graph.ValueInfo;

/**
 * Finds out, before training starts, whether libtorch on the session's device has low-precision forward and
 * backward kernels for every kind of low-precision product in a graph, by running each kind once on tiny arrays
 * through {@link MixedPrecision#compute} and differentiating it.
 *
 * <p>A kind is what selects a different libtorch kernel: for CONV the spatial rank, whether it is dense, grouped or
 * depthwise, the kernel extent, strides and dilations; for MATMUL the operand ranks; GEMM is one kind. Autograd is
 * driven directly (grad mode on for this thread, {@code backward} on the probe's own arrays) rather than through a
 * DJL gradient collector, of which a process may hold only one.
 */
final class KernelProbe {
  private KernelProbe() {}

  /**
   * Probes every low-precision kind in {@code graph}.
   *
   * @throws EngineException naming the first node whose kind fails, its op, the dtype and the device
   */
  static void check(Graph graph, MixedPrecision amp, NDManager manager) {
    Map<String, ValueInfo> types = ShapeInference.inferAll(graph, Map.of());
    Map<String, Node> kinds = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (MixedPrecision.LOW_PRECISION_OPS.contains(n.op())) {
        kinds.putIfAbsent(kind(n, types), n);
      }
    }
    kinds.forEach((kind, node) -> probe(node, kind, types, amp, manager));
  }

  private static String kind(Node n, Map<String, ValueInfo> types) {
    if (n.op() == Op.CONV) {
      ConvGeometry g = ConvGeometry.of(n, kernel(n, types));
      return "conv " + g.spatialRank() + "-d, " + grouping(n, types) + ", kernel " + Arrays.toString(g.kernel())
          + ", strides " + Arrays.toString(g.strides()) + ", dilations " + Arrays.toString(g.dilations());
    }
    if (n.op() == Op.MATMUL) {
      return "matmul of rank " + types.get(n.inputs().get(0)).shape().rank() + " by rank "
          + types.get(n.inputs().get(1)).shape().rank();
    }
    return "gemm";
  }

  private static long[] kernel(Node n, Map<String, ValueInfo> types) {
    long[] w = types.get(n.inputs().get(1)).shape().dims();
    long[] k = Arrays.copyOfRange(w, 2, w.length);
    for (int i = 0; i < k.length; i++) {
      k[i] = k[i] > 0 ? k[i] : 3;
    }
    return k;
  }

  /** dense, grouped or depthwise (one input channel per group). */
  private static String grouping(Node n, Map<String, ValueInfo> types) {
    long group = n.attributes().getInt("group");
    if (group == 1) {
      return "dense";
    }
    return types.get(n.inputs().get(1)).shape().dim(1) == 1 ? "depthwise" : "grouped";
  }

  private static void probe(Node n, String kind, Map<String, ValueInfo> types, MixedPrecision amp,
      NDManager manager) {
    boolean recording = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    try (NDManager scope = manager.newSubManager()) {
      NDArray[] leaves;
      Supplier<NDArray> product;
      if (n.op() == Op.CONV) {
        ConvGeometry g = ConvGeometry.of(n, kernel(n, types));
        String grouping = grouping(n, types);
        int groups = grouping.equals("dense") ? 1 : 2;
        long perGroup = grouping.equals("grouped") ? 2 : 1;
        long[] x = new long[g.spatialRank() + 2];
        long[] w = new long[g.spatialRank() + 2];
        x[0] = 2;
        x[1] = groups * perGroup;
        w[0] = 2L * groups;
        w[1] = perGroup;
        for (int i = 0; i < g.spatialRank(); i++) {
          // Two output positions per axis.
          x[i + 2] = g.dilations()[i] * (g.kernel()[i] - 1) + 1 + g.strides()[i];
          w[i + 2] = g.kernel()[i];
        }
        leaves = new NDArray[] {ramp(scope, x), ramp(scope, w), ramp(scope, new long[] {w[0]})};
        NDArray[] l = leaves;
        product = () -> l[0].getNDArrayInternal().convolution(l[0], l[1], l[2], new Shape(g.strides()),
            new Shape(new long[g.spatialRank()]), new Shape(g.dilations()), groups).singletonOrThrow();
      } else {
        int rankA = n.op() == Op.MATMUL ? types.get(n.inputs().get(0)).shape().rank() : 2;
        int rankB = n.op() == Op.MATMUL ? types.get(n.inputs().get(1)).shape().rank() : 2;
        long[] a = new long[rankA];
        long[] b = new long[rankB];
        Arrays.fill(a, 2);
        Arrays.fill(b, 2);
        leaves = new NDArray[] {ramp(scope, a), ramp(scope, b)};
        NDArray[] l = leaves;
        product = () -> l[0].matMul(l[1]);
      }
      for (NDArray leaf : leaves) {
        leaf.setRequiresGradient(true);
      }
      try {
        NDArray y = amp.compute(scope, "node '" + n.name() + "' (" + n.op().irName() + ")", product).sum();
        JniUtils.backward((PtNDArray) y, (PtNDArray) scope.ones(y.getShape(), DataType.FLOAT32), false, false);
        for (NDArray leaf : leaves) {
          if (leaf.getGradient().getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("the gradient of a float32 operand came back as "
                + leaf.getGradient().getDataType());
          }
        }
      } catch (RuntimeException e) {
        throw new EngineException("node '" + n.name() + "' (" + n.op().irName() + ") cannot train in "
            + amp.dtypeName() + " on " + amp.device() + ": a probe of its kind (" + kind + ") failed in libtorch's "
            + "forward or backward pass, which usually means libtorch has no " + amp.dtypeName() + " kernel for "
            + "it on this device; train in FLOAT32 or use another device. libtorch said: " + e.getMessage(), e);
      } finally {
        amp.endForward();
      }
    } finally {
      JniUtils.setGradMode(recording);
    }
  }

  /** Values 0.1, 0.2, ... wrapping at 1, so the probe multiplies representable, non-trivial numbers. */
  private static NDArray ramp(NDManager scope, long[] dims) {
    Shape shape = new Shape(dims);
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = 0.1f * (1 + i % 10);
    }
    return scope.create(v, shape);
  }
}
