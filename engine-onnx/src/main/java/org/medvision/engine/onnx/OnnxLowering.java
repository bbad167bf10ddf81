package org.medvision.engine.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.graph.AttrSpec;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * Translates an IR graph into an ONNX {@code ModelProto} (domain ai.onnx, opset {@value #OPSET}, IR version
 * {@value #ONNX_IR_VERSION}).
 *
 * <p>Node, input, output and parameter names are kept, so ONNX Runtime's error messages and tools such as Netron show
 * the IR's names. Parameters become initializers whose bytes go wherever the {@link InitializerSink} puts them; the
 * attributes our IR keeps that opset 20 takes as inputs (Reshape's shape, Squeeze/Unsqueeze/Reduce axes, Slice's
 * bounds, Clip's finite bounds) become small int64 or float initializers named after their node. Dynamic input
 * dimensions become symbolic: the leading one {@code "N"} (the batch shared by every input), any other
 * {@code "<input>_dim<axis>"}.
 *
 * <p>Stateless apart from one lowering's bookkeeping; each call to {@link #lower} uses a fresh instance.
 */
final class OnnxLowering {
  /** The ai.onnx opset the models use: the first with a Gelu operator. */
  static final int OPSET = 20;
  /** ONNX IR version 9 is the one that goes with opset 20. */
  static final long ONNX_IR_VERSION = 9;
  /** The {@code producer_name} of every exported model. */
  static final String PRODUCER = "medvision";
  /** The symbolic name of a dynamic leading (batch) dimension. */
  static final String BATCH_DIM = "N";
  /** The engine name used in {@link UnsupportedOpException}. */
  static final String ENGINE = "onnx";

  /** Decides where an initializer's bytes are stored: inside the model or in an external data file. */
  interface InitializerSink {
    /** Completes {@code tensor} (name, type and dims already set) with the bytes of {@code data}. */
    void store(TensorProto.Builder tensor, Tensor data);
  }

  /** Stores every initializer's bytes in the model as little-endian {@code raw_data}. */
  static final InitializerSink INLINE = (tensor, data) -> tensor.setRawData(ByteString.copyFrom(data.data()));

  private final Graph graph;
  private final OnnxMl.GraphProto.Builder proto = OnnxMl.GraphProto.newBuilder();
  private final Set<String> usedNames = new HashSet<>();

  private OnnxLowering(Graph graph) {
    this.graph = graph;
  }

  /**
   * Lowers {@code graph} with parameter values {@code fitted}.
   *
   * @param fitted weights already checked with {@link Weights#fitTo(Graph)}: one tensor per declared parameter
   * @param sink where parameter bytes go
   * @throws UnsupportedOpException listing every op without an ONNX mapping, each with the first node using it
   */
  static OnnxMl.ModelProto lower(Graph graph, Weights fitted, InitializerSink sink) {
    return new OnnxLowering(graph).build(fitted, sink);
  }

  /** Total bytes of parameter data {@code fitted} holds: what decides between inline and external storage. */
  static long parameterBytes(Weights fitted) {
    long total = 0;
    for (Tensor t : fitted.tensors().values()) {
      total += t.byteSize();
    }
    return total;
  }

  private OnnxMl.ModelProto build(Weights fitted, InitializerSink sink) {
    proto.setName(graph.name());
    for (ValueInfo in : graph.inputs()) {
      usedNames.add(in.name());
    }
    for (ParameterSpec p : graph.parameters()) {
      usedNames.add(p.name());
    }
    for (Node n : graph.nodes()) {
      usedNames.addAll(n.outputs());
    }
    for (ValueInfo in : graph.inputs()) {
      proto.addInput(valueInfo(in, true));
    }
    for (ParameterSpec p : graph.parameters()) {
      Tensor t = fitted.find(p.name()).orElseThrow(
          () -> new IllegalArgumentException("weights were not fitted to graph '" + graph.name() + "': no tensor '"
              + p.name() + "'"));
      TensorProto.Builder b = tensorHeader(p.name(), t.dtype(), t.shape());
      sink.store(b, t);
      proto.addInitializer(b);
    }
    Map<Op, String> unsupported = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (!lowerNode(n)) {
        unsupported.putIfAbsent(n.op(), n.name());
      }
    }
    if (!unsupported.isEmpty()) {
      List<String> listed = new ArrayList<>();
      unsupported.forEach((op, node) -> listed.add(UnsupportedOpException.describe(op, node)));
      throw new UnsupportedOpException(ENGINE, listed);
    }
    for (ValueInfo out : graph.outputs()) {
      proto.addOutput(valueInfo(out, false));
    }
    OnnxMl.ModelProto.Builder model = OnnxMl.ModelProto.newBuilder()
        .setIrVersion(ONNX_IR_VERSION)
        .setProducerName(PRODUCER)
        .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(proto);
    graph.metadata().forEach((k, v) -> model.addMetadataProps(
        OnnxMl.StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
    return model.build();
  }

  /** Emits the ONNX node(s) for {@code n}; false when the op has no ONNX mapping. */
  private boolean lowerNode(Node n) {
    switch (n.op()) {
      case MATMUL: case ADD: case SUB: case MUL: case DIV: case ERF: case RELU: case SIGMOID: case GLOBAL_AVG_POOL:
      case IDENTITY: case SQRT: case ABS: case TANH:
        emit(n, n.op().onnxOperator().orElseThrow(), n.inputs());
        return true;
      case GATHER:
        emit(n, "Gather", n.inputs(), "axis");
        return true;
      case SLICE:
        emitSlice(n);
        return true;
      case REDUCE_SUM: case REDUCE_MEAN: {
        // Opset 18+ takes the axes as an input; without it every axis is reduced (noop_with_empty_axes = 0).
        List<String> in = new ArrayList<>(n.inputs());
        n.attributes().findInts("axes").ifPresent(axes -> in.add(int64Constant(n, "axes", axes)));
        emit(n, n.op().onnxOperator().orElseThrow(), in, "keepdims");
        return true;
      }
      case CLIP:
        emitClip(n);
        return true;
      case CONV:
        emit(n, "Conv", n.inputs(), "strides", "pads", "dilations", "group");
        return true;
      case GEMM:
        emit(n, "Gemm", n.inputs(), "alpha", "beta", "transA", "transB");
        return true;
      case GELU:
        emit(n, "Gelu", n.inputs(), "approximate");
        return true;
      case SOFTMAX:
        emit(n, "Softmax", n.inputs(), "axis");
        return true;
      case LAYER_NORM:
        emit(n, "LayerNormalization", n.inputs(), "axis", "epsilon");
        return true;
      case BATCH_NORM:
        emit(n, "BatchNormalization", n.inputs(), "epsilon", "momentum");
        return true;
      case AVG_POOL:
        emit(n, "AveragePool", n.inputs(), "kernel_shape", "strides", "pads", "count_include_pad", "ceil_mode");
        return true;
      case MAX_POOL:
        emit(n, "MaxPool", n.inputs(), "kernel_shape", "strides", "pads", "dilations", "ceil_mode");
        return true;
      case RESHAPE:
        emit(n, "Reshape", List.of(n.inputs().get(0), int64Constant(n, "shape", n.attributes().getInts("shape"))));
        return true;
      case TRANSPOSE:
        emit(n, "Transpose", n.inputs(), "perm");
        return true;
      case CONCAT:
        emit(n, "Concat", n.inputs(), "axis");
        return true;
      case SQUEEZE: {
        List<String> in = new ArrayList<>(n.inputs());
        n.attributes().findInts("axes").ifPresent(axes -> in.add(int64Constant(n, "axes", axes)));
        emit(n, "Squeeze", in);
        return true;
      }
      case UNSQUEEZE:
        emit(n, "Unsqueeze", List.of(n.inputs().get(0), int64Constant(n, "axes", n.attributes().getInts("axes"))));
        return true;
      case FLATTEN:
        emit(n, "Flatten", n.inputs(), "axis");
        return true;
      case CONSTANT:
        emitConstant(n);
        return true;
      case DROPOUT: case DROP_PATH: case STOP_GRADIENT:
        // The exported model is for inference, where all three are the identity; ONNX Dropout would also need the
        // ratio as an input and carry an optional mask output nobody reads, and ONNX has no drop-path or
        // stop-gradient operator.
        emit(n, "Identity", n.inputs());
        return true;
      default:
        return false;
    }
  }

  /** Adds a node named like {@code n} with the given operator and inputs, copying the listed attributes if set. */
  private void emit(Node n, String opType, List<String> inputs, String... attributes) {
    NodeProto.Builder b = NodeProto.newBuilder().setName(n.name()).setOpType(opType).addAllInput(inputs)
        .addAllOutput(n.outputs());
    for (String name : attributes) {
      if (n.attributes().has(name)) {
        b.addAttribute(attribute(n, name));
      }
    }
    proto.addNode(b);
  }

  private static AttributeProto attribute(Node n, String name) {
    AttrSpec spec = n.op().attribute(name).orElseThrow(
        () -> new IllegalStateException("op " + n.op() + " declares no attribute '" + name + "'"));
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name);
    switch (spec.type()) {
      case INT:
        a.setType(AttributeProto.AttributeType.INT).setI(n.attributes().getInt(name));
        break;
      case INTS:
        a.setType(AttributeProto.AttributeType.INTS);
        for (long v : n.attributes().getInts(name)) {
          a.addInts(v);
        }
        break;
      case FLOAT:
        a.setType(AttributeProto.AttributeType.FLOAT).setF(n.attributes().getFloat(name));
        break;
      case FLOATS:
        a.setType(AttributeProto.AttributeType.FLOATS);
        for (float v : (float[]) n.attributes().raw(name).orElseThrow()) {
          a.addFloats(v);
        }
        break;
      case STRING:
        a.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(n.attributes().getString(name)));
        break;
      default:
        throw new IllegalStateException("attribute type " + spec.type() + " of " + n.op() + "." + name);
    }
    return a.build();
  }

  /**
   * An ONNX Constant whose {@code value} attribute is a float tensor of the node's shape: the form ONNX's own
   * exporters write, which every runtime folds.
   */
  private void emitConstant(Node n) {
    Shape shape = Shape.of(n.attributes().getInts("shape"));
    TensorProto.Builder value = tensorHeader(n.output(), DType.FLOAT32, shape);
    INLINE.store(value, Tensor.of(shape, (float[]) n.attributes().raw("value").orElseThrow()));
    proto.addNode(NodeProto.newBuilder().setName(n.name()).setOpType("Constant").addAllOutput(n.outputs())
        .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR)
            .setT(value)));
  }

  /** ONNX Slice with starts, ends and (when set) axes and steps as int64 initializers. */
  private void emitSlice(Node n) {
    List<String> in = new ArrayList<>(n.inputs());
    in.add(int64Constant(n, "starts", n.attributes().getInts("starts")));
    in.add(int64Constant(n, "ends", n.attributes().getInts("ends")));
    long[] axes = n.attributes().findInts("axes").orElse(null);
    long[] steps = n.attributes().findInts("steps").orElse(null);
    if (axes != null || steps != null) {
      // Axes come before steps, so steps without axes need the default axes spelled out.
      in.add(int64Constant(n, "axes", axes != null ? axes
          : LongStream.range(0, n.attributes().getInts("starts").length).toArray()));
    }
    if (steps != null) {
      in.add(int64Constant(n, "steps", steps));
    }
    emit(n, "Slice", in);
  }

  /** ONNX Clip with each finite bound as a float scalar initializer; an infinite bound is left out (unbounded). */
  private void emitClip(Node n) {
    float min = n.attributes().getFloat("min");
    float max = n.attributes().getFloat("max");
    List<String> in = new ArrayList<>(n.inputs());
    boolean hasMax = !Float.isInfinite(max);
    if (!Float.isInfinite(min) || hasMax) {
      in.add(Float.isInfinite(min) ? "" : floatScalar(n, "min", min));
    }
    if (hasMax) {
      in.add(floatScalar(n, "max", max));
    }
    emit(n, "Clip", in);
  }

  /** Adds a float32 scalar initializer holding {@code value} and returns its (unique) name. */
  private String floatScalar(Node n, String what, float value) {
    String name = uniqueName(n, what);
    TensorProto.Builder t = tensorHeader(name, DType.FLOAT32, Shape.scalar());
    INLINE.store(t, Tensor.of(Shape.scalar(), value));
    proto.addInitializer(t);
    return name;
  }

  /** Adds a 1-D int64 initializer holding {@code values} and returns its (unique) name. */
  private String int64Constant(Node n, String what, long[] values) {
    String name = uniqueName(n, what);
    TensorProto.Builder t = tensorHeader(name, DType.INT64, Shape.of(values.length));
    INLINE.store(t, Tensor.ofLongs(Shape.of(values.length), values));
    proto.addInitializer(t);
    return name;
  }

  /** {@code <node>/<what>}, with a numeric suffix when that name is taken. */
  private String uniqueName(Node n, String what) {
    String name = n.name() + "/" + what;
    for (int i = 2; !usedNames.add(name); i++) {
      name = n.name() + "/" + what + "_" + i;
    }
    return name;
  }

  private static TensorProto.Builder tensorHeader(String name, DType dtype, Shape shape) {
    TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(dtype.onnxCode());
    for (long d : shape.dims()) {
      b.addDims(d);
    }
    return b;
  }

  /**
   * The ONNX type of a graph input or output. Dynamic input dimensions get symbolic names; dynamic output
   * dimensions are left unnamed because shape inference does not tell us which input dimension they follow.
   */
  private static OnnxMl.ValueInfoProto valueInfo(ValueInfo vi, boolean input) {
    OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
    long[] dims = vi.shape().dims();
    for (int axis = 0; axis < dims.length; axis++) {
      OnnxMl.TensorShapeProto.Dimension.Builder d = OnnxMl.TensorShapeProto.Dimension.newBuilder();
      if (dims[axis] != Shape.DYNAMIC) {
        d.setDimValue(dims[axis]);
      } else if (input) {
        d.setDimParam(symbolicDim(vi.name(), axis));
      }
      shape.addDim(d);
    }
    OnnxMl.TypeProto.Builder type = OnnxMl.TypeProto.newBuilder().setTensorType(
        OnnxMl.TypeProto.Tensor.newBuilder().setElemType(vi.dtype().onnxCode()).setShape(shape));
    return OnnxMl.ValueInfoProto.newBuilder().setName(vi.name()).setType(type).build();
  }

  /** The symbolic name of dynamic dimension {@code axis} of input {@code input}. */
  static String symbolicDim(String input, int axis) {
    return axis == 0 ? BATCH_DIM : input + "_dim" + axis;
  }
}
