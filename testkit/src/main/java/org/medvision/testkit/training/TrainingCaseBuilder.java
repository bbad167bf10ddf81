package org.medvision.testkit.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Initializer;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.fixtures.RandomTensors;

/**
 * Builds one {@link TrainingCase}: a model with seeded inputs and parameters, finished by a loss. Every random value
 * derives from the case's seed, which derives from its label, so a case's data does not change when cases are added.
 */
final class TrainingCaseBuilder {
  private static final long SUITE_SEED = 0x7472_6169_6E69_6E67L;

  private final String label;
  private final long seed;
  private final GraphBuilder graph;
  private final RandomTensors random;
  private final SplittableRandom integers;
  private final Map<String, Tensor> batch = new LinkedHashMap<>();

  TrainingCaseBuilder(String label) {
    this.label = label;
    this.seed = seedFor(label);
    this.graph = new GraphBuilder("training-case");
    this.random = new RandomTensors(seed);
    this.integers = new SplittableRandom(seed ^ 0x1234_5678_9ABCL);
  }

  /** A graph input uniform in [-1, 1). */
  Value input(String name, int... dims) {
    return input(name, random.uniform(Shape.of(dims)));
  }

  /** A graph input uniform in [low, high). */
  Value input(String name, float low, float high, int... dims) {
    return input(name, random.uniform(Shape.of(dims), low, high));
  }

  /** A graph input fed {@code value}, declared with its exact shape. */
  Value input(String name, Tensor value) {
    batch.put(name, value);
    return graph.input(name, DType.FLOAT32, value.shape());
  }

  /** A graph input fed {@code value}, declared with a dynamic batch axis. */
  Value inputDynamicBatch(String name, Tensor value) {
    batch.put(name, value);
    return graph.input(name, DType.FLOAT32, value.shape().withDim(0, Shape.DYNAMIC));
  }

  /** An int64 graph input of indices {@code values} (row-major) under {@code dims}. */
  Value indices(String name, long[] values, int... dims) {
    Tensor t = Tensor.ofLongs(Shape.of(dims), values);
    batch.put(name, t);
    return graph.input(name, DType.INT64, t.shape());
  }

  /** A random tensor from this case's stream, uniform in [low, high). */
  Tensor uniform(float low, float high, int... dims) {
    return random.uniform(Shape.of(dims), low, high);
  }

  /** A weight uniform in ±1/√fan_in (fan_in the product of all but the first dimension), so outputs stay O(1). */
  Value weight(String name, int... dims) {
    float bound = (float) (1.0 / Math.sqrt(Shape.of(dims).size() / dims[0]));
    return parameter(name, ParamRole.WEIGHT, -bound, bound, dims);
  }

  /** A parameter of {@code role} uniform in [low, high). */
  Value parameter(String name, ParamRole role, float low, float high, int... dims) {
    Initializer init = (out, shape, r) -> {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (low + (high - low) * r.nextDouble());
      }
    };
    return graph.parameter(name, Shape.of(dims), role, init);
  }

  /** A parameter of {@code role} whose every element starts at {@code value}. */
  Value filled(String name, ParamRole role, float value, int... dims) {
    return graph.parameter(name, Shape.of(dims), role, (out, shape, r) -> java.util.Arrays.fill(out, value));
  }

  /** A {@link Op#CONSTANT} node holding {@code values} (row-major) under {@code dims}, none for a scalar. */
  Value constant(float[] values, int... dims) {
    return graph.constant(Shape.of(dims), values);
  }

  /** Adds a node. */
  Value apply(Op op, Attributes attributes, Value... args) {
    return graph.apply(op, attributes, args);
  }

  /** Adds a node with default attributes. */
  Value apply(Op op, Value... args) {
    return graph.apply(op, args);
  }

  /** Marks {@code value} as a model output called {@code name}. */
  Value output(String name, Value value) {
    return graph.output(name, value);
  }

  /**
   * Finishes the case with {@code loss} (a loss op) of its operands, e.g. a prediction, a target and an optional
   * weight, as its loss.
   */
  TrainingCase loss(Op loss, Attributes attributes, Value... operands) {
    graph.output(TrainingGraph.LOSS, graph.apply(loss, attributes, operands));
    Graph g = graph.build();
    return new TrainingCase(label, seed, g, weightsFor(g), batch);
  }

  /** Finishes the case with the scalar {@code loss}, computed by ordinary ops rather than a loss op. */
  TrainingCase loss(Value loss) {
    graph.output(TrainingGraph.LOSS, loss);
    Graph g = graph.build();
    return new TrainingCase(label, seed, g, weightsFor(g), batch);
  }

  /**
   * Finishes the case with {@link TrainingGraph#classification}: {@code logits} [N, C] becomes the model output
   * "logits" and the batch gets uniformly drawn int64 labels in [0, C).
   */
  TrainingCase classification(Value logits, float labelSmoothing, float[] classWeights) {
    graph.output("logits", logits);
    Graph g = TrainingGraph.classification(graph.build(), "logits", labelSmoothing, classWeights);
    int n = Math.toIntExact(batchSize(logits));
    int classes = Math.toIntExact(logits.shape().dim(1));
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = integers.nextInt(classes);
    }
    batch.put(TrainingGraph.LABELS, Tensor.ofLongs(Shape.of(n), labels));
    return new TrainingCase(label, seed, g, weightsFor(g), batch);
  }

  /**
   * Finishes the model (the outputs declared so far) and starts a training graph with named loss terms on it
   * ({@link TrainingGraph#builder}); its targets draw from this case's stream.
   */
  Terms terms() {
    return new Terms(TrainingGraph.builder(graph.build()));
  }

  /** A training graph with named loss terms under construction, see {@link #terms()}. */
  final class Terms {
    private final TrainingGraph.Builder builder;

    private Terms(TrainingGraph.Builder builder) {
      this.builder = builder;
    }

    /** A model value by name, for the loss subgraphs. */
    Value value(String name) {
      return builder.graph().value(name);
    }

    /** A float32 target uniform in [low, high), fed with the batch. */
    Value target(String name, float low, float high, int... dims) {
      Tensor t = random.uniform(Shape.of(dims), low, high);
      batch.put(name, t);
      return builder.target(name, DType.FLOAT32, t.shape());
    }

    /** Adds a node to the loss subgraph. */
    Value apply(Op op, Value... args) {
      return builder.graph().apply(op, args);
    }

    /** Declares loss term {@code name}. */
    Terms term(String name, Value value) {
      builder.loss(name, value);
      return this;
    }

    /** The case, its batch feeding {@code weights[i]} to the i-th term's {@code loss_weight} input. */
    TrainingCase build(float... weights) {
      Graph g = builder.build();
      List<String> names = TrainingGraph.lossTerms(g);
      if (names.size() != weights.length) {
        throw new IllegalArgumentException(names.size() + " terms " + names + " but " + weights.length + " weights");
      }
      Map<String, Tensor> fed = new LinkedHashMap<>(batch);
      fed.putAll(lossWeights(names, weights));
      return new TrainingCase(label, seed, g, weightsFor(g), fed);
    }
  }

  /** The {@code loss_weight.<term>} inputs feeding {@code weights[i]} to term {@code terms.get(i)}. */
  static Map<String, Tensor> lossWeights(List<String> terms, float... weights) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (int i = 0; i < terms.size(); i++) {
      out.put(TrainingGraph.LOSS_WEIGHT_PREFIX + terms.get(i), Tensor.of(Shape.scalar(), weights[i]));
    }
    return out;
  }

  /** The batch size actually fed: the first input's leading extent (logits may declare a dynamic batch). */
  private long batchSize(Value logits) {
    long n = logits.shape().dim(0);
    return n >= 0 ? n : batch.values().iterator().next().shape().dim(0);
  }

  /** Weights for every parameter of {@code g}, each filled by its initializer from a stream split off the seed. */
  private Weights weightsFor(Graph g) {
    SplittableRandom root = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      float[] values = new float[Math.toIntExact(p.size())];
      p.initializer().fill(values, p.shape(), root.split());
      tensors.put(p.name(), Tensor.of(p.shape(), values));
    }
    return Weights.of(tensors, "training case '" + label + "'");
  }

  /** A well-mixed 64-bit seed from a label (SplitMix64's finaliser over the label's hash and the suite seed). */
  static long seedFor(String label) {
    long z = SUITE_SEED + 0x9E3779B97F4A7C15L * label.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
