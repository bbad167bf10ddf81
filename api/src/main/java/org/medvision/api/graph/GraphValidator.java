package org.medvision.api.graph;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a graph against the IR's rules: names, arity, attribute types, definition before use, IR version, and
 * shape consistency. All structural problems are collected and reported together.
 */
public final class GraphValidator {
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

  private GraphValidator() {}

  /**
   * Validates {@code graph}.
   *
   * @throws GraphValidationException listing every problem found
   */
  public static void validate(Graph graph) {
    List<String> problems = new ArrayList<>();
    if (graph.irVersion() < 1 || graph.irVersion() > Op.IR_VERSION) {
      problems.add("IR version " + graph.irVersion() + " is not supported; this build reads 1.." + Op.IR_VERSION);
    }
    Set<String> defined = new HashSet<>();
    for (ValueInfo in : graph.inputs()) {
      define(in.name(), "input", defined, problems);
    }
    for (ParameterSpec p : graph.parameters()) {
      define(p.name(), "parameter", defined, problems);
      if (!PARAM_NAME.matcher(p.name()).matches()) {
        problems.add("parameter '" + p.name() + "' is not a dotted name of letters, digits and underscores");
      }
      if (!p.shape().isFullyKnown()) {
        problems.add("parameter '" + p.name() + "' has a dynamic shape " + p.shape());
      }
    }
    Set<String> nodeNames = new HashSet<>();
    for (Node node : graph.nodes()) {
      if (!nodeNames.add(node.name())) {
        problems.add("node name '" + node.name() + "' is used twice");
      }
      checkNode(node, defined, problems);
      if (node.op().since() > graph.irVersion()) {
        problems.add("node '" + node.name() + "' uses " + node.op().irName() + ", added in IR version "
            + node.op().since() + ", but the graph declares version " + graph.irVersion());
      }
      for (String out : node.outputs()) {
        define(out, "output of node '" + node.name() + "'", defined, problems);
      }
    }
    if (graph.outputs().isEmpty()) {
      problems.add("the graph has no outputs");
    }
    for (ValueInfo out : graph.outputs()) {
      if (!defined.contains(out.name())) {
        problems.add("graph output '" + out.name() + "' is never computed");
      }
    }
    if (!problems.isEmpty()) {
      throw new GraphValidationException(problems);
    }
    Map<String, ValueInfo> inferred = graph.valueInfos();
    for (ValueInfo out : graph.outputs()) {
      ValueInfo actual = inferred.get(out.name());
      if (!actual.shape().isCompatibleWith(out.shape()) || actual.dtype() != out.dtype()) {
        problems.add("graph output '" + out.name() + "' is declared " + out.dtype() + out.shape()
            + " but computes " + actual.dtype() + actual.shape());
      }
    }
    if (!problems.isEmpty()) {
      throw new GraphValidationException(problems);
    }
  }

  private static void define(String name, String what, Set<String> defined, List<String> problems) {
    if (name.isEmpty()) {
      problems.add("a " + what + " has an empty name");
    } else if (!defined.add(name)) {
      problems.add("value '" + name + "' (" + what + ") is defined more than once");
    }
  }

  /** Checks one node's arity, attributes and inputs; used by the builder too. */
  static void checkNode(Node node, Set<String> defined, List<String> problems) {
    Op op = node.op();
    String where = "node '" + node.name() + "' (" + op.irName() + ")";
    int n = node.inputs().size();
    if (n < op.minInputs() || n > op.maxInputs()) {
      String range = op.maxInputs() == Integer.MAX_VALUE ? "at least " + op.minInputs()
          : op.minInputs() == op.maxInputs() ? Integer.toString(op.minInputs())
          : op.minInputs() + " to " + op.maxInputs();
      problems.add(where + " has " + n + " inputs, expects " + range);
    }
    if (node.outputs().size() != op.outputs()) {
      problems.add(where + " has " + node.outputs().size() + " outputs, expects " + op.outputs());
    }
    for (String in : node.inputs()) {
      if (!defined.contains(in)) {
        problems.add(where + " reads '" + in + "', which is not defined before it");
      }
    }
    Attributes attrs = node.attributes();
    for (String name : attrs.names()) {
      var spec = op.attribute(name);
      if (spec.isEmpty()) {
        problems.add(where + " has unknown attribute '" + name + "'; " + op.irName() + " takes "
            + op.attributes().stream().map(AttrSpec::name).toList());
      } else if (!spec.get().type().accepts(attrs.raw(name).orElseThrow())) {
        problems.add(where + " attribute '" + name + "' must be " + spec.get().type());
      }
    }
    for (AttrSpec spec : op.attributes()) {
      if (spec.required() && !attrs.has(spec.name())) {
        problems.add(where + " lacks required attribute '" + spec.name() + "'");
      }
    }
  }
}
