package org.medvision.engine.djl;

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

/** Small graphs and seeded weights shared by this module's tests. */
final class TestModels {
  /** Parameters in these tests always get explicit weights, so the initializer is never called. */
  static final Initializer UNUSED = (out, shape, random) -> {
    throw new AssertionError("tests supply weights explicitly");
  };

  private TestModels() {}

  /**
   * A conv classifier with a dynamic batch, written so that several ops take a parameter as their first operand
   * (the case that would leave results in the parameters' manager without scoping): x[N,4,32,32] → Conv 3x3 (8
   * out, pads 1) → BatchNorm → Relu → scale·h (parameter first) → GlobalAveragePool → Flatten → Gemm(transB, 3
   * out) → Softmax = "probs".
   */
  static Graph convClassifier() {
    GraphBuilder b = new GraphBuilder("conv-classifier");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 4, 32, 32));
    Value h = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x,
        b.parameter("conv.weight", Shape.of(8, 4, 3, 3), ParamRole.WEIGHT, UNUSED),
        b.parameter("conv.bias", Shape.of(8), ParamRole.BIAS, UNUSED));
    h = b.apply(Op.BATCH_NORM, h, b.parameter("bn.weight", Shape.of(8), ParamRole.NORM_SCALE, UNUSED),
        b.parameter("bn.bias", Shape.of(8), ParamRole.NORM_BIAS, UNUSED),
        b.parameter("bn.running_mean", Shape.of(8), ParamRole.RUNNING_MEAN, UNUSED),
        b.parameter("bn.running_var", Shape.of(8), ParamRole.RUNNING_VAR, UNUSED));
    h = b.apply(Op.RELU, h);
    h = b.apply(Op.MUL, b.parameter("scale", Shape.of(8, 1, 1), ParamRole.LAYER_SCALE, UNUSED), h);
    h = b.apply(Op.GLOBAL_AVG_POOL, h);
    h = b.apply(Op.FLATTEN, h);
    h = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), h,
        b.parameter("fc.weight", Shape.of(3, 8), ParamRole.WEIGHT, UNUSED),
        b.parameter("fc.bias", Shape.of(3), ParamRole.BIAS, UNUSED));
    b.output("probs", b.apply(Op.SOFTMAX, h));
    return b.build();
  }

  /** Seeded uniform weights for every parameter of {@code graph}: in (0.5, 1.5) for variances, (−1, 1) otherwise. */
  static Weights randomWeights(Graph graph, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Tensor> m = new LinkedHashMap<>();
    graph.parameters().forEach(p -> m.put(p.name(), p.role() == ParamRole.RUNNING_VAR
        ? shifted(random(p.shape(), r), 1f) : random(p.shape(), r)));
    return Weights.of(m, "random(seed=" + seed + ")");
  }

  /** A float32 tensor of seeded uniform(−1, 1) values. */
  static Tensor random(Shape shape, SplittableRandom r) {
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (r.nextDouble() * 2 - 1);
    }
    return Tensor.of(shape, v);
  }

  private static Tensor shifted(Tensor t, float by) {
    float[] v = t.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      v[i] = v[i] / 2 + by;
    }
    return Tensor.of(t.shape(), v);
  }
}
