package org.medvision.api.graph;

import static org.medvision.api.graph.AttrSpec.optional;
import static org.medvision.api.graph.AttrSpec.required;
import static org.medvision.api.graph.AttrType.FLOAT;
import static org.medvision.api.graph.AttrType.FLOATS;
import static org.medvision.api.graph.AttrType.INT;
import static org.medvision.api.graph.AttrType.INTS;
import static org.medvision.api.graph.AttrType.STRING;

import java.util.List;
import java.util.Optional;

/**
 * The closed op set of the IR, declared as data.
 *
 * <p>Each constant gives its ONNX counterpart, input and output arity, attributes, and the IR version that added it.
 * Semantics are those of the named ONNX operator at opset 20 (see {@link #onnxOperator()}), with the differences
 * documented on the constant. All ops compute in float32 unless stated. The reference interpreter in the testkit
 * module defines the numerics; every engine must match it.
 *
 * <p>New ops are added as new constants with a higher {@link #since()}; existing constants never change meaning, so a
 * graph written at IR version {@code n} means the same thing to every later version.
 */
public enum Op {
  /**
   * ONNX {@code Conv} over 1, 2 or 3 spatial axes: inputs X [N,C,spatial...], W [M,C/group,k...], optional B [M].
   * {@code pads} is [begin..., end...] as in ONNX; absent strides/dilations/pads mean 1/1/0 on every axis.
   */
  CONV("Conv", 2, 3, 1, optional("strides", INTS, null), optional("pads", INTS, null),
      optional("dilations", INTS, null), optional("group", INT, 1L)),
  /** ONNX {@code MatMul}: numpy matrix product with batch broadcasting. */
  MATMUL("MatMul", 2, 2, 1),
  /** ONNX {@code Gemm}: Y = alpha * A' B' + beta * C on 2-D A and B, C broadcast to [M,N]. */
  GEMM("Gemm", 2, 3, 1, optional("alpha", FLOAT, 1f), optional("beta", FLOAT, 1f), optional("transA", INT, 0L),
      optional("transB", INT, 0L)),
  /** ONNX {@code Add} with multidirectional broadcasting. */
  ADD("Add", 2, 2, 1),
  /** ONNX {@code Sub} with multidirectional broadcasting. */
  SUB("Sub", 2, 2, 1),
  /** ONNX {@code Mul} with multidirectional broadcasting. */
  MUL("Mul", 2, 2, 1),
  /** ONNX {@code Div} with multidirectional broadcasting. */
  DIV("Div", 2, 2, 1),
  /** ONNX {@code Erf}, the Gauss error function. */
  ERF("Erf", 1, 1, 1),
  /**
   * ONNX {@code Gelu} (opset 20): {@code approximate = "none"} is the exact form x·Φ(x) = 0.5·x·(1 + erf(x/√2));
   * {@code "tanh"} is the tanh approximation.
   */
  GELU("Gelu", 1, 1, 1, optional("approximate", STRING, "none")),
  /** ONNX {@code Relu}. */
  RELU("Relu", 1, 1, 1),
  /** ONNX {@code Sigmoid}. */
  SIGMOID("Sigmoid", 1, 1, 1),
  /** ONNX {@code Softmax} (opset 13+) along one axis. */
  SOFTMAX("Softmax", 1, 1, 1, optional("axis", INT, -1L)),
  /**
   * ONNX {@code LayerNormalization}: normalises over axes {@code [axis, rank)} with biased variance, then applies
   * scale (and optional bias) of the normalised shape. Channel-wise LayerNorm of NCHW data is written as transpose to
   * channels-last, this op with {@code axis = -1}, and transpose back.
   */
  LAYER_NORM("LayerNormalization", 2, 3, 1, optional("axis", INT, -1L), optional("epsilon", FLOAT, 1e-5f)),
  /**
   * ONNX {@code BatchNormalization} in inference mode: inputs X [N,C,...], scale, B, mean, var, each [C].
   * {@code momentum} uses the ONNX convention (running = running·momentum + batch·(1−momentum)), so PyTorch's
   * default 0.1 is 0.9 here; it only matters to training engines.
   */
  BATCH_NORM("BatchNormalization", 5, 5, 1, optional("epsilon", FLOAT, 1e-5f), optional("momentum", FLOAT, 0.9f)),
  /** ONNX {@code AveragePool} over 1-3 spatial axes; padding excluded from the count unless count_include_pad. */
  AVG_POOL("AveragePool", 1, 1, 1, required("kernel_shape", INTS), optional("strides", INTS, null),
      optional("pads", INTS, null), optional("count_include_pad", INT, 0L), optional("ceil_mode", INT, 0L)),
  /** ONNX {@code MaxPool} over 1-3 spatial axes (values only; padding never wins). */
  MAX_POOL("MaxPool", 1, 1, 1, required("kernel_shape", INTS), optional("strides", INTS, null),
      optional("pads", INTS, null), optional("dilations", INTS, null), optional("ceil_mode", INT, 0L)),
  /** ONNX {@code GlobalAveragePool}: mean over all spatial axes, keeping them as size 1. */
  GLOBAL_AVG_POOL("GlobalAveragePool", 1, 1, 1),
  /**
   * ONNX {@code Reshape} with the target shape as the {@code shape} attribute instead of an input: 0 copies the
   * input dimension at that position, -1 is inferred.
   */
  RESHAPE("Reshape", 1, 1, 1, required("shape", INTS)),
  /** ONNX {@code Transpose}; absent {@code perm} reverses the axes. */
  TRANSPOSE("Transpose", 1, 1, 1, optional("perm", INTS, null)),
  /** ONNX {@code Concat} of one or more inputs along {@code axis}. */
  CONCAT("Concat", 1, Integer.MAX_VALUE, 1, required("axis", INT)),
  /** ONNX {@code Squeeze} with axes as an attribute; absent axes remove every size-1 axis. */
  SQUEEZE("Squeeze", 1, 1, 1, optional("axes", INTS, null)),
  /** ONNX {@code Unsqueeze} with axes as an attribute (positions in the output). */
  UNSQUEEZE("Unsqueeze", 1, 1, 1, required("axes", INTS)),
  /** ONNX {@code Flatten}: 2-D output [prod(d0..axis-1), prod(axis..)]. */
  FLATTEN("Flatten", 1, 1, 1, optional("axis", INT, 1L)),
  /** ONNX {@code Identity}. */
  IDENTITY("Identity", 1, 1, 1),
  /**
   * ONNX {@code Dropout} with the ratio as an attribute. At inference it is the identity; training engines zero
   * elements with probability {@code ratio} and scale the rest by 1/(1−ratio).
   */
  DROPOUT("Dropout", 1, 1, 1, optional("ratio", FLOAT, 0.5f)),
  /**
   * Stochastic depth (ONNX has no such operator). At inference it is the identity. In training each sample (index
   * along axis 0) is zeroed with probability {@code ratio} and the others are scaled by 1/(1−ratio): torchvision's
   * {@code StochasticDepth(mode="row")} and timm's {@code DropPath}.
   */
  DROP_PATH(null, 1, 1, 1, 2, optional("ratio", FLOAT, 0f)),
  /**
   * Cross-entropy loss (ONNX's SoftmaxCrossEntropyLoss lacks label smoothing): inputs logits [N, C] and target class
   * indices int64 [N]; output a float32 scalar. Exactly PyTorch's {@code F.cross_entropy(logits, target,
   * weight=w, label_smoothing=ε, reduction="mean")}: with log-probabilities l = log_softmax(logits) and class weights
   * w ({@code class_weights}, all 1 when absent), sample i contributes (1−ε)·w[y_i]·(−l[i, y_i]) +
   * (ε/C)·Σ_c w[c]·(−l[i, c]), and the sum over samples is divided by Σ_i w[y_i].
   */
  CROSS_ENTROPY(null, 2, 2, 1, 2, optional("label_smoothing", FLOAT, 0f), optional("class_weights", FLOATS, null)),
  /**
   * Binary cross-entropy on logits for multi-label targets: inputs logits x and targets t in [0, 1] of one shape
   * [N, K]; output the mean over all elements of −(p[k]·t·log σ(x) + (1−t)·log(1−σ(x))), computed stably, where p
   * is {@code pos_weight} (all 1 when absent): PyTorch's {@code BCEWithLogitsLoss(pos_weight=p)}.
   *
   * <p>An optional third input w (since IR version 3), non-negative and broadcastable to x's shape, makes it a
   * masked mean: Σ w·ℓ / Σ w over all elements (w broadcast), and 0 when Σ w is 0, so a batch whose examples all
   * lack a target contributes nothing and no gradient (e.g. DSA-Net's attention loss over scans without an infection
   * mask, with w = 1 for a scan that has one and 0 otherwise). With w all ones it equals the plain form.
   */
  BCE_WITH_LOGITS(null, 2, 3, 1, 2, optional("pos_weight", FLOATS, null)),
  /** Mean absolute error of two tensors of one shape; a float32 scalar (PyTorch {@code L1Loss}). */
  L1_LOSS(null, 2, 2, 1, 2),
  /** Mean squared error of two tensors of one shape; a float32 scalar (PyTorch {@code MSELoss}). */
  MSE_LOSS(null, 2, 2, 1, 2),
  /**
   * Soft Dice loss: inputs logits x and targets t in [0, 1] of one shape [N, C, spatial...]; with p = σ(x), each
   * (n, c) gives 1 − (2·Σ p·t + s) / (Σ p + Σ t + s) over the spatial axes, and the output is their mean (MONAI's
   * {@code DiceLoss(sigmoid=True, smooth_nr=s, smooth_dr=s)}).
   */
  SOFT_DICE(null, 2, 2, 1, 2, optional("smooth", FLOAT, 1e-5f)),
  /**
   * ONNX {@code Constant} holding a float32 tensor given as attributes: {@code value}, the elements in row-major
   * order, and {@code shape} (empty for a scalar). It has no inputs; its output is fixed when the graph is built and
   * has no gradient. Unlike a parameter it is not part of the weights, so checkpoints neither hold nor need it (e.g.
   * a loss weight, a fixed projection, the zero-padding of a parameter-free shortcut).
   */
  CONSTANT("Constant", 0, 0, 1, 3, required("value", FLOATS), required("shape", INTS)),
  /**
   * ONNX {@code Gather} along {@code axis}: input 0 is float32 data of rank r ≥ 1, input 1 int64 indices of any
   * rank q (an index operand, see {@link #isIndexOperand}); the output has shape data.shape[:axis] + indices.shape +
   * data.shape[axis+1:], and output[i_0..i_{axis-1}, j_0..j_{q-1}, k...] = data[i..., indices[j...], k...]. An index
   * i in [−n, 0) means n + i, n being data's extent along {@code axis}; an index outside [−n, n) is an error, never a
   * clamp or a zero. The gradient with respect to data adds each output gradient into the row it was read from, so
   * rows read by repeated indices accumulate (an embedding table can be trained; the indices have no gradient).
   */
  GATHER("Gather", 2, 2, 1, 4, optional("axis", INT, 0L)),
  /**
   * ONNX {@code Slice} with {@code starts}, {@code ends}, {@code axes} and {@code steps} as attributes rather than
   * inputs. Each listed axis (absent {@code axes}: 0, 1, ... in order; negative axes count from the end; no axis
   * twice) keeps the elements start, start + step, ... before end, where a negative start or end means extent +
   * value and both are then clamped to [0, extent] (so very large or small values mean "to the end" and "from the
   * beginning"). Steps default to 1 and must be positive here (ONNX's negative steps are not part of the IR), and
   * every listed axis must keep at least one element where its extent is known.
   */
  SLICE("Slice", 1, 1, 1, 4, required("starts", INTS), required("ends", INTS), optional("axes", INTS, null),
      optional("steps", INTS, null)),
  /**
   * ONNX {@code ReduceSum} with {@code axes} as an attribute: the sum over the listed axes (negative ones count from
   * the end, none twice), which stay as extent 1 when {@code keepdims} is 1 and are removed when it is 0. Absent or
   * empty {@code axes} reduce every axis (ONNX's {@code noop_with_empty_axes = 0}).
   */
  REDUCE_SUM("ReduceSum", 1, 1, 1, 4, optional("axes", INTS, null), optional("keepdims", INT, 1L)),
  /** ONNX {@code ReduceMean}: as {@link #REDUCE_SUM}, divided by the number of elements reduced into each output. */
  REDUCE_MEAN("ReduceMean", 1, 1, 1, 4, optional("axes", INTS, null), optional("keepdims", INT, 1L)),
  /** ONNX {@code Sqrt}, elementwise; NaN for negative inputs, and an infinite gradient at 0. */
  SQRT("Sqrt", 1, 1, 1, 4),
  /** ONNX {@code Abs}, elementwise; its gradient is sign(x), 0 at 0 (as PyTorch's). */
  ABS("Abs", 1, 1, 1, 4),
  /** ONNX {@code Tanh}, elementwise. */
  TANH("Tanh", 1, 1, 1, 4),
  /**
   * ONNX {@code Clip} with the bounds as attributes rather than inputs: min(max(x, min), max) elementwise, each bound
   * absent meaning unbounded (−∞ and +∞). A bound must not be NaN and {@code min} must not exceed {@code max}. The
   * gradient is PyTorch's {@code clamp}: 1 where min ≤ x ≤ max (bounds included), 0 elsewhere.
   */
  CLIP("Clip", 1, 1, 1, 4, optional("min", FLOAT, Float.NEGATIVE_INFINITY),
      optional("max", FLOAT, Float.POSITIVE_INFINITY)),
  /**
   * The identity in the forward pass through which no gradient flows, like PyTorch's {@code detach} (ONNX has no
   * such operator; an exported or inference graph computes it as {@code Identity}). A training graph uses it for
   * values that must act as constants of the loss, e.g. loss = Σ x·stop_gradient(x) has gradient x, not 2x.
   */
  STOP_GRADIENT(null, 1, 1, 1, 4);

  /**
   * The IR version this build reads and writes; a graph from a later version is rejected. Version 2 added
   * {@link #DROP_PATH} and the losses; version 3 added {@link #CONSTANT} and the weight input of
   * {@link #BCE_WITH_LOGITS}; version 4 added {@link #GATHER}, {@link #SLICE}, {@link #REDUCE_SUM},
   * {@link #REDUCE_MEAN}, {@link #SQRT}, {@link #ABS}, {@link #TANH}, {@link #CLIP} and {@link #STOP_GRADIENT}.
   */
  public static final int IR_VERSION = 4;

  private final String onnxOperator;
  private final int minInputs;
  private final int maxInputs;
  private final int outputs;
  private final List<AttrSpec> attributes;
  private final int since;

  Op(String onnxOperator, int minInputs, int maxInputs, int outputs, AttrSpec... attributes) {
    this(onnxOperator, minInputs, maxInputs, outputs, 1, attributes);
  }

  Op(String onnxOperator, int minInputs, int maxInputs, int outputs, int since, AttrSpec... attributes) {
    this.onnxOperator = onnxOperator;
    this.minInputs = minInputs;
    this.maxInputs = maxInputs;
    this.outputs = outputs;
    this.attributes = List.of(attributes);
    this.since = since;
  }

  /** True for the loss ops, which reduce to a scalar and exist only in training graphs. */
  public boolean isLoss() {
    return this == CROSS_ENTROPY || this == BCE_WITH_LOGITS || this == L1_LOSS || this == MSE_LOSS
        || this == SOFT_DICE;
  }

  /**
   * True when input {@code index} of this op reads int64 indices rather than float32 values: the class targets of
   * {@link #CROSS_ENTROPY} and the indices of {@link #GATHER}. An int64 graph input may feed only such operands, so
   * no integer value ever flows between nodes and every node output stays float32.
   */
  public boolean isIndexOperand(int index) {
    return (this == CROSS_ENTROPY || this == GATHER) && index == 1;
  }

  /** The ONNX operator (domain ai.onnx) whose semantics this op mirrors; empty for ops ONNX lacks. */
  public Optional<String> onnxOperator() {
    return Optional.ofNullable(onnxOperator);
  }

  /** Fewest inputs a node of this op takes. */
  public int minInputs() {
    return minInputs;
  }

  /** Most inputs a node of this op takes ({@link Integer#MAX_VALUE} for variadic ops). */
  public int maxInputs() {
    return maxInputs;
  }

  /** Number of outputs. */
  public int outputs() {
    return outputs;
  }

  /** The declared attributes, in declaration order. */
  public List<AttrSpec> attributes() {
    return attributes;
  }

  /** The declaration of attribute {@code name}, if this op has one. */
  public Optional<AttrSpec> attribute(String name) {
    return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The IR version that introduced this op. */
  public int since() {
    return since;
  }

  /** The op's IR name: the constant name in lower case, e.g. {@code layer_norm}. */
  public String irName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
