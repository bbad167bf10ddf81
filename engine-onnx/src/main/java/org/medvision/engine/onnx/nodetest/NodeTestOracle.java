package org.medvision.engine.onnx.nodetest;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.engine.onnx.importer.ImportOptions;
import org.medvision.engine.onnx.importer.ImportedModel;
import org.medvision.engine.onnx.importer.OnnxImporter;
import org.medvision.engine.onnx.importer.OnnxTensorFiles;
import org.medvision.engine.onnx.importer.UnsupportedOnnxException;

/**
 * Runs ONNX's node tests on an engine and compares with ONNX's expected outputs.
 *
 * <p>Each selected case (see {@link NodeTestCases}) is imported with its inputs offered as constants, so that inputs
 * the IR keeps as attributes (Reshape's shape, Unsqueeze's axes...) are folded, and with auxiliary outputs the IR
 * lacks (LayerNormalization's Mean, Dropout's mask, MaxPool's Indices) dropped and named in the result. Then the
 * engine compiles and runs it for every data set, and every remaining output is compared: dtype and shape exactly,
 * floats within the {@link Tolerance}, integers and bools exactly.
 *
 * <p>Usage: {@code ConformanceReport r = NodeTestOracle.run(nodeFolder, engine); System.out.print(r.renderTable());}
 */
public final class NodeTestOracle {
  private NodeTestOracle() {}

  /** Runs every selected case in {@code nodeFolder} on {@code engine}: CPU, float32 tolerance. */
  public static ConformanceReport run(Path nodeFolder, Engine engine) {
    return run(nodeFolder, engine, Tolerance.float32(), CompileOptions.defaults());
  }

  /**
   * Runs every selected case in {@code nodeFolder} on {@code engine}.
   *
   * @param nodeFolder a folder of case folders, e.g. libonnx-testdata's {@code data/node}
   * @param tolerance how close float outputs must be
   * @param options how to compile each case (device, threads)
   * @return one result per selected case, plus the folders not selected
   * @throws MedvisionException when {@code nodeFolder} cannot be listed
   */
  public static ConformanceReport run(Path nodeFolder, Engine engine, Tolerance tolerance, CompileOptions options) {
    NodeTestCases found = NodeTestCases.discover(nodeFolder);
    List<CaseResult> results = new ArrayList<>();
    for (NodeTestCase c : found.selected()) {
      results.add(runCase(c, engine, tolerance, options));
    }
    return new ConformanceReport(engine.name(), engine.version(), tolerance, results, found.excluded());
  }

  /** Runs one case; never throws for a problem of the case or the engine, which become its status. */
  public static CaseResult runCase(NodeTestCase c, Engine engine, Tolerance tolerance, CompileOptions options) {
    if (c.dataSets().isEmpty()) {
      return result(c, CaseStatus.ERROR, "no test_data_set_N folder", Double.NaN);
    }
    GraphProto g;
    try {
      g = ModelProto.parseFrom(Files.readAllBytes(c.model())).getGraph();
    } catch (IOException e) {
      return result(c, CaseStatus.ERROR, "cannot read " + c.model() + ": " + e.getMessage(), Double.NaN);
    }
    for (ValueInfoProto in : g.getInputList()) {
      if (!in.getType().hasTensorType()) {
        return result(c, CaseStatus.UNSUPPORTED, "input '" + in.getName() + "' is a " + in.getType().getValueCase()
            .name().toLowerCase(java.util.Locale.ROOT).replace("_type", "") + ", not a tensor; the IR has tensors only",
            Double.NaN);
      }
    }
    double maxError = Double.NaN;
    Set<String> dropped = new LinkedHashSet<>();
    for (Path dataSet : c.dataSets()) {
      Map<String, Tensor> inputs;
      Map<String, Tensor> expected;
      ImportedModel m;
      try {
        inputs = tensors(dataSet, "input", inputNames(g));
        expected = tensors(dataSet, "output", g.getOutputList().stream().map(ValueInfoProto::getName).toList());
        m = OnnxImporter.read(c.model(), ImportOptions.defaults().withInputValues(inputs)
            .withAuxiliaryOutputsDropped());
      } catch (UnsupportedOnnxException e) {
        return result(c, CaseStatus.UNSUPPORTED, String.join("; ", e.problems()), Double.NaN);
      } catch (MedvisionException e) {
        return result(c, CaseStatus.ERROR, e.getMessage(), Double.NaN);
      }
      dropped.addAll(m.droppedOutputs());
      String lacking = lacking(engine, m.graph());
      if (lacking != null) {
        return result(c, CaseStatus.UNSUPPORTED, lacking, Double.NaN);
      }
      Map<String, Tensor> actual;
      Map<String, Tensor> feeds = new LinkedHashMap<>();
      for (ValueInfo in : m.graph().inputs()) {
        feeds.put(in.name(), inputs.get(in.name()));
      }
      try (CompiledModel model = engine.compile(m.graph(), m.weights(), options)) {
        actual = model.run(feeds);
      } catch (UnsupportedOpException e) {
        return result(c, CaseStatus.UNSUPPORTED, e.getMessage(), Double.NaN);
      } catch (MedvisionException e) {
        return result(c, CaseStatus.FAILED, dataSet.getFileName() + ": engine failed: " + e.getMessage(), maxError);
      }
      List<String> mismatches = new ArrayList<>();
      for (ValueInfo out : m.graph().outputs()) {
        double err = compare(out.name(), actual.get(out.name()), expected.get(out.name()), tolerance, mismatches);
        if (!Double.isNaN(err)) {
          maxError = Double.isNaN(maxError) ? err : Math.max(maxError, err);
        }
      }
      if (!mismatches.isEmpty()) {
        return result(c, CaseStatus.FAILED, dataSet.getFileName() + ": " + String.join("; ", mismatches), maxError);
      }
    }
    String note = dropped.isEmpty() ? "" : "auxiliary outputs the IR op lacks were not compared: " + dropped;
    return result(c, CaseStatus.PASSED, note, maxError);
  }

  private static CaseResult result(NodeTestCase c, CaseStatus status, String detail, double maxError) {
    return new CaseResult(c.name(), c.operator(), status, detail, maxError);
  }

  /** Graph inputs the test feeds, in order: those without an initializer, as ONNX's test runner counts them. */
  private static List<String> inputNames(GraphProto g) {
    Set<String> initializers = new HashSet<>();
    for (TensorProto t : g.getInitializerList()) {
      initializers.add(t.getName());
    }
    return g.getInputList().stream().map(ValueInfoProto::getName).filter(n -> !initializers.contains(n)).toList();
  }

  /** Reads {@code <prefix>_K.pb} for each name, K counting from 0, and checks there are no more files. */
  private static Map<String, Tensor> tensors(Path dataSet, String prefix, List<String> names) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      Path file = dataSet.resolve(prefix + "_" + k + ".pb");
      if (!Files.isRegularFile(file)) {
        throw new MedvisionException(dataSet + " lacks " + file.getFileName() + " for '" + names.get(k) + "'");
      }
      out.put(names.get(k), OnnxTensorFiles.read(file));
    }
    if (Files.exists(dataSet.resolve(prefix + "_" + names.size() + ".pb"))) {
      throw new MedvisionException(dataSet + " has more " + prefix + " files than the model has " + prefix + "s "
          + names);
    }
    return out;
  }

  /** Why {@code engine} cannot run {@code graph} according to its advertised capabilities, or null. */
  private static String lacking(Engine engine, Graph graph) {
    EngineCapabilities caps = engine.capabilities();
    Set<Op> missing = new LinkedHashSet<>();
    Set<String> indices = new HashSet<>();
    for (Node n : graph.nodes()) {
      if (!caps.ops().contains(n.op())) {
        missing.add(n.op());
      }
      for (int i = 0; i < n.inputs().size(); i++) {
        if (n.op().isIndexOperand(i)) {
          indices.add(n.inputs().get(i));
        }
      }
    }
    if (!missing.isEmpty()) {
      return "engine '" + engine.name() + "' does not run " + missing.stream().map(Op::irName).toList();
    }
    List<String> dtypes = new ArrayList<>();
    for (ValueInfo in : graph.inputs()) {
      // Indices (class targets, gather indices) are int64 by the IR's definition, whatever an engine computes in.
      if (!caps.dtypes().contains(in.dtype()) && !(indices.contains(in.name()) && in.dtype() == DType.INT64)) {
        dtypes.add("input '" + in.name() + "' is " + in.dtype());
      }
    }
    for (ParameterSpec p : graph.parameters()) {
      if (!caps.dtypes().contains(p.dtype())) {
        dtypes.add("parameter '" + p.name() + "' is " + p.dtype());
      }
    }
    return dtypes.isEmpty() ? null : "engine '" + engine.name() + "' computes in " + caps.dtypes() + "; "
        + String.join(", ", dtypes);
  }

  /**
   * Compares one output, adding a line to {@code mismatches} when it differs.
   *
   * @return the largest absolute difference, or NaN when the values could not be compared
   */
  private static double compare(String name, Tensor actual, Tensor expected, Tolerance tolerance,
      List<String> mismatches) {
    if (actual == null) {
      mismatches.add("the engine returned no output '" + name + "'");
      return Double.NaN;
    }
    if (expected == null) {
      mismatches.add("no expected tensor for output '" + name + "'");
      return Double.NaN;
    }
    if (actual.dtype() != expected.dtype() || !actual.shape().equals(expected.shape())) {
      mismatches.add("output '" + name + "' is " + actual.dtype() + actual.shape() + ", expected "
          + expected.dtype() + expected.shape());
      return Double.NaN;
    }
    double max = 0;
    int bad = 0;
    int first = -1;
    if (expected.dtype().isFloatingPoint()) {
      float[] a = actual.toFloatArray();
      float[] e = expected.toFloatArray();
      for (int i = 0; i < a.length; i++) {
        if (!Double.isNaN(a[i]) && !Double.isNaN(e[i]) && !Double.isInfinite(e[i])) {
          max = Math.max(max, Math.abs((double) a[i] - e[i]));
        }
        if (!tolerance.accepts(a[i], e[i])) {
          bad++;
          first = first < 0 ? i : first;
        }
      }
      if (bad > 0) {
        mismatches.add("output '" + name + "': " + bad + " of " + a.length + " values out of tolerance, first at "
            + "index " + first + ": " + a[first] + " vs expected " + e[first]);
      }
    } else {
      long[] a = actual.toLongArray();
      long[] e = expected.toLongArray();
      for (int i = 0; i < a.length; i++) {
        max = Math.max(max, Math.abs((double) a[i] - e[i]));
        if (a[i] != e[i]) {
          bad++;
          first = first < 0 ? i : first;
        }
      }
      if (bad > 0) {
        mismatches.add("output '" + name + "': " + bad + " of " + a.length + " values differ, first at index "
            + first + ": " + a[first] + " vs expected " + e[first]);
      }
    }
    return max;
  }
}
