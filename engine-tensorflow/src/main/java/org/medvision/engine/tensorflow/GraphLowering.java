package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.IndexOperands;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Lowers an IR graph into a TensorFlow graph, node by node, in inference mode (dropout and stochastic depth are the
 * identity; a loss node computes its value, without gradients). Each IR value becomes a
 * {@link Placed} operand with a layout (see {@link Layout}); the per-op classes decide layouts, and graph outputs are
 * returned in the IR's axis order. Only the nodes the outputs need are lowered.
 */
final class GraphLowering {
  /** The model ops lowered here: every IR op except the losses, which {@link LossLowering} lowers. */
  static final Set<Op> INFERENCE_OPS = inferenceOps();

  private final Ops tf;
  private final ParameterSource parameters;

  GraphLowering(Ops tf, ParameterSource parameters) {
    this.tf = tf;
    this.parameters = parameters;
  }

  private static Set<Op> inferenceOps() {
    Set<Op> ops = EnumSet.allOf(Op.class);
    ops.removeIf(Op::isLoss);
    return Collections.unmodifiableSet(ops);
  }

  /**
   * Checks that every op of {@code graph} can be lowered and that it computes in float32.
   *
   * @throws UnsupportedOpException listing each unsupported op with the first node using it
   * @throws EngineException naming an input or parameter of another dtype, or an int64 input that something other
   *     than an index operand reads
   */
  static void checkSupported(Graph graph) {
    Map<Op, String> lacking = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (!INFERENCE_OPS.contains(n.op()) && !n.op().isLoss()) {
        lacking.putIfAbsent(n.op(), n.name());
      }
    }
    if (!lacking.isEmpty()) {
      List<String> described = new ArrayList<>();
      lacking.forEach((op, node) -> described.add(UnsupportedOpException.describe(op, node)));
      throw new UnsupportedOpException(TensorFlowEngineProvider.NAME, described);
    }
    checkDtypes(graph);
  }

  /**
   * Inputs are float32, or int64 indices that only index operands read ({@link IndexOperands}); parameters are
   * float32.
   *
   * @throws EngineException naming the first input or parameter that breaks this
   */
  static void checkDtypes(Graph graph) {
    for (ValueInfo in : graph.inputs()) {
      if (in.dtype() != DType.FLOAT32 && in.dtype() != DType.INT64) {
        throw new EngineException("input '" + in.name() + "' of graph '" + graph.name() + "' is " + in.dtype()
            + "; the tensorflow engine takes float32 inputs (and int64 indices for index operands)");
      }
    }
    List<String> misuses = IndexOperands.misuses(graph);
    if (!misuses.isEmpty()) {
      throw new EngineException("graph '" + graph.name() + "': " + String.join("; ", misuses));
    }
    for (ParameterSpec p : graph.parameters()) {
      if (p.dtype() != DType.FLOAT32) {
        throw new EngineException("parameter '" + p.name() + "' of graph '" + graph.name() + "' is declared "
            + p.dtype() + "; the tensorflow engine computes in float32 only");
      }
    }
  }

  /**
   * Lowers {@code graph}, which must have passed {@link #checkSupported}.
   *
   * @throws EngineException naming the node TensorFlow rejected and its input shapes
   */
  LoweredGraph lower(Graph graph) {
    Map<String, ValueInfo> infos = graph.valueInfos();
    Map<String, Placed> values = new HashMap<>();
    List<String> inputNames = new ArrayList<>();
    List<Operand<?>> inputs = new ArrayList<>();
    List<DType> inputTypes = new ArrayList<>();
    Map<String, Operand<TInt64>> indices = new HashMap<>();
    for (ValueInfo in : graph.inputs()) {
      Ops named = tf.withName(opName("input" + inputs.size(), in.name()));
      Placeholder.Options shape = Placeholder.shape(org.tensorflow.ndarray.Shape.of(in.shape().dims()));
      if (in.dtype() == DType.INT64) {
        Placeholder<TInt64> p = named.placeholder(TInt64.class, shape);
        indices.put(in.name(), p);
        inputs.add(p);
      } else {
        Placeholder<TFloat32> p = named.placeholder(TFloat32.class, shape);
        values.put(in.name(), Placed.logical(p, in.shape().dims()));
        inputs.add(p);
      }
      inputNames.add(in.name());
      inputTypes.add(in.dtype());
    }
    Map<String, ParameterSpec> params = new HashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      params.put(p.name(), p);
    }
    List<String> outputNames = new ArrayList<>();
    for (ValueInfo o : graph.outputs()) {
      outputNames.add(o.name());
    }
    int index = 0;
    for (Node n : graph.nodesFor(outputNames)) {
      List<Placed> in = new ArrayList<>();
      for (String name : n.inputs()) {
        // Indices are int64 and only index operands read them (checkDtypes); they are not float values.
        in.add(indices.containsKey(name) ? null : value(values, params, name, n));
      }
      OpContext ctx = new OpContext(nodeOps(tf, index++, n), n, infos.get(n.output()).shape().dims());
      try {
        values.put(n.output(), n.op().isLoss() ? Placed.logical(lowerLoss(ctx, in, indices), new long[0])
            : lowerNode(ctx, in, indices));
      } catch (MedvisionException e) {
        throw e;
      } catch (RuntimeException e) {
        List<String> shapes = new ArrayList<>();
        for (Placed p : in) {
          shapes.add(p == null ? "int64 indices" : Arrays.toString(p.dims()));
        }
        throw new EngineException(ctx.where() + ": TensorFlow rejected it on inputs " + n.inputs() + " of shapes "
            + shapes + ": " + e.getMessage(), e);
      }
    }
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (String name : outputNames) {
      Placed v = value(values, params, name, null);
      outputs.add(tf.withName(opName("output" + outputs.size(), name)).identity(Relayout.logical(tf, v).operand()));
    }
    return new LoweredGraph(inputNames, inputs, inputTypes, outputNames, outputs);
  }

  private Placed value(Map<String, Placed> values, Map<String, ParameterSpec> params, String name, Node reader) {
    Placed v = values.get(name);
    if (v == null) {
      ParameterSpec spec = params.get(name);
      if (spec == null) {
        throw new EngineException((reader == null ? "an output" : "node '" + reader.name() + "'") + " reads '" + name
            + "', which no input, parameter or earlier node provides");
      }
      // Numbered so that names differing only in characters TensorFlow does not allow still get distinct ops.
      Ops named = tf.withName(opName("param" + values.size(), name));
      v = parameters.storesAnyLayout() ? Placed.stored(spec.shape().dims(), l -> parameters.value(named, spec, l))
          : Placed.logical(parameters.value(named, spec), spec.shape().dims());
      values.put(name, v);
    }
    return v;
  }

  /**
   * Lowers one model op. {@code in} holds {@code null} for an int64 input, which only an index operand may be; those
   * are looked up in {@code indices} by name.
   */
  static Placed lowerNode(OpContext ctx, List<Placed> in, Map<String, Operand<TInt64>> indices) {
    if (ctx.node().op() == Op.CONSTANT) {
      return ConstantLowering.constant(ctx);
    }
    if (ctx.node().op() == Op.GATHER) {
      return SelectionLowering.gather(ctx, in.get(0), indices.get(ctx.node().inputs().get(1)));
    }
    Placed x = in.get(0);
    Placed third = in.size() > 2 ? in.get(2) : null;
    switch (ctx.node().op()) {
      case CONV: return ConvLowering.conv(ctx, x, in.get(1), third);
      case MATMUL: return MatrixLowering.matmul(ctx, x, in.get(1));
      case GEMM: return MatrixLowering.gemm(ctx, x, in.get(1), third);
      case ADD: case SUB: case MUL: case DIV: return ElementwiseLowering.binary(ctx, x, in.get(1));
      case ERF: case GELU: case RELU: case SIGMOID: case SQRT: case ABS: case TANH:
        return ElementwiseLowering.unary(ctx, x);
      case CLIP: return SelectionLowering.clip(ctx, x);
      case SLICE: return SelectionLowering.slice(ctx, x);
      case REDUCE_SUM: return SelectionLowering.reduce(ctx, x, false);
      case REDUCE_MEAN: return SelectionLowering.reduce(ctx, x, true);
      // Identity forward; training graphs differentiate through StopGradient as through a constant.
      case STOP_GRADIENT: return new Placed(ctx.tf().stopGradient(x.operand()), x.layout(), x.dims());
      case SOFTMAX: return ElementwiseLowering.softmax(ctx, x);
      case LAYER_NORM: return NormLowering.layerNorm(ctx, x, in.get(1), third);
      case BATCH_NORM: return NormLowering.batchNormInference(ctx, x, in.get(1), in.get(2), in.get(3), in.get(4));
      case AVG_POOL: case MAX_POOL: return PoolLowering.pool(ctx, x);
      case GLOBAL_AVG_POOL: return PoolLowering.globalAveragePool(ctx, x);
      case RESHAPE: return ShapeLowering.reshape(ctx, x);
      case TRANSPOSE: return ShapeLowering.transpose(ctx, x);
      case CONCAT: return ShapeLowering.concat(ctx, in);
      case SQUEEZE: return ShapeLowering.squeeze(ctx, x);
      case UNSQUEEZE: return ShapeLowering.unsqueeze(ctx, x);
      case FLATTEN: return ShapeLowering.flatten(ctx, x);
      // Inference mode: dropout and stochastic depth pass values through unchanged.
      case IDENTITY: case DROPOUT: case DROP_PATH: return x;
      default:
        throw new UnsupportedOpException(TensorFlowEngineProvider.NAME,
            List.of(UnsupportedOpException.describe(ctx.node().op(), ctx.node().name())));
    }
  }

  /**
   * The loss ops, each a scalar: in a training graph the loss to differentiate, in a model graph an output like any
   * other. {@code in} holds {@code null} for an int64 input, which only an index operand may be.
   */
  static Operand<TFloat32> lowerLoss(OpContext ctx, List<Placed> in, Map<String, Operand<TInt64>> indices) {
    Node n = ctx.node();
    for (int i = 0; i < in.size(); i++) {
      boolean index = n.op().isIndexOperand(i);
      if ((in.get(i) == null) != index || index && !indices.containsKey(n.inputs().get(i))) {
        throw ctx.error("input " + i + " '" + n.inputs().get(i) + "' must be " + (index
            ? "an int64 graph input of indices" : "a float32 value, not int64 indices"));
      }
    }
    switch (n.op()) {
      case CROSS_ENTROPY: return LossLowering.crossEntropy(ctx, in.get(0), indices.get(n.inputs().get(1)));
      case BCE_WITH_LOGITS:
        return LossLowering.bceWithLogits(ctx, in.get(0), in.get(1), in.size() > 2 ? in.get(2) : null);
      case L1_LOSS: return LossLowering.l1(ctx, in.get(0), in.get(1));
      case MSE_LOSS: return LossLowering.mse(ctx, in.get(0), in.get(1));
      case SOFT_DICE: return LossLowering.softDice(ctx, in.get(0), in.get(1));
      default: throw ctx.error("is not a loss op");
    }
  }

  /**
   * The op factory for the {@code index}-th lowered node: its ops are named {@code n<index>_<node name>}, made unique
   * with {@code _1, _2...}, so the TensorFlow graph reads like the IR in profiles and errors. Not a subscope per node:
   * TensorFlow Java's {@code withSubScope} scans every op already in the graph, which made lowering quadratic in the
   * node count; {@code withName} shares its parent's name counter and scans nothing. The numeric prefix keeps names of
   * different nodes apart even when their IR names differ only in characters TensorFlow does not allow.
   */
  static Ops nodeOps(Ops tf, int index, Node node) {
    return tf.withName(opName("n" + index, node.name()));
  }

  /** A TensorFlow-legal, readable op name: TensorFlow allows letters, digits and {@code _ . - /}. */
  static String opName(String prefix, String irName) {
    StringBuilder sb = new StringBuilder(prefix).append('_');
    for (char c : irName.toCharArray()) {
      sb.append(Character.isLetterOrDigit(c) && c < 128 || c == '.' || c == '_' || c == '-' ? c : '_');
    }
    return sb.toString();
  }
}
