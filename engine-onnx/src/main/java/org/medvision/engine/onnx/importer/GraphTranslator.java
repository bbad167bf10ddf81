package org.medvision.engine.onnx.importer;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphValidationException;
import org.medvision.api.graph.IndexOperands;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ShapeInference;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.Weights;

/**
 * Translates one ONNX graph into IR nodes, node by node, keeping the bookkeeping the IR needs: which values are
 * graph inputs, which constants become parameters (with names the IR accepts), which are folded into attributes, and
 * which Constant nodes stay constants: a float32 Constant read as data becomes a {@link Op#CONSTANT} node (not a
 * parameter, so it is neither trained nor part of the weights), added just before its first reader.
 * Problems are collected over the whole graph and reported together; the outputs of a node that failed are marked
 * so that its consumers do not report the same problem again.
 *
 * <p>One instance translates one model.
 */
final class GraphTranslator {
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

  private final GraphProto g;
  private final Path baseDir;
  private final ImportOptions options;

  private final Map<String, Tensor> constants = new HashMap<>();
  /** The IR node name of each Constant node's output, until it is read as data and becomes a CONSTANT node. */
  private final Map<String, String> constantNodes = new HashMap<>();
  private final Set<String> initializerOrder = new LinkedHashSet<>();
  private final Map<String, ValueInfoProto> graphInputs = new LinkedHashMap<>();
  private final Map<String, ValueInfo> known = new HashMap<>();
  private final Map<String, String> irName = new HashMap<>();
  private final Set<String> failed = new HashSet<>();
  private final Map<String, ParameterSpec> parameters = new HashMap<>();
  private final Map<String, String> parameterSources = new LinkedHashMap<>();
  private final Set<String> inputsUsedAsData = new HashSet<>();
  private final Set<String> foldedInputs = new LinkedHashSet<>();
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> nodeNames = new HashSet<>();
  private final Set<String> consumed = new HashSet<>();
  private final Set<String> graphOutputNames = new HashSet<>();
  private final Set<String> droppedOutputs = new LinkedHashSet<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<String> malformed = new ArrayList<>();
  private final List<String> unsupported = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  GraphTranslator(GraphProto g, Path baseDir, ImportOptions options) {
    this.g = g;
    this.baseDir = baseDir;
    this.options = options;
  }

  /** Runs the translation; {@code model} supplies the graph name fallback and metadata. */
  ImportedModel translate(ModelProto model, String source) {
    collectNames();
    readInitializers();
    for (ValueInfoProto in : g.getInputList()) {
      // Before ONNX IR version 4 initializers were also listed as inputs; they are constants, not inputs.
      if (!constants.containsKey(in.getName()) && !initializerOrder.contains(in.getName())) {
        graphInputs.put(in.getName(), in);
      }
    }
    for (int i = 0; i < g.getNodeCount(); i++) {
      translateNode(g.getNode(i), i);
    }
    List<ValueInfo> outputs = outputs();
    List<ValueInfo> inputs = inputs();
    if (!malformed.isEmpty()) {
      List<String> all = new ArrayList<>(malformed);
      all.addAll(unsupported);
      throw new OnnxImportException("cannot import " + source, all);
    }
    if (!unsupported.isEmpty()) {
      throw new UnsupportedOnnxException(unsupported);
    }
    List<ParameterSpec> params = orderedParameters();
    Map<String, Tensor> values = new LinkedHashMap<>();
    for (ParameterSpec p : params) {
      values.put(p.name(), constants.get(parameterSources.getOrDefault(p.name(), p.name())));
    }
    for (String name : initializerOrder) {
      if (!consumed.contains(name) && !graphOutputNames.contains(name)) {
        notes.add("initializer '" + name + "' is not read by any node; left out");
      }
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (OnnxMl.StringStringEntryProto e : model.getMetadataPropsList()) {
      metadata.put(e.getKey(), e.getValue());
    }
    String name = g.getName().isEmpty() ? "imported" : g.getName();
    Graph graph = new Graph(name, Op.IR_VERSION, inputs, params, nodes, outputs, metadata);
    try {
      graph.validate();
    } catch (GraphValidationException e) {
      throw new OnnxImportException("cannot import " + source, e.problems());
    }
    List<String> misuses = IndexOperands.misuses(graph);
    if (!misuses.isEmpty()) {
      throw new UnsupportedOnnxException(misuses);
    }
    Map<String, String> renamed = new LinkedHashMap<>();
    parameterSources.forEach((ir, onnx) -> {
      if (!ir.equals(onnx)) {
        renamed.put(ir, onnx);
      }
    });
    return new ImportedModel(graph, Weights.of(values, source), renamed, List.copyOf(droppedOutputs), notes);
  }

  private void collectNames() {
    for (ValueInfoProto in : g.getInputList()) {
      usedNames.add(in.getName());
    }
    for (TensorProto t : g.getInitializerList()) {
      usedNames.add(t.getName());
    }
    for (NodeProto n : g.getNodeList()) {
      usedNames.addAll(n.getOutputList());
      consumed.addAll(n.getInputList());
    }
    for (ValueInfoProto out : g.getOutputList()) {
      graphOutputNames.add(out.getName());
    }
  }

  private void readInitializers() {
    if (g.getSparseInitializerCount() > 0) {
      unsupported.add("graph '" + g.getName() + "' has sparse initializers "
          + g.getSparseInitializerList().stream().map(s -> "'" + s.getValues().getName() + "'").toList()
          + ", which medvision does not read");
    }
    for (TensorProto t : g.getInitializerList()) {
      String what = "initializer '" + t.getName() + "'";
      if (t.getName().isEmpty()) {
        malformed.add("an initializer has no name");
        continue;
      }
      if (initializerOrder.contains(t.getName())) {
        malformed.add(what + " is defined twice");
        continue;
      }
      initializerOrder.add(t.getName());
      try {
        constants.put(t.getName(), TensorProtos.decode(t, what, baseDir));
      } catch (UnsupportedOnnxException e) {
        unsupported.addAll(e.problems());
        failed.add(t.getName());
      } catch (OnnxImportException e) {
        malformed.addAll(e.problems());
        failed.add(t.getName());
      }
    }
  }

  private void translateNode(NodeProto n, int index) {
    String where = describe(n, index);
    try {
      for (String in : n.getInputList()) {
        if (failed.contains(in)) {
          throw new Failed();
        }
      }
      if (n.getOpType().equals("Constant")) {
        foldConstant(n, where);
        constantNodes.put(n.getOutput(0), nodeName(n, index));
        return;
      }
      if (n.getOutputCount() == 0 || n.getOutput(0).isEmpty()) {
        throw new OnnxImportException(where + " has no output");
      }
      String name = nodeName(n, index);
      NodeInputs in = new Inputs(n, where);
      Node node = OperatorMapping.translate(n.getOpType(), in, name, n.getOutput(0));
      checkAuxiliaryOutputs(n, where);
      List<ValueInfo> infos = new ArrayList<>();
      for (String v : node.inputs()) {
        infos.add(known.get(v));
      }
      List<ValueInfo> out;
      try {
        out = ShapeInference.infer(node, infos);
      } catch (GraphValidationException e) {
        throw new OnnxImportException(where + ": " + String.join("; ", e.problems()));
      }
      known.put(node.output(), out.get(0));
      nodes.add(node);
    } catch (Failed e) {
      failed.addAll(n.getOutputList());
    } catch (UnsupportedOnnxException e) {
      unsupported.addAll(e.problems());
      failed.addAll(n.getOutputList());
    } catch (OnnxImportException e) {
      malformed.addAll(e.problems());
      failed.addAll(n.getOutputList());
    }
  }

  /** ONNX outputs past the first are auxiliary (Mean, mask, Indices, log_prob); the IR ops do not produce them. */
  private void checkAuxiliaryOutputs(NodeProto n, String where) {
    for (int i = 1; i < n.getOutputCount(); i++) {
      String out = n.getOutput(i);
      if (out.isEmpty()) {
        continue;
      }
      boolean readByNode = consumed.contains(out);
      if (!readByNode && !graphOutputNames.contains(out)) {
        continue;
      }
      if (!readByNode && options.dropAuxiliaryOutputs()) {
        droppedOutputs.add(out);
        continue;
      }
      throw new UnsupportedOnnxException(where + ": output " + i + " ('" + out + "') is "
          + (readByNode ? "read by another node" : "a graph output") + ", but the IR's "
          + OperatorMapping.op(n.getOpType()).map(Op::irName).orElse(n.getOpType()) + " has only its first output");
    }
  }

  private void foldConstant(NodeProto n, String where) {
    NodeAttributes a = new NodeAttributes(n, where);
    Tensor value;
    if (a.findTensor("value").isPresent()) {
      value = TensorProtos.decode(a.findTensor("value").get(), where + " value", baseDir);
    } else if (a.findFloat("value_float").isPresent()) {
      value = Tensor.of(Shape.scalar(), a.findFloat("value_float").get());
    } else if (a.findFloats("value_floats").isPresent()) {
      float[] f = a.findFloats("value_floats").get();
      value = Tensor.of(Shape.of(f.length), f);
    } else if (a.findInt("value_int").isPresent()) {
      value = Tensor.ofLongs(Shape.scalar(), a.findInt("value_int").get());
    } else if (a.findInts("value_ints").isPresent()) {
      long[] v = a.findInts("value_ints").get();
      value = Tensor.ofLongs(Shape.of(v.length), v);
    } else {
      List<String> set = n.getAttributeList().stream().map(OnnxMl.AttributeProto::getName).toList();
      throw new UnsupportedOnnxException(where + " sets " + set + "; only value, value_float(s) and value_int(s) "
          + "constants are read (strings and sparse tensors are not)");
    }
    if (n.getOutputCount() != 1 || n.getOutput(0).isEmpty()) {
      throw new OnnxImportException(where + " must have exactly one output");
    }
    constants.put(n.getOutput(0), value);
  }

  /** Graph outputs, typed by shape inference and checked against what the model declares. */
  private List<ValueInfo> outputs() {
    List<ValueInfo> out = new ArrayList<>();
    for (ValueInfoProto o : g.getOutputList()) {
      if (droppedOutputs.contains(o.getName()) || failed.contains(o.getName())) {
        continue;
      }
      String where = "graph output '" + o.getName() + "'";
      try {
        String name = dataValue(o.getName(), ParamRole.WEIGHT, where);
        ValueInfo vi = known.get(name);
        if (o.hasType() && o.getType().hasTensorType()) {
          OnnxMl.TypeProto.Tensor tt = o.getType().getTensorType();
          if (tt.getElemType() != 0 && tt.getElemType() != vi.dtype().onnxCode()) {
            throw new OnnxImportException(where + " is declared " + TensorProtos.onnxTypeName(tt.getElemType())
                + " but computes " + vi.dtype());
          }
          if (tt.hasShape()) {
            Shape declared = shape(tt.getShape());
            if (!declared.isCompatibleWith(vi.shape())) {
              throw new OnnxImportException(where + " is declared " + declared + " but computes " + vi.shape());
            }
          }
        }
        out.add(vi);
      } catch (Failed e) {
        // Reported where the value failed.
      } catch (UnsupportedOnnxException e) {
        unsupported.addAll(e.problems());
      } catch (OnnxImportException e) {
        malformed.addAll(e.problems());
      }
    }
    return out;
  }

  /**
   * Graph inputs in model order: those read as data, plus unread ones the caller must still feed; inputs folded into
   * attributes with an offered value and read nowhere else leave the graph.
   */
  private List<ValueInfo> inputs() {
    List<ValueInfo> out = new ArrayList<>();
    for (ValueInfoProto in : graphInputs.values()) {
      String name = in.getName();
      if (foldedInputs.contains(name) && !inputsUsedAsData.contains(name)) {
        continue;
      }
      try {
        out.add(known.containsKey(name) ? known.get(name) : inputInfo(in));
      } catch (UnsupportedOnnxException e) {
        if (!inputsUsedAsData.contains(name)) {
          unsupported.addAll(e.problems());
        }
      } catch (OnnxImportException e) {
        if (!inputsUsedAsData.contains(name)) {
          malformed.addAll(e.problems());
        }
      }
    }
    return out;
  }

  private List<ParameterSpec> orderedParameters() {
    List<ParameterSpec> out = new ArrayList<>();
    Set<String> done = new HashSet<>();
    // Initializer order first, so that an exported graph comes back with its parameters in declaration order.
    for (String onnx : initializerOrder) {
      String ir = irName.get(onnx);
      if (ir != null && parameters.containsKey(ir) && done.add(ir)) {
        out.add(parameters.get(ir));
      }
    }
    for (Map.Entry<String, String> e : parameterSources.entrySet()) {
      if (done.add(e.getKey())) {
        out.add(parameters.get(e.getKey()));
      }
    }
    return out;
  }

  /**
   * Makes {@code onnxName} available as IR data and returns its IR name: declares a graph input on first use, turns
   * a constant into a parameter with {@code role}.
   */
  private String dataValue(String onnxName, ParamRole role, String where) {
    if (failed.contains(onnxName)) {
      throw new Failed();
    }
    String mapped = irName.get(onnxName);
    if (mapped != null) {
      return mapped;
    }
    if (known.containsKey(onnxName)) {
      return onnxName;
    }
    ValueInfoProto input = graphInputs.get(onnxName);
    if (input != null) {
      inputsUsedAsData.add(onnxName);
      try {
        known.put(onnxName, inputInfo(input));
      } catch (OnnxImportException e) {
        failed.add(onnxName);
        throw e;
      }
      return onnxName;
    }
    Tensor constant = constants.get(onnxName);
    if (constant != null && constant.dtype() == DType.FLOAT32 && constantNodes.containsKey(onnxName)) {
      return constantNode(onnxName, constant);
    }
    if (constant != null) {
      String name = parameterName(onnxName);
      irName.put(onnxName, name);
      parameterSources.put(name, onnxName);
      parameters.put(name, new ParameterSpec(name, constant.dtype(), constant.shape(), role, initializer(role)));
      known.put(name, new ValueInfo(name, constant.dtype(), constant.shape()));
      return name;
    }
    throw new OnnxImportException(where + " reads '" + onnxName + "', which no graph input, initializer or earlier "
        + "node defines");
  }

  /** Adds the CONSTANT node that computes the Constant node output {@code onnxName}; returns its value name. */
  private String constantNode(String onnxName, Tensor value) {
    Node node = new Node(constantNodes.remove(onnxName), Op.CONSTANT, List.of(), List.of(onnxName),
        Attributes.builder().set("value", value.toFloatArray()).set("shape", value.shape().dims()).build());
    known.put(onnxName, ShapeInference.infer(node, List.of()).get(0));
    nodes.add(node);
    return onnxName;
  }

  /** How a parameter of {@code role} is filled when an imported architecture is trained from scratch. */
  private static org.medvision.api.graph.Initializer initializer(ParamRole role) {
    switch (role) {
      case NORM_SCALE: case RUNNING_VAR: return Initializers.ones();
      case BIAS: case NORM_BIAS: case RUNNING_MEAN: return Initializers.zeros();
      case LAYER_SCALE: return Initializers.constant(1e-6f);
      default: return Initializers.kaimingUniform();
    }
  }

  /** The IR name for a constant: its own when it is a dotted name, otherwise a cleaned-up, unused variant. */
  private String parameterName(String onnxName) {
    if (PARAM_NAME.matcher(onnxName).matches()) {
      return onnxName;
    }
    StringBuilder sb = new StringBuilder();
    for (String segment : onnxName.split("\\.", -1)) {
      if (sb.length() > 0) {
        sb.append('.');
      }
      String clean = segment.replaceAll("[^A-Za-z0-9_]", "_");
      sb.append(clean.isEmpty() ? "_" : clean);
    }
    String base = sb.toString();
    String name = base;
    for (int i = 2; usedNames.contains(name); i++) {
      name = base + "_" + i;
    }
    usedNames.add(name);
    return name;
  }

  private ValueInfo inputInfo(ValueInfoProto in) {
    String where = "graph input '" + in.getName() + "'";
    if (!in.hasType() || !in.getType().hasTensorType()) {
      throw new UnsupportedOnnxException(where + " is not a tensor (sequences, maps and optionals are not read)");
    }
    OnnxMl.TypeProto.Tensor tt = in.getType().getTensorType();
    DType dtype = TensorProtos.requireDtype(tt.getElemType(), where);
    if (!tt.hasShape()) {
      throw new UnsupportedOnnxException(where + " has no shape; the IR needs each input's rank (export the model "
          + "with input shapes, symbolic dimensions are fine)");
    }
    return new ValueInfo(in.getName(), dtype, shape(tt.getShape()));
  }

  /** Dimensions with a value keep it; symbolic or unknown ones become {@link Shape#DYNAMIC}. */
  private static Shape shape(OnnxMl.TensorShapeProto s) {
    long[] dims = new long[s.getDimCount()];
    for (int i = 0; i < dims.length; i++) {
      OnnxMl.TensorShapeProto.Dimension d = s.getDim(i);
      dims[i] = d.hasDimValue() && d.getDimValue() >= 0 ? d.getDimValue() : Shape.DYNAMIC;
    }
    return Shape.of(dims);
  }

  private String nodeName(NodeProto n, int index) {
    String base = n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
    String name = base;
    for (int i = 2; !nodeNames.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  private static String describe(NodeProto n, int index) {
    String op = (n.getDomain().isEmpty() ? "" : n.getDomain() + ":") + n.getOpType();
    return n.getName().isEmpty()
        ? "node #" + index + " (" + op + (n.getOutputCount() > 0 ? ", output '" + n.getOutput(0) + "'" : "") + ")"
        : "node '" + n.getName() + "' (" + op + ")";
  }

  /** The inputs of one node, as the operator mappings see them. */
  private final class Inputs implements NodeInputs {
    private final NodeProto node;
    private final String where;
    private final NodeAttributes attributes;

    Inputs(NodeProto node, String where) {
      this.node = node;
      this.where = where;
      this.attributes = new NodeAttributes(node, where);
    }

    @Override
    public String where() {
      return where;
    }

    @Override
    public int count() {
      return node.getInputCount();
    }

    @Override
    public boolean present(int i) {
      return i < node.getInputCount() && !node.getInput(i).isEmpty();
    }

    @Override
    public String data(int i, ParamRole role) {
      if (!present(i)) {
        throw new OnnxImportException(where + " lacks its input " + i);
      }
      return dataValue(node.getInput(i), role, where);
    }

    @Override
    public String indices(int i) {
      if (!present(i)) {
        throw new OnnxImportException(where + " lacks its input " + i);
      }
      String name = node.getInput(i);
      if (!graphInputs.containsKey(name)) {
        throw new UnsupportedOnnxException(where + ": indices '" + name + "' are " + (constants.containsKey(name)
            ? "a constant" : "computed by a node") + "; the IR reads int64 indices only from graph inputs");
      }
      return dataValue(name, ParamRole.WEIGHT, where);
    }

    @Override
    public ValueInfo info(String name) {
      return known.get(name);
    }

    @Override
    public Tensor constant(int i, String what) {
      if (!present(i)) {
        // e.g. a Reshape without its shape input (a fuzzing finding: it was an IndexOutOfBoundsException)
        throw new OnnxImportException(where + " lacks its input " + i + " ('" + what + "')");
      }
      String name = node.getInput(i);
      Tensor t = constants.get(name);
      if (t != null) {
        return t;
      }
      if (graphInputs.containsKey(name) && options.inputValues().containsKey(name)) {
        foldedInputs.add(name);
        return options.inputValues().get(name);
      }
      throw new UnsupportedOnnxException(where + ": input '" + what + "' ('" + name + "') is computed at run time; "
          + "the IR takes it as an attribute, so it must be an initializer or a Constant node's output");
    }

    @Override
    public NodeAttributes attributes() {
      return attributes;
    }
  }

  /** Control flow: a node reads a value whose producer already failed and was reported. */
  private static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed() {
      super(null, null, false, false);
    }
  }
}
