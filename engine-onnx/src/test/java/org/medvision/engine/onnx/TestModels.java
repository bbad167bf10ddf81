package org.medvision.engine.onnx;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Initializer;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.testkit.engine.EngineTestModels;

/**
 * The small conv classifier this module's tests run (smaller than the other engines', and with metadata); seeded
 * weights and inputs for it come from {@link EngineTestModels}.
 */
final class TestModels {
  private static final Initializer UNUSED = EngineTestModels.SUPPLIED_WEIGHTS;

  private TestModels() {}

  /**
   * A conv block with a dynamic batch: x[N,2,5,5] -> Conv 3x3 (4 out, pads 1, bias) -> Relu -> GlobalAveragePool
   * -> Flatten -> Gemm(transB, 3 out) -> Softmax = "probs". Metadata task=demo.
   */
  static Graph convClassifier() {
    GraphBuilder b = new GraphBuilder("conv-classifier");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 2, 5, 5));
    Value w = b.parameter("conv.weight", Shape.of(4, 2, 3, 3), ParamRole.WEIGHT, UNUSED);
    Value bias = b.parameter("conv.bias", Shape.of(4), ParamRole.BIAS, UNUSED);
    Value h = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x, w, bias);
    h = b.apply(Op.RELU, h);
    h = b.apply(Op.GLOBAL_AVG_POOL, h);
    h = b.apply(Op.FLATTEN, h);
    Value fw = b.parameter("fc.weight", Shape.of(3, 4), ParamRole.WEIGHT, UNUSED);
    Value fb = b.parameter("fc.bias", Shape.of(3), ParamRole.BIAS, UNUSED);
    h = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), h, fw, fb);
    h = b.apply(Op.SOFTMAX, h);
    b.output("probs", h);
    b.metadata("task", "demo");
    return b.build();
  }
}
