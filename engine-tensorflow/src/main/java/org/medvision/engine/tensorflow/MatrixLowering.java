package org.medvision.engine.tensorflow;

import java.util.Arrays;
import java.util.List;
import org.medvision.api.graph.Attributes;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * MatMul and Gemm. A product of a batch of rows with a 2-D weight (the channels-last MLP of a ConvNeXt block) is
 * flattened to one 2-D MatMul, TensorFlow's fastest path; the batch may stay in any layout that stores the
 * contracted axis last, so a channels-last value needs no transpose. Other shapes use BatchMatMul's broadcasting,
 * with numpy's rules for 1-D operands.
 */
final class MatrixLowering {
  private MatrixLowering() {}

  /** ONNX MatMul. */
  static Placed matmul(OpContext ctx, Placed a, Placed b) {
    Ops tf = ctx.tf();
    int ra = a.rank();
    int rb = b.rank();
    if (ra == 0 || rb == 0) {
      throw ctx.error("operands must have rank 1 or more, got shapes " + Arrays.toString(a.dims()) + " and "
          + Arrays.toString(b.dims()));
    }
    Operand<TFloat32> y = Relayout.logical(tf, b).operand();
    if (ra >= 2 && rb == 2) {
      return rowsTimesMatrix(ctx, a, y, b.dims()[1]);
    }
    Operand<TFloat32> x = Relayout.logical(tf, a).operand();
    if (ra == 1 && rb == 1) {
      return Placed.logical(tf.reduceSum(tf.math.mul(x, y), ctx.ints(0), ReduceSum.keepDims(false)), new long[0]);
    }
    Operand<TFloat32> lhs = ra == 1 ? tf.expandDims(x, ctx.ints(0)) : x;
    Operand<TFloat32> rhs = rb == 1 ? tf.expandDims(y, ctx.ints(-1)) : y;
    Operand<TFloat32> product = tf.train.batchMatMul(lhs, rhs, TFloat32.class);
    if (ra == 1) {
      product = tf.squeeze(product, Squeeze.axis(List.of(-2L)));
    }
    if (rb == 1) {
      product = tf.squeeze(product, Squeeze.axis(List.of(-1L)));
    }
    return Placed.logical(product, ctx.outputDims());
  }

  /** [..., K] x [K, M] as one 2-D MatMul over the flattened rows, in a's layout when it stores K last. */
  private static Placed rowsTimesMatrix(OpContext ctx, Placed a, Operand<TFloat32> w, long m) {
    Ops tf = ctx.tf();
    int rank = a.rank();
    Placed rows = a.layout().logicalAxis(rank - 1) == rank - 1 ? a : Relayout.logical(tf, a);
    if (rank == 2) {
      return new Placed(tf.linalg.matMul(rows.operand(), w), rows.layout(), ctx.outputDims());
    }
    long k = a.dims()[rank - 1];
    Operand<TFloat32> flat = tf.reshape(rows.operand(), ctx.longs(-1, k));
    Operand<TFloat32> product = tf.linalg.matMul(flat, w);
    long[] physical = rows.layout().physicalDims(ctx.outputDims());
    Operand<TFloat32> shaped;
    if (Relayout.dynamicCount(physical) <= 1) {
      shaped = tf.reshape(product, ctx.longs(physical));
    } else {
      // Several dynamic extents: take the leading ones from the input's run-time shape.
      Operand<org.tensorflow.types.TInt64> lead = tf.slice(tf.shape(rows.operand(), org.tensorflow.types.TInt64.class),
          ctx.longs(0), ctx.longs(rank - 1));
      shaped = tf.reshape(product, tf.concat(List.of(lead, ctx.longs(m)), tf.constant(0)));
    }
    return new Placed(shaped, rows.layout(), ctx.outputDims());
  }

  /** ONNX Gemm: alpha·A'·B' + beta·C on 2-D A and B, C broadcast to [M, N]. */
  static Placed gemm(OpContext ctx, Placed a, Placed b, Placed c) {
    Ops tf = ctx.tf();
    Attributes attrs = ctx.node().attributes();
    if (a.rank() != 2 || b.rank() != 2) {
      throw ctx.error("operands must be 2-D, got shapes " + Arrays.toString(a.dims()) + " and "
          + Arrays.toString(b.dims()));
    }
    Operand<TFloat32> y = tf.linalg.matMul(Relayout.logical(tf, a).operand(), Relayout.logical(tf, b).operand(),
        MatMul.transposeA(attrs.getInt("transA") != 0), MatMul.transposeB(attrs.getInt("transB") != 0));
    float alpha = attrs.getFloat("alpha");
    if (alpha != 1f) {
      y = tf.math.mul(y, ctx.scalar(alpha));
    }
    if (c != null) {
      Operand<TFloat32> bias = Relayout.logical(tf, c).operand();
      float beta = attrs.getFloat("beta");
      if (beta != 1f) {
        bias = tf.math.mul(bias, ctx.scalar(beta));
      }
      long columns = ctx.outputDims()[1];
      boolean vector = c.rank() == 1 && columns > 0 && c.dims()[0] == columns;
      // BiasAdd lets the session fuse the bias into the MatMul; other shapes of C need general broadcasting.
      y = vector ? tf.nn.biasAdd(y, bias) : tf.math.add(y, bias);
    }
    return Placed.logical(y, ctx.outputDims());
  }
}
