package org.medvision.api.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * Builds a {@link Graph} one node at a time, checking each node as it is added so that a mistake is reported at the
 * block that made it, with the shapes involved.
 *
 * <p>Names are hierarchical: {@link #scope(String)} pushes a dotted prefix that applies to parameter and node names
 * until the returned scope is closed, so blocks can be written without knowing where they sit:
 *
 * <pre>{@code
 * GraphBuilder b = new GraphBuilder("demo");
 * Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, 32, 32));
 * try (GraphBuilder.Scope s = b.scope("stem")) {
 *   Value w = b.parameter("weight", Shape.of(8, 3, 3, 3), ParamRole.WEIGHT, Initializers.kaimingNormal());
 *   x = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x, w);
 * }
 * b.output("features", x);
 * Graph g = b.build();  // parameter "stem.weight"
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class GraphBuilder {
  private final String name;
  private final List<ValueInfo> inputs = new ArrayList<>();
  private final List<ParameterSpec> parameters = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();
  private final List<ValueInfo> outputs = new ArrayList<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private final Map<String, ValueInfo> values = new HashMap<>();
  private final Set<String> defined = new HashSet<>();
  private final Deque<String> scopes = new ArrayDeque<>();
  private final Map<String, Integer> counters = new HashMap<>();

  /** A builder for a graph called {@code name}. */
  public GraphBuilder(String name) {
    this.name = name;
  }

  /**
   * A builder that starts as {@code graph}: its name, inputs, parameters, nodes and metadata, with every value
   * available through {@link #value}, but no outputs, so the caller declares which values the new graph returns
   * (e.g. a training graph adding targets and losses to a model and returning the loss first).
   */
  public static GraphBuilder extending(Graph graph) {
    GraphBuilder b = new GraphBuilder(graph.name());
    Map<String, ValueInfo> types = ShapeInference.inferAll(graph, Map.of());
    for (ValueInfo in : graph.inputs()) {
      b.register(in, "input");
      b.inputs.add(in);
    }
    for (ParameterSpec p : graph.parameters()) {
      b.register(types.get(p.name()), "parameter");
      b.parameters.add(p);
    }
    for (Node n : graph.nodes()) {
      for (String out : n.outputs()) {
        b.register(types.get(out), "node output");
      }
      b.nodes.add(n);
    }
    b.metadata.putAll(graph.metadata());
    return b;
  }

  /** The handle of an already defined value (input, parameter or node output), by name. */
  public Value value(String valueName) {
    return new Value(info(valueName));
  }

  /** A name scope; closing it pops the prefix. */
  public final class Scope implements AutoCloseable {
    private final int depth;

    private Scope(int depth) {
      this.depth = depth;
    }

    @Override
    public void close() {
      if (scopes.size() != depth) {
        throw new IllegalStateException("scopes closed out of order");
      }
      scopes.pop();
    }
  }

  /** Pushes {@code name} (may contain dots) as the next level of the name prefix. */
  public Scope scope(String name) {
    scopes.push(qualify(name));
    return new Scope(scopes.size());
  }

  /**
   * Runs {@code body} with {@code name} pushed as the next level of the name prefix, popping it even when
   * {@code body} throws: the expression form of {@link #scope(String)} for blocks that return a value.
   *
   * @return what {@code body} returned
   */
  public <T> T within(String name, java.util.function.Supplier<T> body) {
    try (Scope s = scope(name)) {
      return body.get();
    }
  }

  /** The current prefix plus {@code local}. */
  public String qualify(String local) {
    return scopes.isEmpty() ? local : scopes.peek() + "." + local;
  }

  /** Declares a graph input. */
  public Value input(String inputName, DType dtype, Shape shape) {
    ValueInfo vi = new ValueInfo(inputName, dtype, shape);
    register(vi, "input");
    inputs.add(vi);
    return new Value(vi);
  }

  /** Declares a float32 parameter named {@code qualify(local)}. */
  public Value parameter(String local, Shape shape, ParamRole role, Initializer initializer) {
    String full = qualify(local);
    ParameterSpec spec = new ParameterSpec(full, DType.FLOAT32, shape, role, initializer);
    ValueInfo vi = new ValueInfo(full, spec.dtype(), shape);
    register(vi, "parameter");
    parameters.add(spec);
    return new Value(vi);
  }

  /** Adds a node of a single-output op with no attributes. */
  public Value apply(Op op, Value... inputs) {
    return apply(op, Attributes.empty(), inputs);
  }

  /**
   * Adds a node of a single-output op.
   *
   * @throws GraphValidationException if the node breaks a rule, naming the node and the shapes involved
   */
  public Value apply(Op op, Attributes attributes, Value... inputs) {
    String nodeName = uniqueNodeName(op);
    List<String> in = new ArrayList<>();
    List<ValueInfo> infos = new ArrayList<>();
    for (Value v : inputs) {
      in.add(v.name());
      infos.add(v.info());
    }
    Node node = new Node(nodeName, op, in, List.of(nodeName), attributes);
    List<String> problems = new ArrayList<>();
    GraphValidator.checkNode(node, defined, problems);
    if (!problems.isEmpty()) {
      throw new GraphValidationException(problems);
    }
    ValueInfo out = ShapeInference.infer(node, infos).get(0);
    register(out, "node output");
    nodes.add(node);
    return new Value(out);
  }

  /**
   * Adds a {@link Op#CONSTANT} node holding {@code values} in row-major order under {@code shape}.
   *
   * @throws GraphValidationException if the number of values does not match the shape
   */
  public Value constant(Shape shape, float... values) {
    return apply(Op.CONSTANT, Attributes.builder().set("value", values.clone()).set("shape", shape.dims()).build());
  }

  /** A float32 scalar {@link Op#CONSTANT}. */
  public Value scalar(float value) {
    return constant(Shape.scalar(), value);
  }

  /** Marks {@code value} as a graph output called {@code outputName} (adding an identity node to rename it). */
  public Value output(String outputName, Value value) {
    Value v = value;
    if (!value.name().equals(outputName)) {
      Node node = new Node(outputName, Op.IDENTITY, List.of(value.name()), List.of(outputName), Attributes.empty());
      ValueInfo vi = new ValueInfo(outputName, value.dtype(), value.shape());
      register(vi, "output");
      nodes.add(node);
      v = new Value(vi);
    }
    outputs.add(v.info());
    return v;
  }

  /** Sets a metadata property carried into the graph and its exports. */
  public GraphBuilder metadata(String key, String value) {
    metadata.put(key, value);
    return this;
  }

  /** The type of an already defined value. */
  public ValueInfo info(String valueName) {
    ValueInfo vi = values.get(valueName);
    if (vi == null) {
      throw new GraphValidationException("value '" + valueName + "' is not defined");
    }
    return vi;
  }

  /**
   * The finished, validated graph.
   *
   * @throws GraphValidationException if the graph breaks a rule
   */
  public Graph build() {
    return new Graph(name, Op.IR_VERSION, inputs, parameters, nodes, outputs, metadata).validate();
  }

  private void register(ValueInfo vi, String what) {
    if (!defined.add(vi.name())) {
      throw new GraphValidationException("value '" + vi.name() + "' (" + what + ") is defined more than once");
    }
    values.put(vi.name(), vi);
  }

  private String uniqueNodeName(Op op) {
    String base = (scopes.isEmpty() ? "" : scopes.peek() + "/") + op.irName();
    int n = counters.merge(base, 1, Integer::sum);
    String candidate = base + "_" + n;
    while (defined.contains(candidate)) {
      n = counters.merge(base, 1, Integer::sum);
      candidate = base + "_" + n;
    }
    return candidate;
  }
}
