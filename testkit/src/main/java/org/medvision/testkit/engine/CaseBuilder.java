package org.medvision.testkit.engine;

import java.util.LinkedHashMap;
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
import org.medvision.api.weights.Weights;
import org.medvision.testkit.fixtures.RandomTensors;

/**
 * Builds one {@link ConformanceCase}: graph inputs with random data, parameters with seeded initial values, and the
 * nodes under test. Every random value derives from the case's seed, which in turn derives from its label, so a
 * case's data stays the same when other cases are added.
 */
final class CaseBuilder {
  private static final long SUITE_SEED = 0x6D65_6476_6973_696FL;

  private final Op op;
  private final String description;
  private final long seed;
  private final GraphBuilder graph;
  private final RandomTensors random;
  private final Map<String, Tensor> inputs = new LinkedHashMap<>();

  CaseBuilder(Op op, String description) {
    this.op = op;
    this.description = description;
    this.seed = seedFor(op.irName() + ": " + description);
    this.graph = new GraphBuilder(op.irName() + "-case");
    this.random = new RandomTensors(seed);
  }

  /** A graph input with values uniform in [-1, 1). */
  Value input(String name, int... dims) {
    return input(name, random.uniform(Shape.of(dims)));
  }

  /** A graph input with values uniform in [low, high). */
  Value input(String name, float low, float high, int... dims) {
    return input(name, random.uniform(Shape.of(dims), low, high));
  }

  /** A graph input whose values have magnitude in [low, high) and random signs. */
  Value inputAwayFromZero(String name, float low, float high, int... dims) {
    return input(name, random.awayFromZero(Shape.of(dims), low, high));
  }

  /** A graph input declared with a dynamic batch axis and fed a batch of {@code dims[0]}. */
  Value inputDynamicBatch(String name, int... dims) {
    Tensor t = random.uniform(Shape.of(dims));
    inputs.put(name, t);
    return graph.input(name, DType.FLOAT32, t.shape().withDim(0, Shape.DYNAMIC));
  }

  /** An int64 graph input [n] of class indices drawn uniformly from [0, classes). */
  Value labels(String name, int n, int classes) {
    float[] u = random.uniform(Shape.of(n), 0f, classes).toFloatArray();
    long[] labels = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (long) Math.floor(u[i]);
    }
    Tensor t = Tensor.ofLongs(Shape.of(n), labels);
    inputs.put(name, t);
    return graph.input(name, DType.INT64, t.shape());
  }

  /** An int64 graph input of indices {@code values} (row-major) under {@code dims}, declared with that shape. */
  Value indices(String name, long[] values, int... dims) {
    Tensor t = Tensor.ofLongs(Shape.of(dims), values);
    inputs.put(name, t);
    return graph.input(name, DType.INT64, t.shape());
  }

  /** As {@link #indices(String, long[], int...)}, declared with a dynamic leading (batch) axis. */
  Value indicesDynamicBatch(String name, long[] values, int... dims) {
    Tensor t = Tensor.ofLongs(Shape.of(dims), values);
    inputs.put(name, t);
    return graph.input(name, DType.INT64, t.shape().withDim(0, Shape.DYNAMIC));
  }

  /** A graph input fed exactly {@code t}. */
  Value input(String name, Tensor t) {
    inputs.put(name, t);
    return graph.input(name, DType.FLOAT32, t.shape());
  }

  /**
   * A weight uniform in ±1/√fan_in, where fan_in is the product of all but the first dimension: outputs of a
   * product with unit-range inputs stay of order 1, so tolerances mean the same in every case.
   */
  Value weight(String name, int... dims) {
    long fanIn = Shape.of(dims).size() / dims[0];
    float bound = (float) (1.0 / Math.sqrt(fanIn));
    return parameter(name, ParamRole.WEIGHT, uniform(-bound, bound), dims);
  }

  /** A parameter uniform in [low, high). */
  Value parameter(String name, float low, float high, int... dims) {
    return parameter(name, ParamRole.BIAS, uniform(low, high), dims);
  }

  /** A parameter of the given role, uniform in [low, high). */
  Value parameter(String name, ParamRole role, float low, float high, int... dims) {
    return parameter(name, role, uniform(low, high), dims);
  }

  private Value parameter(String name, ParamRole role, Initializer init, int... dims) {
    return graph.parameter(name, Shape.of(dims), role, init);
  }

  /** A {@link Op#CONSTANT} node of shape {@code dims} (none for a scalar), values uniform in [low, high). */
  Value constant(float low, float high, int... dims) {
    return graph.constant(Shape.of(dims), random.uniform(Shape.of(dims), low, high).toFloatArray());
  }

  /** Adds a node. */
  Value apply(Op nodeOp, Attributes attributes, Value... args) {
    return graph.apply(nodeOp, attributes, args);
  }

  /** Adds a node with default attributes. */
  Value apply(Op nodeOp, Value... args) {
    return graph.apply(nodeOp, args);
  }

  /** Marks the values as outputs under their own names (so no renaming node is added) and finishes the case. */
  ConformanceCase outputs(Value... values) {
    for (Value v : values) {
      graph.output(v.name(), v);
    }
    Graph g = graph.build();
    return new ConformanceCase(op, description, seed, g, weightsFor(g, seed), inputs);
  }

  /**
   * Weights for every parameter of {@code g}, each filled by its own initializer from a stream split off one seeded
   * generator in declaration order.
   */
  static Weights weightsFor(Graph g, long seed) {
    SplittableRandom root = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      float[] values = new float[Math.toIntExact(p.size())];
      p.initializer().fill(values, p.shape(), root.split());
      tensors.put(p.name(), Tensor.of(p.shape(), values));
    }
    return Weights.of(tensors, "conformance(seed=" + seed + ")");
  }

  private static Initializer uniform(float low, float high) {
    return (out, shape, r) -> {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) (low + (high - low) * r.nextDouble());
      }
    };
  }

  /** A well-mixed 64-bit seed from a case label (SplitMix64's finaliser over the label's hash and the suite seed). */
  static long seedFor(String label) {
    long z = SUITE_SEED + 0x9E3779B97F4A7C15L * label.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return (z ^ (z >>> 31)) & Long.MAX_VALUE;
  }
}
