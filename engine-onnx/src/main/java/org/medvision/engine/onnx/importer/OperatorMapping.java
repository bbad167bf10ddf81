package org.medvision.engine.onnx.importer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphValidationException;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.SliceGeometry;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * The rules that turn one ai.onnx operator into one IR node: which inputs are data and which are constants the IR
 * keeps as attributes, how attributes and their defaults translate, and which attribute values the IR lacks.
 */
final class OperatorMapping {
  /**
   * ONNX operator to IR op, for every operator this importer reads. Constant, which maps to CONSTANT, is not
   * translated here: {@link GraphTranslator} folds it, and emits a CONSTANT node where a float one is read as data.
   */
  private static final Map<String, Op> OPERATORS = buildOperators();

  private OperatorMapping() {}

  private static Map<String, Op> buildOperators() {
    Map<String, Op> m = new TreeMap<>();
    for (Op op : Op.values()) {
      op.onnxOperator().ifPresent(name -> m.put(name, op));
    }
    // The IR's cross entropy is ONNX's SoftmaxCrossEntropyLoss with mean reduction plus label smoothing, which is why
    // Op names no ONNX counterpart; the common part maps.
    m.put("SoftmaxCrossEntropyLoss", Op.CROSS_ENTROPY);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** Every ai.onnx operator type this importer maps, sorted, with its IR op. */
  static Map<String, Op> operators() {
    return OPERATORS;
  }

  /**
   * The ai.onnx opset that introduced the definition of {@code opType} this mapping reads: the version in force at
   * opset 13, or the operator's first version for those added later. Later versions up to opset 22 only added types
   * or attributes whose absence keeps this meaning, except ReduceMean-18, which moved its axes from an attribute to an
   * input; both forms are read. A model stamped with an older opset can still be read when all its operators date
   * from no later than its stamp (e.g. Conv is unchanged since opset 11).
   */
  static int definedSince(String opType) {
    switch (opType) {
      case "GlobalAveragePool": return 1;
      case "BatchNormalization": return 9;
      case "Conv": case "AveragePool": return 11;
      case "MaxPool": return 12;
      case "LayerNormalization": return 17;
      case "Gelu": return 20;
      default: return 13;
    }
  }

  /** The IR op that {@code opType} maps to, if any. */
  static Optional<Op> op(String opType) {
    return Optional.ofNullable(OPERATORS.get(opType));
  }

  /**
   * Translates one node.
   *
   * @param name the IR node name
   * @param output the IR name of its (first) output
   */
  static Node translate(String opType, NodeInputs in, String name, String output) {
    Op op = OPERATORS.get(opType);
    NodeAttributes a = in.attributes();
    Attributes.Builder attrs = Attributes.builder();
    List<String> inputs = new ArrayList<>();
    switch (opType) {
      case "Conv":
        conv(in, a, attrs, inputs);
        break;
      case "Gemm":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        inputs.add(in.data(1, ParamRole.WEIGHT));
        if (in.present(2)) {
          inputs.add(in.data(2, ParamRole.BIAS));
        }
        a.findFloat("alpha").ifPresent(v -> attrs.set("alpha", v));
        a.findFloat("beta").ifPresent(v -> attrs.set("beta", v));
        a.findInt("transA").ifPresent(v -> attrs.set("transA", v));
        a.findInt("transB").ifPresent(v -> attrs.set("transB", v));
        break;
      case "MatMul":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        inputs.add(in.data(1, ParamRole.WEIGHT));
        break;
      case "Add": case "Sub": case "Mul": case "Div": {
        // A constant operand of Mul is typically a layer scale, of Add/Sub a bias; the role only guides training.
        ParamRole role = opType.equals("Mul") ? ParamRole.LAYER_SCALE
            : opType.equals("Div") ? ParamRole.WEIGHT : ParamRole.BIAS;
        inputs.add(in.data(0, role));
        inputs.add(in.data(1, role));
        break;
      }
      case "Erf": case "Relu": case "Sigmoid": case "GlobalAveragePool": case "Identity": case "Sqrt": case "Abs":
      case "Tanh":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        break;
      case "Gather":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        inputs.add(in.indices(1));
        a.findInt("axis").ifPresent(v -> attrs.set("axis", v));
        break;
      case "Slice":
        slice(in, attrs, inputs);
        break;
      case "ReduceSum": case "ReduceMean":
        reduce(opType, in, a, attrs, inputs);
        break;
      case "Clip":
        clip(in, attrs, inputs);
        break;
      case "Gelu": {
        inputs.add(in.data(0, ParamRole.WEIGHT));
        String approximate = a.findString("approximate").orElse("none");
        if (!approximate.equals("none") && !approximate.equals("tanh")) {
          throw new UnsupportedOnnxException(in.where() + ": approximate '" + approximate + "' is not none or tanh");
        }
        attrs.set("approximate", approximate);
        break;
      }
      case "Softmax":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        a.findInt("axis").ifPresent(v -> attrs.set("axis", v));
        break;
      case "LayerNormalization":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        inputs.add(in.data(1, ParamRole.NORM_SCALE));
        if (in.present(2)) {
          inputs.add(in.data(2, ParamRole.NORM_BIAS));
        }
        a.findInt("axis").ifPresent(v -> attrs.set("axis", v));
        a.findFloat("epsilon").ifPresent(v -> attrs.set("epsilon", v));
        long stash = a.findInt("stash_type").orElse(1L);
        if (stash != 1) {
          throw new UnsupportedOnnxException(in.where() + ": stash_type " + stash + " (statistics in "
              + TensorProtos.onnxTypeName((int) stash) + "); the IR computes them in float32 (stash_type 1)");
        }
        break;
      case "BatchNormalization": {
        inputs.add(in.data(0, ParamRole.WEIGHT));
        inputs.add(in.data(1, ParamRole.NORM_SCALE));
        inputs.add(in.data(2, ParamRole.NORM_BIAS));
        inputs.add(in.data(3, ParamRole.RUNNING_MEAN));
        inputs.add(in.data(4, ParamRole.RUNNING_VAR));
        a.findFloat("epsilon").ifPresent(v -> attrs.set("epsilon", v));
        a.findFloat("momentum").ifPresent(v -> attrs.set("momentum", v));
        long training = a.findInt("training_mode").orElse(0L);
        if (training != 0) {
          throw new UnsupportedOnnxException(in.where() + ": training_mode 1 (batch statistics); the IR's "
              + "batch_norm node is the inference form, and training engines switch modes themselves");
        }
        break;
      }
      case "AveragePool": case "MaxPool":
        pool(opType, in, a, attrs, inputs);
        break;
      case "Reshape": {
        inputs.add(in.data(0, ParamRole.WEIGHT));
        long[] shape = ints(in, 1, "shape");
        long allowZero = a.findInt("allowzero").orElse(0L);
        if (allowZero != 0 && Arrays.stream(shape).anyMatch(d -> d == 0)) {
          throw new UnsupportedOnnxException(in.where() + ": allowzero 1 with a 0 in shape " + Arrays.toString(shape)
              + " asks for an empty dimension; the IR's reshape always copies the input dimension for 0");
        }
        attrs.set("shape", shape);
        break;
      }
      case "Transpose":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        a.findInts("perm").ifPresent(v -> attrs.set("perm", v));
        break;
      case "Concat":
        for (int i = 0; i < in.count(); i++) {
          inputs.add(in.data(i, ParamRole.WEIGHT));
        }
        attrs.set("axis", a.findInt("axis").orElseThrow(
            () -> new OnnxImportException(in.where() + " lacks the required attribute 'axis'")));
        break;
      case "Squeeze":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        if (in.present(1)) {
          attrs.set("axes", ints(in, 1, "axes"));
        }
        break;
      case "Unsqueeze":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        if (!in.present(1)) {
          throw new OnnxImportException(in.where() + " lacks its required input 'axes'");
        }
        attrs.set("axes", ints(in, 1, "axes"));
        break;
      case "Flatten":
        inputs.add(in.data(0, ParamRole.WEIGHT));
        a.findInt("axis").ifPresent(v -> attrs.set("axis", v));
        break;
      case "Dropout":
        dropout(in, a, attrs, inputs);
        break;
      case "SoftmaxCrossEntropyLoss":
        crossEntropy(in, a, attrs, inputs);
        break;
      default:
        throw new AssertionError("no mapping for " + opType);
    }
    List<String> unread = a.unread();
    if (!unread.isEmpty()) {
      throw new UnsupportedOnnxException(in.where() + " sets attribute" + (unread.size() > 1 ? "s " : " ")
          + unread + ", which the IR's " + op.irName() + " does not have");
    }
    checkDtypes(op, in, inputs);
    return new Node(name, op, inputs, List.of(output), attrs.build());
  }

  private static void conv(NodeInputs in, NodeAttributes a, Attributes.Builder attrs, List<String> inputs) {
    String x = in.data(0, ParamRole.WEIGHT);
    String w = in.data(1, ParamRole.WEIGHT);
    inputs.add(x);
    inputs.add(w);
    if (in.present(2)) {
      inputs.add(in.data(2, ParamRole.BIAS));
    }
    Shape ws = in.info(w).shape();
    Optional<long[]> kernelAttr = a.findInts("kernel_shape");
    long[] kernel = Arrays.copyOfRange(ws.dims(), Math.min(2, ws.rank()), ws.rank());
    if (kernelAttr.isPresent()) {
      long[] k = kernelAttr.get();
      boolean agrees = k.length == kernel.length;
      for (int i = 0; agrees && i < k.length; i++) {
        agrees = kernel[i] == Shape.DYNAMIC || kernel[i] == k[i];
      }
      if (!agrees) {
        throw new OnnxImportException(in.where() + ": kernel_shape " + Arrays.toString(k) + " disagrees with weight '"
            + w + "' of shape " + ws);
      }
      kernel = k;
    } else if (Arrays.stream(kernel).anyMatch(d -> d == Shape.DYNAMIC)) {
      throw new UnsupportedOnnxException(in.where() + ": the kernel size is unknown (weight '" + w + "' has shape "
          + ws + " and there is no kernel_shape)");
    }
    geometry(in, a, attrs, in.info(x).shape(), kernel, true);
    a.findInt("group").ifPresent(v -> attrs.set("group", v));
  }

  private static void pool(String opType, NodeInputs in, NodeAttributes a, Attributes.Builder attrs,
      List<String> inputs) {
    String x = in.data(0, ParamRole.WEIGHT);
    inputs.add(x);
    long[] kernel = a.findInts("kernel_shape").orElseThrow(
        () -> new OnnxImportException(in.where() + " lacks the required attribute 'kernel_shape'"));
    attrs.set("kernel_shape", kernel);
    boolean max = opType.equals("MaxPool");
    geometry(in, a, attrs, in.info(x).shape(), kernel, max);
    a.findInt("ceil_mode").ifPresent(v -> attrs.set("ceil_mode", v));
    if (max) {
      // storage_order only changes how the Indices output counts, and the IR has no Indices output.
      a.ignore("storage_order");
    } else {
      a.findInt("count_include_pad").ifPresent(v -> attrs.set("count_include_pad", v));
    }
  }

  /** Strides, dilations and pads (with auto_pad resolved) of a Conv or pooling node. */
  private static void geometry(NodeInputs in, NodeAttributes a, Attributes.Builder attrs, Shape x, long[] kernel,
      boolean dilationsInIr) {
    Optional<long[]> strides = a.findInts("strides");
    Optional<long[]> dilations = a.findInts("dilations");
    strides.ifPresent(v -> attrs.set("strides", v));
    if (dilations.isPresent()) {
      if (dilationsInIr) {
        attrs.set("dilations", dilations.get());
      } else if (Arrays.stream(dilations.get()).anyMatch(d -> d != 1)) {
        throw new UnsupportedOnnxException(in.where() + ": dilations " + Arrays.toString(dilations.get())
            + "; the IR's avg_pool has no dilation");
      }
    }
    String mode = a.findString("auto_pad").orElse("NOTSET");
    AutoPad.resolve(mode, a.findInts("pads"), x, kernel, strides.orElse(null), dilations.orElse(null), in.where())
        .ifPresent(p -> attrs.set("pads", p));
  }

  private static void dropout(NodeInputs in, NodeAttributes a, Attributes.Builder attrs, List<String> inputs) {
    inputs.add(in.data(0, ParamRole.WEIGHT));
    if (in.present(1)) {
      Tensor ratio = in.constant(1, "ratio");
      if (ratio.size() != 1 || !ratio.dtype().isFloatingPoint()) {
        throw new OnnxImportException(in.where() + ": ratio must be one floating-point value, is " + ratio);
      }
      attrs.set("ratio", ratio.toFloatArray()[0]);
    }
    if (in.present(2)) {
      Tensor training = in.constant(2, "training_mode");
      if (training.size() != 1 || training.dtype() != DType.BOOL) {
        throw new OnnxImportException(in.where() + ": training_mode must be one bool, is " + training);
      }
      if (training.toLongArray()[0] != 0) {
        throw new UnsupportedOnnxException(in.where() + ": training_mode true; the IR's dropout node is the "
            + "inference identity, and training engines switch modes themselves");
      }
    }
    // The seed only matters in training mode, which the IR node never is.
    a.ignore("seed");
  }

  private static void crossEntropy(NodeInputs in, NodeAttributes a, Attributes.Builder attrs, List<String> inputs) {
    String reduction = a.findString("reduction").orElse("mean");
    if (!reduction.equals("mean")) {
      throw new UnsupportedOnnxException(in.where() + ": reduction '" + reduction + "'; the IR's cross_entropy "
          + "always takes the (weighted) mean");
    }
    Optional<Long> ignoreIndex = a.findInt("ignore_index");
    if (ignoreIndex.isPresent()) {
      throw new UnsupportedOnnxException(in.where() + ": ignore_index " + ignoreIndex.get() + "; the IR's "
          + "cross_entropy has no ignored class");
    }
    String scores = in.data(0, ParamRole.WEIGHT);
    Shape s = in.info(scores).shape();
    if (s.rank() != 2) {
      throw new UnsupportedOnnxException(in.where() + ": scores '" + scores + "' have shape " + s + "; the IR's "
          + "cross_entropy takes [N, C] logits, not the [N, C, d1, ...] form");
    }
    inputs.add(scores);
    inputs.add(in.data(1, ParamRole.WEIGHT));
    if (in.present(2)) {
      Tensor w = in.constant(2, "weights");
      if (!w.dtype().isFloatingPoint() || w.shape().rank() != 1) {
        throw new OnnxImportException(in.where() + ": weights must be a 1-D float tensor, are " + w);
      }
      attrs.set("class_weights", w.toFloatArray());
    }
  }

  private static void slice(NodeInputs in, Attributes.Builder attrs, List<String> inputs) {
    String data = in.data(0, ParamRole.WEIGHT);
    inputs.add(data);
    attrs.set("starts", ints(in, 1, "starts"));
    attrs.set("ends", ints(in, 2, "ends"));
    if (in.present(3)) {
      attrs.set("axes", ints(in, 3, "axes"));
    }
    if (in.present(4)) {
      long[] steps = ints(in, 4, "steps");
      if (Arrays.stream(steps).anyMatch(s -> s < 0)) {
        throw new UnsupportedOnnxException(in.where() + ": steps " + Arrays.toString(steps) + " include a negative "
            + "step; the IR's slice takes positive steps only");
      }
      attrs.set("steps", steps);
    }
    // ONNX allows an empty result; the IR refuses one, so that is a missing feature, not a malformed model.
    Shape x = in.info(data).shape();
    SliceGeometry g;
    try {
      g = SliceGeometry.of(new Node("slice", Op.SLICE, List.of(data), List.of("y"), attrs.build()), x.rank());
    } catch (GraphValidationException e) {
      return; // malformed (a zero step, a repeated axis...): shape inference reports it with the node
    }
    for (int i = 0; i < g.axes().length; i++) {
      long extent = x.dim(g.axes()[i]);
      if (extent != Shape.DYNAMIC && g.count(i, extent) == 0) {
        throw new UnsupportedOnnxException(in.where() + ": keeps no element of axis " + g.axes()[i] + " of '" + data
            + "' " + x + "; the IR's slice must keep at least one element on every axis");
      }
    }
  }

  /**
   * ReduceSum (axes an input since opset 13) and ReduceMean (axes an attribute until opset 17, an input since 18):
   * either form is read. With noop_with_empty_axes 1, no axes means no reduction at all, which the IR does not have.
   */
  private static void reduce(String opType, NodeInputs in, NodeAttributes a, Attributes.Builder attrs,
      List<String> inputs) {
    inputs.add(in.data(0, ParamRole.WEIGHT));
    long[] axes = a.findInts("axes").orElse(null);
    if (in.present(1)) {
      if (axes != null) {
        throw new OnnxImportException(in.where() + " gives axes both as an attribute and as an input");
      }
      axes = ints(in, 1, "axes");
    }
    long noop = a.findInt("noop_with_empty_axes").orElse(0L);
    boolean empty = axes == null || axes.length == 0;
    if (noop != 0 && empty) {
      throw new UnsupportedOnnxException(in.where() + ": noop_with_empty_axes 1 without axes reduces nothing; the "
          + "IR's " + OPERATORS.get(opType).irName() + " without axes reduces every axis");
    }
    if (!empty) {
      attrs.set("axes", axes);
    }
    a.findInt("keepdims").ifPresent(v -> attrs.set("keepdims", v));
  }

  private static void clip(NodeInputs in, Attributes.Builder attrs, List<String> inputs) {
    inputs.add(in.data(0, ParamRole.WEIGHT));
    String[] names = {"min", "max"};
    for (int i = 1; i <= 2; i++) {
      if (in.present(i)) {
        Tensor bound = in.constant(i, names[i - 1]);
        if (bound.size() != 1 || !bound.dtype().isFloatingPoint()) {
          throw new UnsupportedOnnxException(in.where() + ": " + names[i - 1] + " must be one floating-point value "
              + "for the IR's clip, is " + bound);
        }
        attrs.set(names[i - 1], bound.toFloatArray()[0]);
      }
    }
  }

  private static long[] ints(NodeInputs in, int i, String what) {
    Tensor t = in.constant(i, what);
    if (t.dtype() != DType.INT64 && t.dtype() != DType.INT32) {
      throw new OnnxImportException(in.where() + ": input '" + what + "' must be int64, is " + t.dtype());
    }
    if (t.shape().rank() > 1) {
      throw new OnnxImportException(in.where() + ": input '" + what + "' must be 1-D, has shape " + t.shape());
    }
    return t.toLongArray();
  }

  /**
   * Every IR value is float32, data movement included, except int64 indices, which only index operands
   * ({@link Op#isIndexOperand}, e.g. cross entropy's target) read.
   */
  private static void checkDtypes(Op op, NodeInputs in, List<String> inputs) {
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      ValueInfo vi = in.info(inputs.get(i));
      DType expected = op.isIndexOperand(i) ? DType.INT64 : DType.FLOAT32;
      if (vi.dtype() != expected) {
        wrong.add("'" + vi.name() + "' is " + vi.dtype() + " (needs " + expected + ")");
      }
    }
    if (!wrong.isEmpty()) {
      throw new UnsupportedOnnxException(in.where() + ": input " + String.join(", ", wrong) + "; the IR's "
          + op.irName() + " computes in float32 and reads int64 only as indices");
    }
  }
}
