package org.medvision.engine.onnx.importer;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.graph.Op;

/**
 * Reads an ONNX model into the IR: a validated {@link org.medvision.api.graph.Graph} and the
 * {@link org.medvision.api.weights.Weights} that fit it.
 *
 * <p>Accepted: ai.onnx opsets {@value #MIN_OPSET} to {@value #MAX_OPSET} (13 is the first with Softmax over one axis
 * and Squeeze/Unsqueeze axes as inputs; up to 22, the mapped operators' meaning is unchanged, opsets 21 and 22 only
 * added element types, and ReduceMean's axes, an input since 18, are read in either form); an older model only when
 * every operator it uses already had its opset-13 definition (Conv since 11, MaxPool since 12...). Operators: every
 * one with an IR counterpart ({@link #supportedOperators()}), Constant included: a Constant node is folded into the
 * attribute of a node that takes it as one, and a float one read as data becomes a CONSTANT node. Initializers may
 * be inline ({@code raw_data} or the typed fields) or external data in the model's folder, in every dtype our tensors
 * have.
 *
 * <p>The mapping keeps names: node and value names are the model's; initializers become parameters under their own
 * names when those are the IR's dotted names, otherwise under a cleaned-up name recorded in
 * {@link ImportedModel#renamedParameters()}. Constant inputs the IR keeps as attributes (Reshape's shape,
 * Squeeze/Unsqueeze axes, Dropout's ratio, SoftmaxCrossEntropyLoss's weights) are folded into the node and do not
 * become parameters; Conv and pooling {@code auto_pad} becomes explicit pads. A model exported by
 * {@link org.medvision.engine.onnx.OnnxExporter} comes back as the graph it was exported from, except that dropout
 * and drop-path nodes, which the exporter writes as inference-time Identity, come back as identity.
 *
 * <p>Parameter roles, which only guide training, are inferred from use (a Conv's second input is a weight, a
 * LayerNormalization's scale a norm scale, a constant factor of Mul a layer scale...), as are the initializers used
 * if the architecture is trained from scratch.
 *
 * <p>Errors never stop at the first: every operator outside the IR, every unsupported attribute value and every
 * malformed tensor is listed in one exception, each naming its node or tensor.
 */
public final class OnnxImporter {
  /** The oldest ai.onnx opset read. */
  public static final int MIN_OPSET = 13;
  /**
   * The newest ai.onnx opset read: the newest whose definitions of the mapped operators were checked (ONNX Runtime
   * 1.29 executes it; imported graphs are re-exported at the exporter's opset 20 anyway).
   */
  public static final int MAX_OPSET = 22;

  private OnnxImporter() {}

  /** The ai.onnx operator types that map to IR ops (Constant to CONSTANT), sorted. */
  public static Set<String> supportedOperators() {
    return OperatorMapping.operators().keySet();
  }

  /** The IR op each supported ai.onnx operator type maps to, sorted by operator type. */
  public static Map<String, Op> operatorMapping() {
    return OperatorMapping.operators();
  }

  /** Reads the model in {@code file} with default options. */
  public static ImportedModel read(Path file) {
    return read(file, ImportOptions.defaults());
  }

  /**
   * Reads the model in {@code file}; external data is looked up in the file's folder.
   *
   * @throws OnnxImportException naming the file when it cannot be read, is not ONNX, or is malformed
   * @throws UnsupportedOnnxException listing everything in it that the IR cannot express
   */
  public static ImportedModel read(Path file, ImportOptions options) {
    byte[] bytes;
    try {
      if (Files.size(file) > Integer.MAX_VALUE - 8) {
        throw new OnnxImportException(file + " is larger than 2 GiB; an ONNX model file cannot be (large weights "
            + "belong in external data)");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OnnxImportException("cannot read ONNX model " + file + ": " + e, e);
    }
    return fromModel(parse(bytes, file.toString()), file.toAbsolutePath().getParent(), file.toString(), options);
  }

  /**
   * Reads a serialised model held in memory; it cannot use external data.
   *
   * @param source how messages and the weights' provenance name it
   */
  public static ImportedModel fromBytes(byte[] bytes, String source, ImportOptions options) {
    return fromModel(parse(bytes, source), null, source, options);
  }

  /**
   * Translates a parsed model.
   *
   * @param baseDir the folder external data locations are relative to; null when there is none
   * @param source how messages and the weights' provenance name the model
   */
  public static ImportedModel fromModel(ModelProto model, Path baseDir, String source, ImportOptions options) {
    if (!model.hasGraph()) {
      throw new OnnxImportException(source + " is not an ONNX model: it has no graph");
    }
    long opset = opset(model, source);
    checkOperators(model.getGraph(), source);
    checkOperatorVersions(model.getGraph(), opset, source);
    return new GraphTranslator(model.getGraph(), baseDir, options).translate(model, source);
  }

  private static ModelProto parse(byte[] bytes, String source) {
    ModelProto model;
    try {
      model = ModelProto.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new OnnxImportException(source + " is not an ONNX model: " + e.getMessage(), e);
    }
    // Arbitrary bytes sometimes parse as a protobuf message made only of unknown fields.
    if (!model.hasGraph() || model.getIrVersion() <= 0 || model.getOpsetImportCount() == 0) {
      throw new OnnxImportException(source + " is not an ONNX model: it has no "
          + (!model.hasGraph() ? "graph" : model.getIrVersion() <= 0 ? "IR version" : "opset import"));
    }
    return model;
  }

  /** The model's ai.onnx opset; newer than {@link #MAX_OPSET} is an error, older is checked per node. */
  private static long opset(ModelProto model, String source) {
    Long opset = null;
    for (OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        opset = id.getVersion();
      }
    }
    if (opset == null) {
      throw new OnnxImportException(source + " imports no ai.onnx opset");
    }
    if (opset > MAX_OPSET) {
      throw new UnsupportedOnnxException(source + " uses ai.onnx opset " + opset + "; medvision reads opsets up to "
          + MAX_OPSET);
    }
    return opset;
  }

  /**
   * Below opset {@value #MIN_OPSET}, a model is read only when each of its operators already had the definition
   * this importer reads; the others are listed together.
   */
  private static void checkOperatorVersions(GraphProto g, long opset, String source) {
    if (opset >= MIN_OPSET) {
      return;
    }
    Map<String, List<String>> changed = new LinkedHashMap<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto n = g.getNode(i);
      String op = n.getOpType();
      if (!op.equals("Constant") && OperatorMapping.definedSince(op) > opset) {
        changed.computeIfAbsent(op + " (definition of opset " + OperatorMapping.definedSince(op) + ")",
            k -> new ArrayList<>()).add(nodeLabel(n, i));
      }
    }
    if (!changed.isEmpty()) {
      List<String> problems = new ArrayList<>();
      changed.forEach((op, nodes) -> problems.add(source + " uses ai.onnx opset " + opset + ", older than the "
          + "definition of " + op + " that medvision reads (node" + (nodes.size() > 1 ? "s " : " ")
          + String.join(", ", nodes) + "); convert the model to opset " + MIN_OPSET + " or later with "
          + "onnx.version_converter"));
      throw new UnsupportedOnnxException(problems);
    }
  }

  private static String nodeLabel(NodeProto n, int i) {
    return n.getName().isEmpty() ? "#" + i + (n.getOutputCount() > 0 ? " -> '" + n.getOutput(0) + "'" : "")
        : "'" + n.getName() + "'";
  }

  /** Every node whose operator the IR lacks, grouped by operator, in one error. */
  private static void checkOperators(GraphProto g, String source) {
    Map<String, List<String>> missing = new LinkedHashMap<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      NodeProto n = g.getNode(i);
      boolean onnxDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
      if (onnxDomain && (n.getOpType().equals("Constant") || OperatorMapping.op(n.getOpType()).isPresent())) {
        continue;
      }
      String op = onnxDomain ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
      missing.computeIfAbsent(op, k -> new ArrayList<>()).add(nodeLabel(n, i));
    }
    if (!missing.isEmpty()) {
      List<String> problems = new ArrayList<>();
      missing.forEach((op, nodes) -> problems.add("operator " + op + " (node" + (nodes.size() > 1 ? "s " : " ")
          + String.join(", ", nodes) + ") has no IR counterpart"));
      throw new UnsupportedOnnxException(problems);
    }
  }
}
