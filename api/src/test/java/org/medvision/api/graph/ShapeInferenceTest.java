package org.medvision.api.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

class ShapeInferenceTest {
  private static Shape infer(Op op, Attributes attrs, Shape... inputs) {
    List<String> names = new ArrayList<>();
    List<ValueInfo> infos = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      names.add("in" + i);
      DType dtype = op == Op.CROSS_ENTROPY && i == 1 ? DType.INT64 : DType.FLOAT32; // class indices
      infos.add(new ValueInfo("in" + i, dtype, inputs[i]));
    }
    Node node = new Node("n", op, names, List.of("out"), attrs);
    return ShapeInference.infer(node, infos).get(0).shape();
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  @Test
  void convolutionOutputSizes() {
    // ConvNeXt stem: 224 -> (224 - 4) / 4 + 1 = 56.
    assertEquals(Shape.of(-1, 96, 56, 56),
        infer(Op.CONV, attrs().set("strides", 4L, 4L).build(), Shape.of(-1, 3, 224, 224), Shape.of(96, 3, 4, 4)));
    // Depthwise 7x7, pad 3: size kept.
    assertEquals(Shape.of(2, 40, 9, 9), infer(Op.CONV, attrs().set("pads", 3L, 3L, 3L, 3L).set("group", 40L).build(),
        Shape.of(2, 40, 9, 9), Shape.of(40, 1, 7, 7)));
    // Dilation 2 with kernel 3 spans 5; asymmetric pads 1/0; stride 2: (11 + 1 - 5) / 2 + 1 = 4.
    assertEquals(Shape.of(1, 4, 4), infer(Op.CONV,
        attrs().set("dilations", 2L).set("pads", 1L, 0L).set("strides", 2L).build(),
        Shape.of(1, 3, 11), Shape.of(4, 3, 3)));
    // 3-D.
    assertEquals(Shape.of(1, 8, 4, 6, 6), infer(Op.CONV, attrs().set("pads", 1L, 1L, 1L, 1L, 1L, 1L).build(),
        Shape.of(1, 2, 4, 6, 6), Shape.of(8, 2, 3, 3, 3)));
  }

  @Test
  void convolutionRejectsChannelMismatchNamingNodeAndShapes() {
    GraphValidationException e = assertThrows(GraphValidationException.class,
        () -> infer(Op.CONV, Attributes.empty(), Shape.of(1, 3, 8, 8), Shape.of(4, 2, 3, 3)));
    assertTrue(e.getMessage().contains("node 'n' (conv)"), e.getMessage());
    assertTrue(e.getMessage().contains("[4, 2, 3, 3]"), e.getMessage());
  }

  @Test
  void poolingWithCeilModeAndPads() {
    // floor((7 - 2) / 2) + 1 = 3; ceil gives 4, and the last window starts at 6 < 7, so it is kept.
    assertEquals(Shape.of(1, 1, 3, 3), infer(Op.MAX_POOL, attrs().set("kernel_shape", 2L, 2L).set("strides", 2L, 2L)
        .build(), Shape.of(1, 1, 7, 7)));
    assertEquals(Shape.of(1, 1, 4, 4), infer(Op.MAX_POOL, attrs().set("kernel_shape", 2L, 2L).set("strides", 2L, 2L)
        .set("ceil_mode", 1L).build(), Shape.of(1, 1, 7, 7)));
    assertEquals(Shape.of(1, 1, 4, 4), infer(Op.AVG_POOL, attrs().set("kernel_shape", 3L, 3L).set("strides", 2L, 2L)
        .set("pads", 1L, 1L, 1L, 1L).build(), Shape.of(1, 1, 7, 7)));
    GraphValidationException wide = assertThrows(GraphValidationException.class, () -> infer(Op.AVG_POOL,
        attrs().set("kernel_shape", 1L).set("strides", 2L).set("pads", 0L, 1L).build(), Shape.of(1, 1, 2)));
    assertTrue(wide.getMessage().contains("must be smaller than kernel_shape"), wide.getMessage());
    assertEquals(Shape.of(-1, 5, 1, 1), infer(Op.GLOBAL_AVG_POOL, Attributes.empty(), Shape.of(-1, 5, 3, 9)));
  }

  @Test
  void matmulBroadcastsBatchesAndHandlesVectors() {
    assertEquals(Shape.of(4, 2, 3, 7), infer(Op.MATMUL, Attributes.empty(), Shape.of(4, 1, 3, 5),
        Shape.of(2, 5, 7)));
    assertEquals(Shape.of(3), infer(Op.MATMUL, Attributes.empty(), Shape.of(3, 5), Shape.of(5)));
    assertEquals(Shape.of(7), infer(Op.MATMUL, Attributes.empty(), Shape.of(5), Shape.of(5, 7)));
    assertThrows(GraphValidationException.class, () -> infer(Op.MATMUL, Attributes.empty(), Shape.of(3, 4),
        Shape.of(5, 7)));
    assertEquals(Shape.of(-1, 256), infer(Op.GEMM, attrs().set("transB", 1L).build(), Shape.of(-1, 768),
        Shape.of(256, 768), Shape.of(256)));
  }

  @Test
  void elementwiseBroadcasting() {
    assertEquals(Shape.of(2, 3, 4), infer(Op.ADD, Attributes.empty(), Shape.of(2, 1, 4), Shape.of(3, 1)));
    assertEquals(Shape.of(-1, 7, 7, 96), infer(Op.MUL, Attributes.empty(), Shape.of(-1, 7, 7, 96), Shape.of(96)));
    assertThrows(GraphValidationException.class, () -> infer(Op.SUB, Attributes.empty(), Shape.of(2, 3),
        Shape.of(4)));
  }

  @Test
  void reshapeSqueezeFlattenConcatTranspose() {
    assertEquals(Shape.of(-1, 768), infer(Op.RESHAPE, attrs().set("shape", 0L, -1L).build(),
        Shape.of(-1, 768, 1, 1)));
    assertEquals(Shape.of(6, 4), infer(Op.RESHAPE, attrs().set("shape", -1L, 4L).build(), Shape.of(2, 3, 4)));
    assertThrows(GraphValidationException.class, () -> infer(Op.RESHAPE, attrs().set("shape", 5L, -1L).build(),
        Shape.of(2, 3, 4)));
    assertEquals(Shape.of(-1, 768), infer(Op.SQUEEZE, attrs().set("axes", 2L).build(), Shape.of(-1, 768, 1)));
    assertThrows(GraphValidationException.class, () -> infer(Op.SQUEEZE, attrs().set("axes", 1L).build(),
        Shape.of(2, 3)));
    assertEquals(Shape.of(-1, 768, 1), infer(Op.UNSQUEEZE, attrs().set("axes", -1L).build(), Shape.of(-1, 768)));
    assertEquals(Shape.of(2, 60), infer(Op.FLATTEN, Attributes.empty(), Shape.of(2, 3, 4, 5)));
    assertEquals(Shape.of(-1, 8, 2), infer(Op.CONCAT, attrs().set("axis", 2L).build(), Shape.of(-1, 8, 1),
        Shape.of(-1, 8, 1)));
    assertEquals(Shape.of(-1, 7, 5, 3), infer(Op.TRANSPOSE, attrs().set("perm", 0L, 2L, 3L, 1L).build(),
        Shape.of(-1, 3, 7, 5)));
    assertThrows(GraphValidationException.class, () -> infer(Op.TRANSPOSE, attrs().set("perm", 0L, 0L).build(),
        Shape.of(2, 3)));
  }

  @Test
  void normalisationChecksParameterShapes() {
    assertEquals(Shape.of(2, 7, 7, 96), infer(Op.LAYER_NORM, Attributes.empty(), Shape.of(2, 7, 7, 96),
        Shape.of(96), Shape.of(96)));
    assertThrows(GraphValidationException.class, () -> infer(Op.LAYER_NORM, Attributes.empty(),
        Shape.of(2, 7, 7, 96), Shape.of(95)));
    assertThrows(GraphValidationException.class, () -> infer(Op.BATCH_NORM, Attributes.empty(), Shape.of(2, 8),
        Shape.of(8), Shape.of(8), Shape.of(8), Shape.of(7)));
  }

  @Test
  void lossesReduceToScalarsAndCheckTheirInputs() {
    List<ValueInfo> ce = List.of(new ValueInfo("logits", DType.FLOAT32, Shape.of(-1, 3)),
        new ValueInfo("labels", DType.INT64, Shape.of(-1)));
    Node node = new Node("loss", Op.CROSS_ENTROPY, List.of("logits", "labels"), List.of("loss"), Attributes.empty());
    ValueInfo out = ShapeInference.infer(node, ce).get(0);
    assertEquals(Shape.scalar(), out.shape());
    assertEquals(DType.FLOAT32, out.dtype());
    List<ValueInfo> floatLabels = List.of(ce.get(0), new ValueInfo("labels", DType.FLOAT32, Shape.of(-1)));
    GraphValidationException e = assertThrows(GraphValidationException.class,
        () -> ShapeInference.infer(node, floatLabels));
    assertTrue(e.getMessage().contains("input 1 'labels' must be int64 indices"), e.getMessage());
    assertThrows(GraphValidationException.class, () -> infer(Op.CROSS_ENTROPY, Attributes.empty(), Shape.of(4, 3),
        Shape.of(5)));
    assertEquals(Shape.scalar(), infer(Op.BCE_WITH_LOGITS, Attributes.empty(), Shape.of(4, 14), Shape.of(4, 14)));
    GraphValidationException weights = assertThrows(GraphValidationException.class, () -> infer(Op.CROSS_ENTROPY,
        Attributes.builder().set("class_weights", new float[] {1f, 2f}).build(), Shape.of(4, 3), Shape.of(4)));
    assertTrue(weights.getMessage().contains("class_weights has 2 values for 3 classes"), weights.getMessage());
    assertThrows(GraphValidationException.class, () -> infer(Op.MSE_LOSS, Attributes.empty(), Shape.of(4, 2),
        Shape.of(4, 3)));
    assertThrows(GraphValidationException.class, () -> infer(Op.SOFT_DICE, Attributes.empty(), Shape.of(4, 2),
        Shape.of(4, 2)));
    assertEquals(Shape.of(-1, 96, 7, 7), infer(Op.DROP_PATH, Attributes.empty(), Shape.of(-1, 96, 7, 7)));
  }
}
