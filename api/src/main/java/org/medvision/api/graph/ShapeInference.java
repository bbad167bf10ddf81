package org.medvision.api.graph;

import static org.medvision.api.tensor.Shape.DYNAMIC;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * Infers output dtypes and shapes, node by node. Dynamic dimensions propagate; a contradiction (mismatched channels,
 * incompatible broadcast, bad axis) is a {@link GraphValidationException} naming the node and the shapes involved.
 */
public final class ShapeInference {
  private ShapeInference() {}

  /**
   * Infers the type of every value in {@code graph}, with graph inputs taking {@code inputShapes} where given (e.g.
   * a concrete batch size) and their declared shapes otherwise.
   *
   * @return value name to type, for inputs, parameters and every node output
   */
  public static Map<String, ValueInfo> inferAll(Graph graph, Map<String, Shape> inputShapes) {
    Map<String, ValueInfo> known = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs()) {
      Shape s = inputShapes.getOrDefault(in.name(), in.shape());
      if (!s.isCompatibleWith(in.shape())) {
        throw new GraphValidationException("input '" + in.name() + "' is declared " + in.shape() + ", given " + s);
      }
      known.put(in.name(), new ValueInfo(in.name(), in.dtype(), s));
    }
    for (ParameterSpec p : graph.parameters()) {
      known.put(p.name(), new ValueInfo(p.name(), p.dtype(), p.shape()));
    }
    for (Node node : graph.nodes()) {
      List<ValueInfo> ins = new ArrayList<>();
      for (String name : node.inputs()) {
        ValueInfo vi = known.get(name);
        if (vi == null) {
          throw new GraphValidationException(
              "node '" + node.name() + "' reads '" + name + "', which is not defined before it");
        }
        ins.add(vi);
      }
      for (ValueInfo out : infer(node, ins)) {
        known.put(out.name(), out);
      }
    }
    return known;
  }

  /** Infers the outputs of one node from its inputs' types. */
  public static List<ValueInfo> infer(Node node, List<ValueInfo> inputs) {
    List<Shape> s = new ArrayList<>();
    for (ValueInfo vi : inputs) {
      s.add(vi.shape());
    }
    for (int i = 0; i < inputs.size(); i++) {
      DType expected = node.op().isIndexOperand(i) ? DType.INT64 : DType.FLOAT32;
      if (inputs.get(i).dtype() != expected) {
        throw fail(node, "input " + i + " '" + inputs.get(i).name() + "' must be " + expected
            + (expected == DType.INT64 ? " indices" : "") + ", got " + inputs.get(i).dtype());
      }
    }
    DType dtype = DType.FLOAT32;
    Shape out = outputShape(node, s);
    return List.of(new ValueInfo(node.output(), dtype, out));
  }

  private static Shape outputShape(Node node, List<Shape> in) {
    Attributes a = node.attributes();
    if (node.op() == Op.CONSTANT) {
      return constant(node);
    }
    Shape x = in.get(0);
    switch (node.op()) {
      case CONV: return conv(node, in);
      case MATMUL: return matmul(node, x, in.get(1));
      case GEMM: return gemm(node, in);
      case ADD: case SUB: case MUL: case DIV: return broadcast(node, x, in.get(1));
      case ERF: case GELU: case RELU: case SIGMOID: case IDENTITY: case DROPOUT: case DROP_PATH: case SQRT: case ABS:
      case TANH: case STOP_GRADIENT:
        return x;
      case CLIP: return SelectionShapes.clip(node, x);
      case GATHER: return SelectionShapes.gather(node, x, in.get(1));
      case SLICE: return SelectionShapes.slice(node, x);
      case REDUCE_SUM: case REDUCE_MEAN: return SelectionShapes.reduce(node, x);
      case CROSS_ENTROPY: return crossEntropy(node, in);
      case BCE_WITH_LOGITS: case L1_LOSS: case MSE_LOSS: case SOFT_DICE: return pairedLoss(node, in);
      case SOFTMAX:
        axis(node, x, a.getInt("axis"));
        return x;
      case LAYER_NORM: return layerNorm(node, in);
      case BATCH_NORM: return batchNorm(node, in);
      case AVG_POOL: case MAX_POOL: return pool(node, x);
      case GLOBAL_AVG_POOL: {
        requireRankAtLeast(node, x, 3);
        long[] d = x.dims();
        Arrays.fill(d, 2, d.length, 1);
        return Shape.of(d);
      }
      case RESHAPE: return reshape(node, x, a.getInts("shape"));
      case TRANSPOSE: return transpose(node, x);
      case CONCAT: return concat(node, in);
      case SQUEEZE: return squeeze(node, x);
      case UNSQUEEZE: return unsqueeze(node, x, a.getInts("axes"));
      case FLATTEN: return flatten(node, x, a.getInt("axis"));
      default: throw new AssertionError(node.op());
    }
  }

  private static GraphValidationException fail(Node node, String message) {
    return new GraphValidationException("node '" + node.name() + "' (" + node.op().irName() + "): " + message);
  }

  private static int axis(Node node, Shape x, long axis) {
    int r = x.rank();
    if (axis < -r || axis >= r) {
      throw fail(node, "axis " + axis + " is out of range for input " + x);
    }
    return (int) (axis < 0 ? axis + r : axis);
  }

  private static void requireRankAtLeast(Node node, Shape x, int rank) {
    if (x.rank() < rank) {
      throw fail(node, "input " + x + " has rank " + x.rank() + ", needs at least " + rank);
    }
  }

  private static boolean known(long d) {
    return d != DYNAMIC;
  }

  private static void requireEqual(Node node, long a, long b, String what) {
    if (known(a) && known(b) && a != b) {
      throw fail(node, what + ": " + a + " vs " + b);
    }
  }

  private static Shape conv(Node node, List<Shape> in) {
    Shape x = in.get(0);
    Shape w = in.get(1);
    if (x.rank() < 3 || x.rank() > 5) {
      throw fail(node, "input " + x + " must be [N, C, spatial...] with 1 to 3 spatial axes");
    }
    if (w.rank() != x.rank()) {
      throw fail(node, "weight " + w + " must have the input's rank " + x.rank());
    }
    long group = node.attributes().getInt("group");
    if (group < 1) {
      throw fail(node, "group must be at least 1, got " + group);
    }
    requireEqual(node, x.dim(1), w.dim(1) * group, "input channels " + x + " do not match weight " + w
        + " with group " + group);
    if (w.dim(0) % group != 0) {
      throw fail(node, "output channels " + w.dim(0) + " are not divisible by group " + group);
    }
    if (in.size() == 3 && (in.get(2).rank() != 1 || in.get(2).dim(0) != w.dim(0))) {
      throw fail(node, "bias " + in.get(2) + " must be [" + w.dim(0) + "]");
    }
    long[] kernel = Arrays.copyOfRange(w.dims(), 2, w.rank());
    ConvGeometry g = ConvGeometry.of(node, kernel);
    long[] out = new long[x.rank()];
    out[0] = x.dim(0);
    out[1] = w.dim(0);
    for (int i = 0; i < kernel.length; i++) {
      out[i + 2] = g.outputSize(i, x.dim(i + 2));
      if (out[i + 2] == 0) {
        throw fail(node, "input " + x + " is too small for kernel " + Arrays.toString(kernel));
      }
    }
    return Shape.of(out);
  }

  private static Shape crossEntropy(Node node, List<Shape> in) {
    Shape logits = in.get(0);
    Shape target = in.get(1);
    if (logits.rank() != 2 || target.rank() != 1) {
      throw fail(node, "needs logits [N, C] and target [N], got " + logits + " and " + target);
    }
    requireEqual(node, logits.dim(0), target.dim(0), "logits " + logits + " and target " + target + " differ in N");
    checkPerClass(node, "class_weights", logits.dim(1));
    return Shape.scalar();
  }

  private static Shape pairedLoss(Node node, List<Shape> in) {
    Shape x = in.get(0);
    Shape t = in.get(1);
    if (!x.isCompatibleWith(t)) {
      throw fail(node, "prediction " + x + " and target " + t + " must have one shape");
    }
    if (node.op() == Op.SOFT_DICE) {
      requireRankAtLeast(node, x, 3);
    }
    if (node.op() == Op.BCE_WITH_LOGITS) {
      checkPerClass(node, "pos_weight", x.dim(-1));
      if (in.size() > 2) {
        Shape w = in.get(2);
        if (w.rank() > x.rank() || !broadcastsTo(w, x)) {
          throw fail(node, "weight " + w + " does not broadcast to the logits " + x);
        }
      }
    }
    return Shape.scalar();
  }

  /** True when {@code w} broadcasts (numpy rules, aligned at the last axis) to exactly {@code x}'s shape. */
  private static boolean broadcastsTo(Shape w, Shape x) {
    for (int i = 1; i <= w.rank(); i++) {
      long wd = w.dim(-i);
      long xd = x.dim(-i);
      if (wd != 1 && known(wd) && known(xd) && wd != xd) {
        return false;
      }
    }
    return true;
  }

  private static Shape constant(Node node) {
    long[] shape = node.attributes().getInts("shape");
    long size = 1;
    for (long d : shape) {
      if (d < 0) {
        throw fail(node, "shape " + Arrays.toString(shape) + " has a negative or dynamic dimension");
      }
      size *= d;
    }
    float[] value = (float[]) node.attributes().raw("value").orElseThrow();
    if (value.length != size) {
      throw fail(node, "value holds " + value.length + " elements but shape " + Arrays.toString(shape) + " needs "
          + size);
    }
    return Shape.of(shape);
  }

  private static void checkPerClass(Node node, String attr, long classes) {
    Object v = node.attributes().raw(attr).orElse(null);
    if (v instanceof float[] && known(classes) && ((float[]) v).length != classes) {
      throw fail(node, attr + " has " + ((float[]) v).length + " values for " + classes + " classes");
    }
  }

  private static Shape pool(Node node, Shape x) {
    long[] kernel = node.attributes().getInts("kernel_shape");
    if (x.rank() != kernel.length + 2) {
      throw fail(node, "input " + x + " does not match kernel_shape " + Arrays.toString(kernel));
    }
    ConvGeometry g = ConvGeometry.of(node, kernel);
    for (int i = 0; i < kernel.length; i++) {
      // A pad as wide as the window would allow windows that see only padding, whose value no convention agrees on.
      if (g.padsBegin()[i] >= kernel[i] || g.padsEnd()[i] >= kernel[i]) {
        throw fail(node, "pads " + Arrays.toString(node.attributes().getInts("pads")) + " must be smaller than "
            + "kernel_shape " + Arrays.toString(kernel) + " on every axis");
      }
    }
    long[] out = x.dims();
    for (int i = 0; i < kernel.length; i++) {
      out[i + 2] = g.outputSize(i, x.dim(i + 2));
      if (out[i + 2] == 0) {
        throw fail(node, "input " + x + " is too small for kernel " + Arrays.toString(kernel));
      }
    }
    return Shape.of(out);
  }

  private static Shape matmul(Node node, Shape a, Shape b) {
    if (a.rank() == 0 || b.rank() == 0) {
      throw fail(node, "operands must have rank at least 1, got " + a + " and " + b);
    }
    Shape a2 = a.rank() == 1 ? Shape.of(1, a.dim(0)) : a;
    Shape b2 = b.rank() == 1 ? Shape.of(b.dim(0), 1) : b;
    requireEqual(node, a2.dim(-1), b2.dim(-2), "inner dimensions of " + a + " and " + b + " differ");
    Shape batchA = Shape.of(Arrays.copyOf(a2.dims(), a2.rank() - 2));
    Shape batchB = Shape.of(Arrays.copyOf(b2.dims(), b2.rank() - 2));
    long[] batch = broadcast(node, batchA, batchB).dims();
    List<Long> out = new ArrayList<>();
    for (long d : batch) {
      out.add(d);
    }
    if (a.rank() > 1) {
      out.add(a2.dim(-2));
    }
    if (b.rank() > 1) {
      out.add(b2.dim(-1));
    }
    return Shape.of(out.stream().mapToLong(Long::longValue).toArray());
  }

  private static Shape gemm(Node node, List<Shape> in) {
    Shape a = in.get(0);
    Shape b = in.get(1);
    if (a.rank() != 2 || b.rank() != 2) {
      throw fail(node, "A and B must be 2-D, got " + a + " and " + b);
    }
    boolean ta = node.attributes().getInt("transA") != 0;
    boolean tb = node.attributes().getInt("transB") != 0;
    long m = ta ? a.dim(1) : a.dim(0);
    long k = ta ? a.dim(0) : a.dim(1);
    long kb = tb ? b.dim(1) : b.dim(0);
    long n = tb ? b.dim(0) : b.dim(1);
    requireEqual(node, k, kb, "inner dimensions of A " + a + " and B " + b + " differ");
    Shape out = Shape.of(m, n);
    if (in.size() == 3) {
      Shape c = broadcast(node, out, in.get(2));
      if (!c.isCompatibleWith(out)) {
        throw fail(node, "C " + in.get(2) + " does not broadcast to " + out);
      }
    }
    return out;
  }

  /** Multidirectional (numpy) broadcasting of two shapes. */
  static Shape broadcast(Node node, Shape a, Shape b) {
    int r = Math.max(a.rank(), b.rank());
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i < r - a.rank() ? 1 : a.dim(i - (r - a.rank()));
      long db = i < r - b.rank() ? 1 : b.dim(i - (r - b.rank()));
      if (da == 1) {
        out[i] = db;
      } else if (db == 1) {
        out[i] = da;
      } else if (!known(da)) {
        out[i] = db;
      } else if (!known(db) || da == db) {
        out[i] = da;
      } else {
        throw fail(node, "shapes " + a + " and " + b + " do not broadcast");
      }
    }
    return Shape.of(out);
  }

  private static Shape layerNorm(Node node, List<Shape> in) {
    Shape x = in.get(0);
    int axis = axis(node, x, node.attributes().getInt("axis"));
    Shape normalized = Shape.of(Arrays.copyOfRange(x.dims(), axis, x.rank()));
    for (int i = 1; i < in.size(); i++) {
      if (!in.get(i).isCompatibleWith(normalized)) {
        throw fail(node, (i == 1 ? "scale " : "bias ") + in.get(i) + " must match the normalised shape "
            + normalized + " of input " + x);
      }
    }
    return x;
  }

  private static Shape batchNorm(Node node, List<Shape> in) {
    Shape x = in.get(0);
    requireRankAtLeast(node, x, 2);
    String[] names = {"scale", "bias", "mean", "var"};
    for (int i = 1; i < 5; i++) {
      Shape p = in.get(i);
      if (p.rank() != 1 || (known(x.dim(1)) && p.dim(0) != x.dim(1))) {
        throw fail(node, names[i - 1] + " " + p + " must be [" + x.dim(1) + "] for input " + x);
      }
    }
    return x;
  }

  private static Shape reshape(Node node, Shape x, long[] target) {
    long[] out = new long[target.length];
    int inferAt = -1;
    long knownProduct = 1;
    boolean dynamic = false;
    for (int i = 0; i < target.length; i++) {
      long t = target[i];
      if (t == 0) {
        if (i >= x.rank()) {
          throw fail(node, "shape " + Arrays.toString(target) + " copies axis " + i + " which input " + x + " lacks");
        }
        out[i] = x.dim(i);
      } else if (t == -1) {
        if (inferAt >= 0) {
          throw fail(node, "shape " + Arrays.toString(target) + " has more than one -1");
        }
        inferAt = i;
        continue;
      } else if (t < -1) {
        throw fail(node, "shape " + Arrays.toString(target) + " has invalid entry " + t);
      } else {
        out[i] = t;
      }
      if (known(out[i])) {
        knownProduct *= out[i];
      } else {
        dynamic = true;
      }
    }
    boolean inputKnown = x.isFullyKnown();
    if (inferAt >= 0) {
      if (inputKnown && !dynamic) {
        if (knownProduct == 0 || x.size() % knownProduct != 0) {
          throw fail(node, "cannot reshape " + x + " to " + Arrays.toString(target));
        }
        out[inferAt] = x.size() / knownProduct;
      } else {
        out[inferAt] = inferredWithDynamicCopies(x, target, knownProduct);
      }
    } else if (inputKnown && !dynamic && knownProduct != x.size()) {
      throw fail(node, "cannot reshape " + x + " (" + x.size() + " elements) to " + Arrays.toString(target));
    }
    return Shape.of(out);
  }

  /**
   * With a dynamic batch copied by a 0 entry, the -1 entry is still known when the dynamic dimensions are exactly
   * the copied ones: e.g. [N,768,1,1] to [0,-1] gives [N,768].
   */
  private static long inferredWithDynamicCopies(Shape x, long[] target, long knownProduct) {
    long rest = 1;
    for (int i = 0; i < x.rank(); i++) {
      boolean copied = i < target.length && target[i] == 0;
      if (!copied) {
        if (!known(x.dim(i))) {
          return DYNAMIC;
        }
        rest *= x.dim(i);
      }
    }
    long copiedKnown = 1;
    for (int i = 0; i < target.length; i++) {
      if (target[i] == 0 && known(x.dim(i))) {
        copiedKnown *= x.dim(i);
      }
    }
    long denominator = knownProduct / Math.max(1, copiedKnown);
    return denominator != 0 && rest % denominator == 0 ? rest / denominator : DYNAMIC;
  }

  private static Shape transpose(Node node, Shape x) {
    int r = x.rank();
    long[] perm = node.attributes().findInts("perm").orElseGet(() -> {
      long[] p = new long[r];
      for (int i = 0; i < r; i++) {
        p[i] = r - 1 - i;
      }
      return p;
    });
    if (perm.length != r) {
      throw fail(node, "perm " + Arrays.toString(perm) + " does not match input " + x);
    }
    boolean[] seen = new boolean[r];
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      if (perm[i] < 0 || perm[i] >= r || seen[(int) perm[i]]) {
        throw fail(node, "perm " + Arrays.toString(perm) + " is not a permutation of 0.." + (r - 1));
      }
      seen[(int) perm[i]] = true;
      out[i] = x.dim((int) perm[i]);
    }
    return Shape.of(out);
  }

  private static Shape concat(Node node, List<Shape> in) {
    Shape first = in.get(0);
    int axis = axis(node, first, node.attributes().getInt("axis"));
    long[] out = first.dims();
    for (int k = 1; k < in.size(); k++) {
      Shape s = in.get(k);
      if (s.rank() != first.rank()) {
        throw fail(node, "input " + k + " " + s + " has a different rank from input 0 " + first);
      }
      for (int i = 0; i < s.rank(); i++) {
        if (i == axis) {
          out[i] = known(out[i]) && known(s.dim(i)) ? out[i] + s.dim(i) : DYNAMIC;
        } else {
          requireEqual(node, first.dim(i), s.dim(i), "inputs " + first + " and " + s + " differ off axis " + axis);
        }
      }
    }
    return Shape.of(out);
  }

  private static Shape squeeze(Node node, Shape x) {
    long[] axes = node.attributes().findInts("axes").orElse(null);
    boolean[] drop = new boolean[x.rank()];
    if (axes == null) {
      for (int i = 0; i < x.rank(); i++) {
        drop[i] = x.dim(i) == 1;
      }
    } else {
      for (long a : axes) {
        int i = axis(node, x, a);
        if (known(x.dim(i)) && x.dim(i) != 1) {
          throw fail(node, "cannot squeeze axis " + a + " of " + x + ": its size is not 1");
        }
        drop[i] = true;
      }
    }
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < x.rank(); i++) {
      if (!drop[i]) {
        out.add(x.dim(i));
      }
    }
    return Shape.of(out.stream().mapToLong(Long::longValue).toArray());
  }

  private static Shape unsqueeze(Node node, Shape x, long[] axes) {
    int r = x.rank() + axes.length;
    boolean[] inserted = new boolean[r];
    for (long a : axes) {
      if (a < -r || a >= r) {
        throw fail(node, "axis " + a + " is out of range for output rank " + r);
      }
      int i = (int) (a < 0 ? a + r : a);
      if (inserted[i]) {
        throw fail(node, "axis " + a + " is given twice");
      }
      inserted[i] = true;
    }
    long[] out = new long[r];
    int src = 0;
    for (int i = 0; i < r; i++) {
      out[i] = inserted[i] ? 1 : x.dim(src++);
    }
    return Shape.of(out);
  }

  private static Shape flatten(Node node, Shape x, long axisAttr) {
    int r = x.rank();
    if (axisAttr < -r || axisAttr > r) {
      throw fail(node, "axis " + axisAttr + " is out of range for input " + x);
    }
    int axis = (int) (axisAttr < 0 ? axisAttr + r : axisAttr);
    return Shape.of(product(x, 0, axis), product(x, axis, r));
  }

  private static long product(Shape x, int from, int to) {
    long p = 1;
    for (int i = from; i < to; i++) {
      if (!known(x.dim(i))) {
        return DYNAMIC;
      }
      p *= x.dim(i);
    }
    return p;
  }
}
