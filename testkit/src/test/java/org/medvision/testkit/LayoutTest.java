package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.medvision.testkit.OneNodeGraphs.count;
import static org.medvision.testkit.OneNodeGraphs.run;
import static org.medvision.testkit.OneNodeGraphs.t;

import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** Reshape, Transpose, Concat, Squeeze, Unsqueeze and Flatten. */
class LayoutTest {
  private static final Tensor X = t(count(24), 2, 3, 4);

  @Test
  void reshapeCopiesZerosAndInfersMinusOne() {
    Tensor y = run(Op.RESHAPE, Attributes.builder().set("shape", 0L, -1L).build(), X);
    assertEquals(Shape.of(2, 12), y.shape());
    assertArrayEquals(X.toFloatArray(), y.toFloatArray());
  }

  @Test
  void transposeDefaultReversesAndPermMoves() {
    Tensor y = run(Op.TRANSPOSE, t(count(6), 2, 3));
    assertEquals(Shape.of(3, 2), y.shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, y.toFloatArray());
    Tensor z = run(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 1L).build(), t(count(6), 1, 2, 3));
    assertEquals(Shape.of(1, 3, 2), z.shape());
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, z.toFloatArray());
    Tensor r = run(Op.TRANSPOSE, Attributes.builder().set("perm", 2L, 0L, 1L).build(), X);
    assertEquals(Shape.of(4, 2, 3), r.shape());
    // r[k][i][j] = X[i][j][k] = 12i + 4j + k + 1; check r[3][1][2] = 12 + 8 + 3 + 1.
    assertEquals(24f, r.toFloatArray()[3 * 6 + 1 * 3 + 2]);
  }

  @Test
  void concatAlongAnAxisAndANegativeAxis() {
    Tensor a = t(new float[] {1, 2}, 2, 1);
    Tensor b = t(new float[] {3, 4, 5, 6}, 2, 2);
    assertArrayEquals(new float[] {1, 3, 4, 2, 5, 6},
        run(Op.CONCAT, Attributes.builder().set("axis", 1L).build(), a, b).toFloatArray());
    Tensor c = run(Op.CONCAT, Attributes.builder().set("axis", -2L).build(), b, b);
    assertEquals(Shape.of(4, 2), c.shape());
    assertArrayEquals(new float[] {3, 4, 5, 6, 3, 4, 5, 6}, c.toFloatArray());
  }

  @Test
  void squeezeUnsqueezeFlattenOnlyChangeTheShape() {
    Tensor x = t(count(6), 1, 3, 1, 2);
    assertEquals(Shape.of(3, 2), run(Op.SQUEEZE, x).shape());
    assertEquals(Shape.of(1, 3, 2), run(Op.SQUEEZE, Attributes.builder().set("axes", new long[] {-2}).build(), x)
        .shape());
    assertEquals(Shape.of(1, 2, 3, 4, 1),
        run(Op.UNSQUEEZE, Attributes.builder().set("axes", 0L, -1L).build(), X).shape());
    assertEquals(Shape.of(6, 4), run(Op.FLATTEN, Attributes.builder().set("axis", -1L).build(), X).shape());
    assertEquals(Shape.of(1, 24), run(Op.FLATTEN, Attributes.builder().set("axis", 0L).build(), X).shape());
    assertEquals(Shape.of(24, 1), run(Op.FLATTEN, Attributes.builder().set("axis", 3L).build(), X).shape());
    assertArrayEquals(X.toFloatArray(), run(Op.FLATTEN, X).toFloatArray());
  }
}
