package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.medvision.testkit.OneNodeGraphs.run;
import static org.medvision.testkit.OneNodeGraphs.t;

import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.testkit.fixtures.RandomTensors;

/** MatMul, Gemm and the broadcasting arithmetic ops against hand-computed values and each other. */
class MatrixAndElementwiseTest {
  private static final Tensor A = t(new float[] {1, 2, 3, 4}, 2, 2);
  private static final Tensor B = t(new float[] {5, 6, 7, 8}, 2, 2);

  @Test
  void matmulOfMatrices() {
    assertArrayEquals(new float[] {19, 22, 43, 50}, run(Op.MATMUL, A, B).toFloatArray());
  }

  @Test
  void matmulRankOneRules() {
    Tensor rowTimesMatrix = run(Op.MATMUL, t(new float[] {1, 2}, 2), B);
    assertEquals(Shape.of(2), rowTimesMatrix.shape());
    assertArrayEquals(new float[] {19, 22}, rowTimesMatrix.toFloatArray());
    Tensor matrixTimesColumn = run(Op.MATMUL, A, t(new float[] {5, 6}, 2));
    assertEquals(Shape.of(2), matrixTimesColumn.shape());
    assertArrayEquals(new float[] {17, 39}, matrixTimesColumn.toFloatArray());
    Tensor dot = run(Op.MATMUL, t(new float[] {1, 2, 3}, 3), t(new float[] {4, 5, 6}, 3));
    assertEquals(Shape.scalar(), dot.shape());
    assertArrayEquals(new float[] {32}, dot.toFloatArray());
  }

  @Test
  void matmulBroadcastsBatchAxes() {
    // a [2,1,1,2] holds rows (1,2) and (3,4); b [3,2,1] holds columns (1,1), (1,0), (0,1); out [2,3,1,1].
    Tensor y = run(Op.MATMUL, t(new float[] {1, 2, 3, 4}, 2, 1, 1, 2), t(new float[] {1, 1, 1, 0, 0, 1}, 3, 2, 1));
    assertEquals(Shape.of(2, 3, 1, 1), y.shape());
    assertArrayEquals(new float[] {3, 1, 2, 7, 3, 4}, y.toFloatArray());
  }

  @Test
  void gemmScalesAndBroadcastsC() {
    Tensor identity = t(new float[] {1, 0, 0, 1}, 2, 2);
    Tensor c = t(new float[] {10, 20}, 2);
    Attributes scaled = Attributes.builder().set("alpha", 2f).set("beta", 0.5f).build();
    // 2·A + 0.5·[10, 20] on every row.
    assertArrayEquals(new float[] {7, 14, 11, 18}, run(Op.GEMM, scaled, A, identity, c).toFloatArray());
    Attributes transA = Attributes.builder().set("alpha", 2f).set("beta", 0.5f).set("transA", 1L).build();
    assertArrayEquals(new float[] {7, 16, 9, 18}, run(Op.GEMM, transA, A, identity, c).toFloatArray());
    assertArrayEquals(new float[] {19, 22, 43, 50}, run(Op.GEMM, A, B).toFloatArray());
  }

  @Test
  void gemmWithTransBEqualsMatmulWithTransposedWeight() {
    RandomTensors r = new RandomTensors(21);
    Tensor x = r.uniform(Shape.of(7, 5));
    Tensor w = r.uniform(Shape.of(3, 5));
    Tensor gemm = run(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, w);
    Tensor matmul = run(Op.MATMUL, x, run(Op.TRANSPOSE, w));
    assertArrayEquals(matmul.toFloatArray(), gemm.toFloatArray());
  }

  @Test
  void broadcastingArithmetic() {
    Tensor m = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36},
        run(Op.ADD, m, t(new float[] {10, 20, 30}, 3)).toFloatArray());
    Tensor sub = run(Op.SUB, t(new float[] {1, 2, 3}, 3, 1), t(new float[] {10, 20}, 2));
    assertEquals(Shape.of(3, 2), sub.shape());
    assertArrayEquals(new float[] {-9, -19, -8, -18, -7, -17}, sub.toFloatArray());
    assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12}, run(Op.MUL, t(new float[] {2}, 1), m).toFloatArray());
    assertArrayEquals(new float[] {0.5f, 1, 1.5f, 0.4f, 0.5f, 0.6f},
        run(Op.DIV, m, t(new float[] {2, 10}, 2, 1)).toFloatArray());
  }

  @Test
  void unaryActivations() {
    Tensor x = t(new float[] {-1, 0, 2}, 3);
    assertArrayEquals(new float[] {0, 0, 2}, run(Op.RELU, x).toFloatArray());
    float ln3 = (float) Math.log(3);
    assertArrayEquals(new float[] {0.25f, 0.5f, 0.75f}, run(Op.SIGMOID, t(new float[] {-ln3, 0, ln3}, 3))
        .toFloatArray(), 1e-7f);
    Tensor g = t(new float[] {-1, 0, 1}, 3);
    // x·Φ(x): Φ(1) = 0.8413447460685429.
    assertArrayEquals(new float[] {-0.15865525393145707f, 0, 0.8413447460685429f}, run(Op.GELU, g).toFloatArray());
    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715x³))) at ±1.
    assertArrayEquals(new float[] {-0.15880800939172324f, 0, 0.8411919906082768f},
        run(Op.GELU, Attributes.builder().set("approximate", "tanh").build(), g).toFloatArray());
    assertArrayEquals(new float[] {-0.8427007929497149f, 0, 0.8427007929497149f}, run(Op.ERF, g).toFloatArray());
  }

  @Test
  void identityAndDropoutPassValuesThrough() {
    Tensor x = new RandomTensors(3).uniform(Shape.of(2, 3));
    assertArrayEquals(x.toFloatArray(), run(Op.IDENTITY, x).toFloatArray());
    assertArrayEquals(x.toFloatArray(),
        run(Op.DROPOUT, Attributes.builder().set("ratio", 0.9f).build(), x).toFloatArray());
  }
}
