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
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * The small conv classifier and the seeded weights and inputs that engine modules' own tests (leak workers,
 * training, mixed precision, the {@link ConcurrencyHarness}) run on.
 *
 * <p>Values come from {@link SplittableRandom#nextDouble()} only, so a seed gives the same tensors on every JVM.
 */
public final class EngineTestModels {
  /**
   * The initializer of parameters whose weights a test always supplies; it fails if an engine ever calls it, since
   * that would mean the supplied weights were ignored.
   */
  public static final Initializer SUPPLIED_WEIGHTS = (out, shape, random) -> {
    throw new AssertionError("tests supply weights explicitly");
  };

  private static final String NAME = "conv-classifier";

  private EngineTestModels() {}

  /**
   * A conv classifier with a dynamic batch: x[N,4,32,32] → Conv 3x3 (8 out, pads 1) → BatchNorm → Relu →
   * GlobalAveragePool → Flatten → Gemm(transB, 3 out) → Softmax = "probs".
   */
  public static Graph convClassifier() {
    return convClassifier(NAME, false, false);
  }

  /**
   * {@link #convClassifier()} with a per-channel layer scale after the Relu, written as {@code scale · h}: a
   * parameter as the first operand, the case that would leave an op's result in the parameters' memory scope rather
   * than the run's.
   */
  public static Graph convClassifierWithLayerScale() {
    return convClassifier(NAME, true, false);
  }

  /** {@link #convClassifier()} named {@code name} that also outputs the Relu's feature map as "features", first. */
  static Graph convClassifierWithFeatures(String name) {
    return convClassifier(name, false, true);
  }

  private static Graph convClassifier(String name, boolean layerScale, boolean featuresOutput) {
    GraphBuilder b = new GraphBuilder(name);
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 4, 32, 32));
    Value h = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x,
        b.parameter("conv.weight", Shape.of(8, 4, 3, 3), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("conv.bias", Shape.of(8), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    h = b.apply(Op.BATCH_NORM, h, b.parameter("bn.weight", Shape.of(8), ParamRole.NORM_SCALE, SUPPLIED_WEIGHTS),
        b.parameter("bn.bias", Shape.of(8), ParamRole.NORM_BIAS, SUPPLIED_WEIGHTS),
        b.parameter("bn.running_mean", Shape.of(8), ParamRole.RUNNING_MEAN, SUPPLIED_WEIGHTS),
        b.parameter("bn.running_var", Shape.of(8), ParamRole.RUNNING_VAR, SUPPLIED_WEIGHTS));
    h = b.apply(Op.RELU, h);
    if (featuresOutput) {
      b.output("features", h);
    }
    if (layerScale) {
      h = b.apply(Op.MUL, b.parameter("scale", Shape.of(8, 1, 1), ParamRole.LAYER_SCALE, SUPPLIED_WEIGHTS), h);
    }
    h = b.apply(Op.GLOBAL_AVG_POOL, h);
    h = b.apply(Op.FLATTEN, h);
    h = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), h,
        b.parameter("fc.weight", Shape.of(3, 8), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("fc.bias", Shape.of(3), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    b.output("probs", b.apply(Op.SOFTMAX, h));
    return b.build();
  }

  /**
   * Seeded weights for every parameter of {@code graph}, drawn in parameter order from one stream: uniform in
   * (0.5, 1.5) for running variances, which must be positive, and in (−1, 1) for everything else.
   */
  public static Weights randomWeights(Graph graph, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    graph.parameters().forEach(p -> {
      float[] v = uniformValues(p.shape(), r);
      if (p.role() == ParamRole.RUNNING_VAR) {
        for (int i = 0; i < v.length; i++) {
          v[i] = v[i] / 2 + 1f;
        }
      }
      m.put(p.name(), Tensor.of(p.shape(), v));
    });
    return Weights.of(m, "random(seed=" + seed + ")");
  }

  /** A float32 tensor of uniform(−1, 1) values, the next ones from {@code r}. */
  public static Tensor uniform(Shape shape, SplittableRandom r) {
    return Tensor.of(shape, uniformValues(shape, r));
  }

  private static float[] uniformValues(Shape shape, SplittableRandom r) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return v;
  }
}
