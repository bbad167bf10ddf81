package org.medvision.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * A model graph rewritten to measure the batch statistics its BatchNorm layers see in training: every
 * {@link Op#BATCH_NORM} node becomes the same normalisation with the batch's mean and biased variance (as training mode
 * computes it), and the graph's outputs are each layer's batch mean and variance per channel. Everything else runs as
 * at inference, so dropout and drop-path are off: the statistics are those of the network validation will run, which
 * is what removes the variance shift a dropout before a BatchNorm causes in training.
 *
 * <p>Only the nodes, inputs and parameters the statistics need are kept, so layers after the last BatchNorm do not
 * run.
 */
final class BatchStatisticsGraph {
  private static final String MEAN_PREFIX = "batch_mean:";
  private static final String VARIANCE_PREFIX = "batch_var:";
  private static final int FIRST_IR_WITH_REDUCTIONS = 4;

  /**
   * One BatchNorm layer: its input value, its running-statistic buffers and the graph outputs of its batch
   * statistics.
   */
  record Layer(String node, String input, String runningMean, String runningVar, int channels, String meanOutput,
      String varianceOutput) {}

  private final Graph graph;
  private final List<Layer> layers;

  private BatchStatisticsGraph(Graph graph, List<Layer> layers) {
    this.graph = graph;
    this.layers = List.copyOf(layers);
  }

  /** Whether {@code model} has any BatchNorm layer to recalibrate. */
  static boolean applies(Graph model) {
    return model.nodes().stream().anyMatch(n -> n.op() == Op.BATCH_NORM);
  }

  /** The statistics graph of {@code model}, which must have at least one BatchNorm layer. */
  static BatchStatisticsGraph of(Graph model) {
    Map<String, ParameterSpec> params = new LinkedHashMap<>();
    model.parameters().forEach(p -> params.put(p.name(), p));
    Map<String, ValueInfo> infos = model.valueInfos();
    List<Node> nodes = new ArrayList<>();
    List<Layer> layers = new ArrayList<>();
    List<ValueInfo> outputs = new ArrayList<>();
    for (Node n : model.nodes()) {
      if (n.op() != Op.BATCH_NORM) {
        nodes.add(n);
        continue;
      }
      ParameterSpec mean = params.get(n.inputs().get(3));
      ParameterSpec var = params.get(n.inputs().get(4));
      int channels = Math.toIntExact(params.get(n.inputs().get(1)).shape().dim(0));
      int rank = infos.get(n.inputs().get(0)).shape().rank();
      Layer layer = new Layer(n.name(), n.inputs().get(0), mean.name(), var.name(), channels,
          MEAN_PREFIX + mean.name(), VARIANCE_PREFIX + var.name());
      layers.add(layer);
      float eps = n.attributes().has("epsilon") ? n.attributes().getFloat("epsilon") : 1e-5f;
      emitBatchNormalisation(nodes, n, layer, rank, eps);
      outputs.add(new ValueInfo(layer.meanOutput(), DType.FLOAT32, Shape.of(channels)));
      outputs.add(new ValueInfo(layer.varianceOutput(), DType.FLOAT32, Shape.of(channels)));
    }
    List<String> wanted = outputs.stream().map(ValueInfo::name).toList();
    Graph full = new Graph(model.name() + "-batch-statistics", Math.max(model.irVersion(), FIRST_IR_WITH_REDUCTIONS),
        model.inputs(), model.parameters(), nodes, outputs, model.metadata());
    List<Node> needed = full.nodesFor(wanted);
    Set<String> used = new HashSet<>();
    needed.forEach(n -> used.addAll(n.inputs()));
    Graph pruned = new Graph(full.name(), full.irVersion(),
        model.inputs().stream().filter(i -> used.contains(i.name())).toList(),
        model.parameters().stream().filter(p -> used.contains(p.name())).toList(), needed, outputs,
        model.metadata()).validate();
    return new BatchStatisticsGraph(pruned, layers);
  }

  /** The rewritten graph. */
  Graph graph() {
    return graph;
  }

  /** The BatchNorm layers, in graph order. */
  List<Layer> layers() {
    return layers;
  }

  /**
   * y = (x − mean) / sqrt(var + eps) · scale + bias over the batch's own statistics, writing the BatchNorm node's
   * output name so the nodes after it read it unchanged, plus the statistics as [C] outputs.
   */
  private static void emitBatchNormalisation(List<Node> nodes, Node bn, Layer layer, int rank, float eps) {
    String p = bn.name() + "/batch_statistics/";
    long[] axes = new long[rank - 1];
    long[] perChannel = new long[rank];
    axes[0] = 0;
    for (int a = 2; a < rank; a++) {
      axes[a - 1] = a;
    }
    java.util.Arrays.fill(perChannel, 1);
    perChannel[1] = layer.channels();
    Attributes reduce = Attributes.builder().set("axes", axes).set("keepdims", 1L).build();
    Attributes broadcast = Attributes.builder().set("shape", perChannel).build();
    Attributes flat = Attributes.builder().set("shape", (long) layer.channels()).build();
    String x = layer.input();
    nodes.add(node(p + "mean", Op.REDUCE_MEAN, reduce, x));
    nodes.add(node(p + "centred", Op.SUB, Attributes.empty(), x, p + "mean"));
    nodes.add(node(p + "squares", Op.MUL, Attributes.empty(), p + "centred", p + "centred"));
    nodes.add(node(p + "variance", Op.REDUCE_MEAN, reduce, p + "squares"));
    nodes.add(node(p + "eps", Op.CONSTANT, Attributes.builder().set("value", new float[] {eps})
        .set("shape", new long[0]).build()));
    nodes.add(node(p + "shifted_variance", Op.ADD, Attributes.empty(), p + "variance", p + "eps"));
    nodes.add(node(p + "std", Op.SQRT, Attributes.empty(), p + "shifted_variance"));
    nodes.add(node(p + "normalised", Op.DIV, Attributes.empty(), p + "centred", p + "std"));
    nodes.add(node(p + "scale", Op.RESHAPE, broadcast, bn.inputs().get(1)));
    nodes.add(node(p + "bias", Op.RESHAPE, broadcast, bn.inputs().get(2)));
    nodes.add(node(p + "scaled", Op.MUL, Attributes.empty(), p + "normalised", p + "scale"));
    nodes.add(new Node(p + "shifted", Op.ADD, List.of(p + "scaled", p + "bias"), List.of(bn.output()),
        Attributes.empty()));
    nodes.add(new Node(p + "mean_out", Op.RESHAPE, List.of(p + "mean"), List.of(layer.meanOutput()), flat));
    nodes.add(new Node(p + "variance_out", Op.RESHAPE, List.of(p + "variance"), List.of(layer.varianceOutput()),
        flat));
  }

  /** A node whose single output is named after the node. */
  private static Node node(String name, Op op, Attributes attributes, String... inputs) {
    return new Node(name, op, List.of(inputs), List.of(name), attributes);
  }
}
