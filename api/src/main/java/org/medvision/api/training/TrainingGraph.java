package org.medvision.api.training;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * Builds training graphs: a model graph plus target inputs and a scalar loss output named {@value #LOSS}, which is
 * what engines differentiate. The model's own outputs stay outputs, so one training step also yields the
 * predictions.
 *
 * <p>A task with several losses declares each as a named term with {@link #builder}: term {@code t} is a scalar
 * output {@code loss.t}, its weight a float32 scalar input {@code loss_weight.t}, and {@value #LOSS} is the sum of
 * weight × term. Weights are inputs rather than constants so that a trainer or a loss balancer can change them at
 * every step without recompiling:
 *
 * <pre>{@code
 * TrainingGraph.Builder t = TrainingGraph.builder(model);
 * GraphBuilder g = t.graph();
 * Value labels = t.target("labels", DType.INT64, Shape.of(Shape.DYNAMIC));
 * t.loss("ce", g.apply(Op.CROSS_ENTROPY, g.value("logits"), labels));
 * Graph training = t.build();   // inputs: model inputs, labels, loss_weight.ce; outputs: loss, loss.ce, logits
 * }</pre>
 */
public final class TrainingGraph {
  /** Name of the scalar loss output of every training graph. */
  public static final String LOSS = "loss";
  /** Prefix of the named loss-term outputs of a training graph. */
  public static final String LOSS_TERM_PREFIX = "loss.";
  /** Prefix of the scalar weight inputs of the named loss terms. */
  public static final String LOSS_WEIGHT_PREFIX = "loss_weight.";
  /** Name of the int64 [N] class-index input of classification training graphs. */
  public static final String LABELS = "labels";

  private TrainingGraph() {}

  /** Whether output {@code name} of a training graph is a loss (the total or a term) rather than a model output. */
  public static boolean isLossOutput(String name) {
    return name.equals(LOSS) || name.startsWith(LOSS_TERM_PREFIX);
  }

  /** Whether input {@code name} of a training graph is a loss-term weight. */
  public static boolean isLossWeight(String name) {
    return name.startsWith(LOSS_WEIGHT_PREFIX);
  }

  /** The names of the loss terms of {@code graph} (without prefix), in output order; empty for a plain loss. */
  public static List<String> lossTerms(Graph graph) {
    List<String> terms = new ArrayList<>();
    for (ValueInfo o : graph.outputs()) {
      if (o.name().startsWith(LOSS_TERM_PREFIX)) {
        terms.add(o.name().substring(LOSS_TERM_PREFIX.length()));
      }
    }
    return terms;
  }

  /**
   * The model part of training graph {@code training}, which {@link TrainingSession#infer} runs: every output that is
   * not a loss ({@link #isLossOutput}), the nodes those need, and only the inputs and parameters they read, so the
   * targets and {@code loss_weight.*} inputs that only losses read are neither required nor accepted.
   */
  public static Graph inferenceGraph(Graph training) {
    List<ValueInfo> outputs = training.outputs().stream().filter(o -> !isLossOutput(o.name())).toList();
    List<String> names = outputs.stream().map(ValueInfo::name).toList();
    List<Node> nodes = training.nodesFor(names);
    Set<String> read = new HashSet<>(names);
    for (Node n : nodes) {
      read.addAll(n.inputs());
    }
    List<ValueInfo> inputs = training.inputs().stream().filter(i -> read.contains(i.name())).toList();
    List<ParameterSpec> parameters = training.parameters().stream().filter(p -> read.contains(p.name())).toList();
    return new Graph(training.name() + "-infer", training.irVersion(), inputs, parameters, nodes, outputs,
        training.metadata());
  }

  /** The inputs of training graph {@code training} that only its losses read: what {@link #inferenceGraph} drops. */
  public static Set<String> lossOnlyInputs(Graph training) {
    Set<String> kept = new HashSet<>();
    inferenceGraph(training).inputs().forEach(i -> kept.add(i.name()));
    Set<String> names = new TreeSet<>();
    training.inputs().stream().map(ValueInfo::name).filter(n -> !kept.contains(n)).forEach(names::add);
    return names;
  }

  /**
   * {@code model} with a {@link Op#CROSS_ENTROPY} loss on its output {@code logits} against a new int64 input
   * {@value #LABELS} [N], output directly as {@value #LOSS} (no named terms).
   *
   * @param labelSmoothing ε in [0, 1)
   * @param classWeights per-class weights, or {@code null} for none
   * @throws MedvisionException if {@code logits} is not a [N, C] output of the model
   * @throws org.medvision.api.graph.GraphValidationException if the result is not a valid graph
   */
  public static Graph classification(Graph model, String logits, float labelSmoothing, float[] classWeights) {
    ValueInfo out = model.outputs().stream().filter(o -> o.name().equals(logits)).findFirst().orElseThrow(
        () -> new MedvisionException("graph '" + model.name() + "' has no output '" + logits + "'; outputs: "
            + model.outputs().stream().map(ValueInfo::name).toList()));
    Attributes attrs = crossEntropyAttributes(out, labelSmoothing, classWeights);
    List<ValueInfo> inputs = new ArrayList<>(model.inputs());
    inputs.add(new ValueInfo(LABELS, DType.INT64, Shape.of(out.shape().dim(0))));
    List<Node> nodes = new ArrayList<>(model.nodes());
    nodes.add(new Node(LOSS, Op.CROSS_ENTROPY, List.of(logits, LABELS), List.of(LOSS), attrs));
    List<ValueInfo> outputs = new ArrayList<>();
    outputs.add(new ValueInfo(LOSS, DType.FLOAT32, Shape.scalar()));
    outputs.addAll(model.outputs());
    return new Graph(model.name() + "-train", model.irVersion(), inputs, model.parameters(), nodes, outputs,
        model.metadata()).validate();
  }

  /**
   * The attributes of a cross-entropy on {@code logits}, checked.
   *
   * @throws MedvisionException if the logits are not [N, C] or ε is outside [0, 1)
   */
  public static Attributes crossEntropyAttributes(ValueInfo logits, float labelSmoothing, float[] classWeights) {
    if (logits.shape().rank() != 2) {
      throw new MedvisionException("classification training needs logits [N, C], but '" + logits.name() + "' is "
          + logits.shape());
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new MedvisionException("label smoothing must be in [0, 1), got " + labelSmoothing);
    }
    Attributes.Builder attrs = Attributes.builder().set("label_smoothing", labelSmoothing);
    if (classWeights != null) {
      attrs.set("class_weights", classWeights.clone());
    }
    return attrs.build();
  }

  /** A builder of a training graph with named loss terms on top of {@code model}. */
  public static Builder builder(Graph model) {
    return new Builder(model);
  }

  /** Adds targets and named loss terms to a model graph; see {@link TrainingGraph}. Not thread-safe. */
  public static final class Builder {
    private final Graph model;
    private final GraphBuilder graph;
    private final Map<String, Value> terms = new LinkedHashMap<>();

    private Builder(Graph model) {
      this.model = model;
      this.graph = GraphBuilder.extending(model);
    }

    /** The graph being built, holding every model value ({@link GraphBuilder#value}) for loss subgraphs. */
    public GraphBuilder graph() {
      return graph;
    }

    /** Declares a target input, e.g. class indices or a mask, fed with every training batch. */
    public Value target(String name, DType dtype, Shape shape) {
      if (isLossWeight(name) || isLossOutput(name)) {
        throw new MedvisionException("target '" + name + "' uses a name reserved for losses");
      }
      return graph.input(name, dtype, shape);
    }

    /**
     * Declares {@code value}, a float32 scalar, as loss term {@code name}.
     *
     * @throws MedvisionException if the name is taken or not a plain identifier, or the value is not a scalar
     */
    public Builder loss(String name, Value value) {
      if (!name.matches("[a-z][a-z0-9_]*")) {
        throw new MedvisionException("loss term name '" + name + "' must be lower-case letters, digits and _");
      }
      if (terms.containsKey(name)) {
        throw new MedvisionException("loss term '" + name + "' is declared twice");
      }
      if (value.shape().rank() != 0) {
        throw new MedvisionException("loss term '" + name + "' must be a scalar, but '" + value.name() + "' is "
            + value.shape());
      }
      terms.put(name, value);
      return this;
    }

    /**
     * The training graph: model inputs, targets and one {@code loss_weight.<term>} per term; outputs
     * {@value #LOSS}, then {@code loss.<term>} per term in declaration order, then the model's outputs.
     *
     * @throws MedvisionException if no loss term was declared
     */
    public Graph build() {
      if (terms.isEmpty()) {
        throw new MedvisionException("training graph of '" + model.name() + "' declares no loss term");
      }
      Map<String, Value> named = new LinkedHashMap<>();
      Value total = null;
      for (Map.Entry<String, Value> t : terms.entrySet()) {
        Value term = graph.output(LOSS_TERM_PREFIX + t.getKey(), t.getValue());
        named.put(t.getKey(), term);
        Value weight = graph.input(LOSS_WEIGHT_PREFIX + t.getKey(), DType.FLOAT32, Shape.scalar());
        Value weighted = graph.apply(Op.MUL, weight, term);
        total = total == null ? weighted : graph.apply(Op.ADD, total, weighted);
      }
      Value loss = graph.apply(Op.IDENTITY, total);
      Graph built = graph.build();
      // The builder appends outputs as they are declared; the contract wants the total first.
      List<ValueInfo> outputs = new ArrayList<>();
      List<Node> nodes = new ArrayList<>(built.nodes());
      nodes.add(new Node(LOSS, Op.IDENTITY, List.of(loss.name()), List.of(LOSS), Attributes.empty()));
      outputs.add(new ValueInfo(LOSS, DType.FLOAT32, Shape.scalar()));
      named.values().forEach(v -> outputs.add(v.info()));
      outputs.addAll(model.outputs());
      return new Graph(model.name() + "-train", built.irVersion(), built.inputs(), built.parameters(), nodes,
          outputs, built.metadata()).validate();
    }
  }
}
