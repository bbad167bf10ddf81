package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;

/**
 * Executes IR nodes eagerly as DJL NDArray calls: the "lowering" of this engine is an interpreter that maps each op
 * to libtorch kernels at run time. Shapes are taken from the arrays, so a dynamic batch needs nothing special.
 *
 * <p>Memory: every array a node creates must end up in the run's scope manager, so callers temporarily attach the
 * parameters to that scope (operations on a parameter would otherwise leave their results in the parameters' long-lived
 * manager) and create inputs in it; kernels create constants with {@link OpContext#scope()}.
 */
final class GraphInterpreter {
  /** Every op this interpreter executes, inference and training. */
  static final Set<Op> SUPPORTED_OPS = Collections.unmodifiableSet(EnumSet.of(Op.CONV, Op.MATMUL, Op.GEMM, Op.ADD,
      Op.SUB, Op.MUL, Op.DIV, Op.ERF, Op.GELU, Op.RELU, Op.SIGMOID, Op.SOFTMAX, Op.LAYER_NORM, Op.BATCH_NORM,
      Op.AVG_POOL, Op.MAX_POOL, Op.GLOBAL_AVG_POOL, Op.RESHAPE, Op.TRANSPOSE, Op.CONCAT, Op.SQUEEZE, Op.UNSQUEEZE,
      Op.FLATTEN, Op.IDENTITY, Op.DROPOUT, Op.DROP_PATH, Op.CROSS_ENTROPY, Op.BCE_WITH_LOGITS, Op.L1_LOSS,
      Op.MSE_LOSS, Op.SOFT_DICE, Op.CONSTANT, Op.GATHER, Op.SLICE, Op.REDUCE_SUM, Op.REDUCE_MEAN, Op.SQRT, Op.ABS,
      Op.TANH, Op.CLIP, Op.STOP_GRADIENT));

  private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2 / Math.PI);

  private GraphInterpreter() {}

  /**
   * Checks that every op of {@code graph} is supported.
   *
   * @throws UnsupportedOpException listing each unsupported op with the first node using it
   */
  static void checkSupported(Graph graph) {
    Map<Op, String> lacking = new java.util.LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (!SUPPORTED_OPS.contains(n.op())) {
        lacking.putIfAbsent(n.op(), n.name());
      }
    }
    if (!lacking.isEmpty()) {
      List<String> described = new ArrayList<>();
      lacking.forEach((op, node) -> described.add(UnsupportedOpException.describe(op, node)));
      throw new UnsupportedOpException(DjlEngineProvider.NAME, described);
    }
  }

  /**
   * Evaluates {@code nodes} in order, adding each output to {@code values}.
   *
   * @param values the graph inputs and parameters by name; receives every computed value
   * @param scope the run's manager
   * @param masks the mask stream in training mode, {@code null} for inference
   * @param amp the autocast policy of a mixed-precision training pass, {@code null} for float32
   * @throws EngineException naming the node that failed and its input shapes
   */
  static void run(List<Node> nodes, Map<String, NDArray> values, NDManager scope, MaskStream masks,
      MixedPrecision amp) {
    for (Node n : nodes) {
      List<NDArray> in = new ArrayList<>(n.inputs().size());
      for (String name : n.inputs()) {
        NDArray v = values.get(name);
        if (v == null) {
          throw new EngineException("node '" + n.name() + "' reads '" + name + "', which has no value");
        }
        in.add(v);
      }
      OpContext ctx = new OpContext(scope, n, masks, amp);
      NDArray out;
      try {
        out = evaluate(ctx, in);
      } catch (MedvisionException e) {
        throw e;
      } catch (RuntimeException e) {
        List<String> shapes = new ArrayList<>();
        for (NDArray a : in) {
          shapes.add(a.getShape().toString());
        }
        throw new EngineException(ctx.where() + " failed on inputs " + n.inputs() + " of shapes " + shapes
            + (amp == null ? "" : " (" + amp + ")") + ": " + e.getMessage(), e);
      }
      values.put(n.output(), out);
    }
  }

  private static NDArray evaluate(OpContext ctx, List<NDArray> in) {
    Node n = ctx.node();
    if (n.op() == Op.CONSTANT) {
      return ConstantKernel.array(ctx);
    }
    Attributes a = n.attributes();
    NDArray x = in.get(0);
    switch (n.op()) {
      case CONV: return ConvKernels.conv(ctx, x, in.get(1), in.size() > 2 ? in.get(2) : null);
      case MATMUL: return ctx.lowPrecision(() -> x.matMul(in.get(1)));
      case GEMM: return gemm(ctx, x, in.get(1), in.size() > 2 ? in.get(2) : null);
      case ADD: return x.add(in.get(1));
      case SUB: return x.sub(in.get(1));
      case MUL: return x.mul(in.get(1));
      case DIV: return x.div(in.get(1));
      case ERF: return x.erf();
      case GELU: return gelu(ctx, x, a.getString("approximate"));
      case RELU: return x.getNDArrayInternal().relu();
      case SIGMOID: return x.getNDArrayInternal().sigmoid();
      case SOFTMAX: return x.softmax(normalize(a.getInt("axis"), x.getShape().dimension(), ctx));
      case LAYER_NORM: return NormKernels.layerNorm(ctx, x, in.get(1), in.size() > 2 ? in.get(2) : null);
      case BATCH_NORM: return NormKernels.batchNorm(ctx, x, in.get(1), in.get(2), in.get(3), in.get(4));
      case AVG_POOL: return ConvKernels.avgPool(ctx, x);
      case MAX_POOL: return ConvKernels.maxPool(ctx, x);
      case GLOBAL_AVG_POOL: return ConvKernels.globalAvgPool(x);
      case RESHAPE: return LayoutKernels.reshape(ctx, x);
      case TRANSPOSE: return LayoutKernels.transpose(ctx, x);
      case CONCAT: return LayoutKernels.concat(ctx, in);
      case SQUEEZE: return LayoutKernels.squeeze(ctx, x);
      case UNSQUEEZE: return LayoutKernels.unsqueeze(ctx, x);
      case FLATTEN: return LayoutKernels.flatten(ctx, x);
      case IDENTITY: return x;
      case SQRT: return x.sqrt();
      case ABS: return x.abs();
      case TANH: return x.tanh();
      case CLIP: return SelectionKernels.clip(ctx, x);
      case GATHER: return SelectionKernels.gather(ctx, x, in.get(1));
      case SLICE: return SelectionKernels.slice(ctx, x);
      case REDUCE_SUM: return SelectionKernels.reduce(ctx, x, false);
      case REDUCE_MEAN: return SelectionKernels.reduce(ctx, x, true);
      // detach: the same values, cut from the autograd graph.
      case STOP_GRADIENT: return x.stopGradient();
      case DROPOUT: return ctx.training() ? MaskKernels.dropout(ctx, x, a.getFloat("ratio")) : x;
      case DROP_PATH: return ctx.training() ? MaskKernels.dropPath(ctx, x, a.getFloat("ratio")) : x;
      case CROSS_ENTROPY: return LossKernels.crossEntropy(ctx, x, in.get(1));
      case BCE_WITH_LOGITS: return LossKernels.bceWithLogits(ctx, x, in.get(1), in.size() > 2 ? in.get(2) : null);
      case L1_LOSS: return LossKernels.l1(ctx, x, in.get(1));
      case MSE_LOSS: return LossKernels.mse(ctx, x, in.get(1));
      case SOFT_DICE: return LossKernels.softDice(ctx, x, in.get(1));
      default:
        throw new UnsupportedOpException(DjlEngineProvider.NAME, List.of(UnsupportedOpException.describe(n.op(),
            n.name())));
    }
  }

  /** ONNX Gemm; under mixed precision only the product A·B is low-precision, α, β and C apply in float32. */
  private static NDArray gemm(OpContext ctx, NDArray x, NDArray b, NDArray c) {
    Attributes a = ctx.node().attributes();
    NDArray lhs = a.getInt("transA") != 0 ? x.transpose() : x;
    NDArray rhs = a.getInt("transB") != 0 ? b.transpose() : b;
    NDArray y = ctx.lowPrecision(() -> lhs.matMul(rhs));
    float alpha = a.getFloat("alpha");
    if (alpha != 1f) {
      y = Scalars.mul(y, alpha);
    }
    if (c != null) {
      float beta = a.getFloat("beta");
      y = y.add(beta != 1f ? Scalars.mul(c, beta) : c);
    }
    return y;
  }

  private static NDArray gelu(OpContext ctx, NDArray x, String approximate) {
    switch (approximate) {
      case "none":
        // libtorch's gelu without approximation is the exact x·Φ(x) (checked against the erf form in the tests).
        return x.getNDArrayInternal().gelu();
      case "tanh":
        NDArray inner = Scalars.mul(x.add(Scalars.mul(Scalars.pow(x, 3), 0.044715f)), SQRT_2_OVER_PI);
        return Scalars.mul(x, 0.5f).mul(Scalars.add(inner.tanh(), 1f));
      default:
        throw new EngineException(ctx.where() + ": approximate must be \"none\" or \"tanh\", got \"" + approximate
            + "\"");
    }
  }

  /** Maps a possibly negative {@code axis} into [0, rank), or fails naming the node. */
  static int normalize(long axis, int rank, OpContext ctx) {
    long a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank) {
      throw new EngineException(ctx.where() + ": axis " + axis + " is out of range for rank " + rank);
    }
    return (int) a;
  }
}
