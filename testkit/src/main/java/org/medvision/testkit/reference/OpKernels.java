package org.medvision.testkit.reference;

import java.util.Arrays;
import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.ConvGeometry;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;

/** Reads a node's attributes (with the op's defaults already filled in) and calls the kernel that computes it. */
final class OpKernels {
  private OpKernels() {}

  /**
   * The single output of {@code node} applied to {@code in}, which are its inputs in order; {@code training} selects
   * the training-mode semantics of BatchNorm and refuses random masks (see {@link GraphEvaluator}).
   */
  static NdArray execute(Node node, List<NdArray> in, boolean training) {
    Attributes a = node.attributes();
    if (node.op() == Op.CONSTANT) {
      return constant(a);
    }
    NdArray x = in.get(0);
    switch (node.op()) {
      case CONV: {
        NdArray w = in.get(1);
        long[] kernel = Arrays.stream(Arrays.copyOfRange(w.shape, 2, w.rank())).asLongStream().toArray();
        Window win = Window.of(ConvGeometry.of(node, kernel));
        return ConvKernel.conv(x, w, optional(in, 2), win, Math.toIntExact(a.getInt("group")));
      }
      case MATMUL:
        return MatrixKernels.matmul(x, in.get(1));
      case GEMM:
        return MatrixKernels.gemm(x, in.get(1), optional(in, 2), a.getFloat("alpha"), a.getFloat("beta"),
            a.getInt("transA") != 0, a.getInt("transB") != 0);
      case ADD: case SUB: case MUL: case DIV:
        return ElementwiseKernels.binary(node.op(), x, in.get(1));
      case ERF: case RELU: case SIGMOID: case SQRT: case ABS: case TANH:
        return ElementwiseKernels.unary(node.op(), x, "none");
      case CLIP:
        return ElementwiseKernels.clip(x, a.getFloat("min"), a.getFloat("max"));
      case GATHER:
        return SelectionKernels.gather(x, in.get(1), LayoutKernels.normalize(a.getInt("axis"), x.rank()),
            node.inputs().get(1));
      case SLICE:
        return SelectionKernels.slice(x, a.getInts("starts"), a.getInts("ends"), a.findInts("axes").orElse(null),
            a.findInts("steps").orElse(null));
      case REDUCE_SUM: case REDUCE_MEAN:
        return SelectionKernels.reduce(x, a.findInts("axes").orElse(null), a.getInt("keepdims") != 0,
            node.op() == Op.REDUCE_MEAN);
      case GELU:
        return ElementwiseKernels.unary(node.op(), x, a.getString("approximate"));
      case SOFTMAX:
        return NormalizationKernels.softmax(x, LayoutKernels.normalize(a.getInt("axis"), x.rank()));
      case LAYER_NORM:
        return NormalizationKernels.layerNorm(x, in.get(1), optional(in, 2),
            LayoutKernels.normalize(a.getInt("axis"), x.rank()), a.getFloat("epsilon"));
      case BATCH_NORM:
        if (training) {
          return NormalizationKernels.batchNormTraining(x, in.get(1), in.get(2), a.getFloat("epsilon"));
        }
        return NormalizationKernels.batchNorm(x, in.get(1), in.get(2), in.get(3), in.get(4), a.getFloat("epsilon"));
      case AVG_POOL:
        return PoolKernels.average(x, poolWindow(node), a.getInt("count_include_pad") != 0);
      case MAX_POOL:
        return PoolKernels.max(x, poolWindow(node));
      case GLOBAL_AVG_POOL:
        return PoolKernels.globalAverage(x);
      case RESHAPE:
        return LayoutKernels.reshape(x, a.getInts("shape"));
      case TRANSPOSE:
        return LayoutKernels.transpose(x, a.findInts("perm").orElse(null));
      case CONCAT:
        return LayoutKernels.concat(in, LayoutKernels.normalize(a.getInt("axis"), x.rank()));
      case SQUEEZE:
        return LayoutKernels.squeeze(x, a.findInts("axes").orElse(null));
      case UNSQUEEZE:
        return LayoutKernels.unsqueeze(x, a.getInts("axes"));
      case FLATTEN:
        return LayoutKernels.flatten(x, a.getInt("axis"));
      case IDENTITY:
        return x;
      case STOP_GRADIENT:
        // The identity on values; that no gradient flows through it is the finite differences' business.
        return x;
      case DROPOUT: case DROP_PATH:
        if (training && a.getFloat("ratio") != 0f) {
          throw new MedvisionException("ratio " + a.getFloat("ratio") + " needs a random mask, which the reference "
              + "interpreter does not draw; its training mode takes ratio 0 only");
        }
        // The identity at inference, and at ratio 0 in training too (the 1/(1−0) scale is 1).
        return x;
      case CROSS_ENTROPY:
        return LossKernels.crossEntropy(x, in.get(1), a.getFloat("label_smoothing"), floats(a, "class_weights"));
      case BCE_WITH_LOGITS:
        return LossKernels.bceWithLogits(x, in.get(1), floats(a, "pos_weight"), optional(in, 2));
      case L1_LOSS:
        return LossKernels.l1(x, in.get(1));
      case MSE_LOSS:
        return LossKernels.mse(x, in.get(1));
      case SOFT_DICE:
        return LossKernels.softDice(x, in.get(1), a.getFloat("smooth"));
      default:
        throw new AssertionError("no kernel for op " + node.op());
    }
  }

  private static NdArray constant(Attributes a) {
    long[] dims = a.getInts("shape");
    int[] shape = new int[dims.length];
    for (int i = 0; i < dims.length; i++) {
      shape[i] = Math.toIntExact(dims[i]);
    }
    return new NdArray(shape, floats(a, "value").clone());
  }

  /** An optional FLOATS attribute, or null when absent. */
  private static float[] floats(Attributes a, String name) {
    return a.raw(name).map(v -> (float[]) v).orElse(null);
  }

  private static Window poolWindow(Node node) {
    return Window.of(ConvGeometry.of(node, node.attributes().getInts("kernel_shape")));
  }

  private static NdArray optional(List<NdArray> in, int index) {
    return in.size() > index ? in.get(index) : null;
  }
}
