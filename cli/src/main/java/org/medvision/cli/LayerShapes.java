package org.medvision.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.ConvGeometry;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * The distinct heavy layers of a graph at a concrete batch size, each as a graph of its own: convolutions and matrix
 * products (the ops whose multiply-adds {@link GraphStats} counts) plus pooling and batch normalisation, which move
 * as many bytes as a convolution of the same activation but do little arithmetic. Two nodes are the same layer when
 * their op, input shapes and attributes are equal; a ResNet stage repeats one shape several times.
 */
final class LayerShapes {
  /** The ops profiled. */
  static final Set<Op> PROFILED = EnumSet.of(Op.CONV, Op.MATMUL, Op.GEMM, Op.MAX_POOL, Op.AVG_POOL, Op.BATCH_NORM);

  private LayerShapes() {}

  /** The profiled ops' IR names, e.g. {@code conv, matmul}. */
  static String profiledOps() {
    return PROFILED.stream().map(Op::irName).collect(Collectors.joining(", "));
  }

  /**
   * One distinct layer.
   *
   * @param inputs the node's input shapes; the first is the activation, the rest are weights
   * @param count how many nodes of the graph have this shape
   * @param multiplyAdds per node, as {@link GraphStats} counts them (0 for pooling and normalisation)
   * @param nodes the names of those nodes, in graph order
   */
  record Layer(Op op, List<Shape> inputs, Shape output, Attributes attributes, int count, long multiplyAdds,
      List<String> nodes) {
    /** Copies the lists. */
    Layer {
      inputs = List.copyOf(inputs);
      nodes = List.copyOf(nodes);
    }

    /** The spatial kernel of a convolution or pooling, else the weight's shape, else {@code -}. */
    String kernel() {
      switch (op) {
        case CONV:
          String k = dims(Arrays.copyOfRange(inputs.get(1).dims(), 2, inputs.get(1).rank()));
          long group = attributes.getInt("group");
          long[] dilations = geometry().dilations();
          boolean dilated = Arrays.stream(dilations).anyMatch(d -> d != 1);
          return k + (dilated ? " d" + dims(dilations) : "") + (group != 1 ? " g" + group : "");
        case MAX_POOL:
        case AVG_POOL:
          return dims(attributes.getInts("kernel_shape"));
        case GEMM:
        case MATMUL:
          return dims(inputs.get(1).dims());
        default:
          return "-";
      }
    }

    /** The strides of a convolution or pooling, else {@code -}. */
    String strides() {
      return hasGeometry() ? dims(geometry().strides()) : "-";
    }

    /** Whether it is a convolution or pooling. */
    boolean hasGeometry() {
      return op == Op.CONV || op == Op.MAX_POOL || op == Op.AVG_POOL;
    }

    /** Its geometry; only for convolutions and pooling. */
    ConvGeometry geometry() {
      long[] kernel = op == Op.CONV ? Arrays.copyOfRange(inputs.get(1).dims(), 2, inputs.get(1).rank())
          : attributes.getInts("kernel_shape");
      return ConvGeometry.of(new Node("layer", op, List.of(), List.of("y"), attributes), kernel);
    }

    /** Bytes of the activation read and the output written (float32), weights left out. */
    long activationBytes() {
      return 4 * (inputs.get(0).size() + output.size());
    }

    /** A graph of this layer alone: the activation is its input {@code x}, the other inputs are parameters. */
    Graph graph() {
      GraphBuilder b = new GraphBuilder("layer-" + op.irName());
      List<Value> in = new ArrayList<>();
      in.add(b.input("x", DType.FLOAT32, inputs.get(0)));
      for (int i = 1; i < inputs.size(); i++) {
        in.add(b.parameter("w" + i, inputs.get(i), ParamRole.WEIGHT, LayerShapes::fill));
      }
      b.output("y", b.apply(op, attributes, in.toArray(new Value[0])));
      return b.build();
    }
  }

  /**
   * The distinct layers of {@code graph} with its dynamic input dimensions bound to {@code batch}, in the order they
   * first appear.
   */
  static List<Layer> of(Graph graph, long batch) {
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs()) {
      long[] d = in.shape().dims();
      for (int i = 0; i < d.length; i++) {
        d[i] = d[i] == Shape.DYNAMIC ? batch : d[i];
      }
      shapes.put(in.name(), Shape.of(d));
    }
    Map<String, ValueInfo> infos = graph.valueInfos(shapes);
    Map<List<Object>, List<Node>> groups = new LinkedHashMap<>();
    for (Node n : graph.nodes()) {
      if (PROFILED.contains(n.op())) {
        List<Shape> in = n.inputs().stream().map(i -> infos.get(i).shape()).toList();
        groups.computeIfAbsent(List.of(n.op(), in, n.attributes()), k -> new ArrayList<>()).add(n);
      }
    }
    List<Layer> layers = new ArrayList<>();
    for (List<Node> nodes : groups.values()) {
      Node n = nodes.get(0);
      layers.add(new Layer(n.op(), n.inputs().stream().map(i -> infos.get(i).shape()).toList(),
          infos.get(n.output()).shape(), n.attributes(), nodes.size(), GraphStats.multiplyAdds(n, infos),
          nodes.stream().map(Node::name).toList()));
    }
    return layers;
  }

  /** {@code [1, 64, 32]} as {@code 1x64x32}. */
  static String dims(long[] d) {
    return Arrays.stream(d).mapToObj(Long::toString).collect(Collectors.joining("x"));
  }

  /**
   * Weights of order one whatever the fan-in (uniform with variance 1/fan-in), so outputs neither overflow nor turn
   * denormal; vectors (normalisation statistics, biases) in [0.5, 1.5), so a variance is positive.
   */
  private static void fill(float[] out, Shape shape, java.util.SplittableRandom random) {
    if (shape.rank() < 2) {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) random.nextDouble(0.5, 1.5);
      }
      return;
    }
    double bound = Math.sqrt(3.0 / (shape.size() / shape.dim(0)));
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextDouble(-bound, bound);
    }
  }
}
