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

/** Average, max and global pooling against hand-computed values. */
class PoolingTest {
  private static final Tensor X3 = t(count(9), 1, 1, 3, 3);

  private static Attributes.Builder pool(long... kernel) {
    return Attributes.builder().set("kernel_shape", kernel);
  }

  @Test
  void averageWithoutPadding() {
    Tensor y = run(Op.AVG_POOL, pool(2, 2).build(), X3);
    assertArrayEquals(new float[] {3, 4, 6, 7}, y.toFloatArray());
  }

  @Test
  void averageWithPaddingExcludedFromTheCount() {
    // Windows of 2x2 at stride 2 starting at -1: {1}, {2,3}, {4,7}, {5,6,8,9}.
    Tensor y = run(Op.AVG_POOL, pool(2, 2).set("strides", 2L, 2L).set("pads", 1L, 1L, 1L, 1L).build(), X3);
    assertArrayEquals(new float[] {1, 2.5f, 5.5f, 7}, y.toFloatArray());
  }

  @Test
  void averageWithPaddingIncludedInTheCount() {
    // Same windows, each divided by 4: 1/4, 5/4, 11/4, 28/4.
    Tensor y = run(Op.AVG_POOL, pool(2, 2).set("strides", 2L, 2L).set("pads", 1L, 1L, 1L, 1L)
        .set("count_include_pad", 1L).build(), X3);
    assertArrayEquals(new float[] {0.25f, 1.25f, 2.75f, 7}, y.toFloatArray());
  }

  @Test
  void averageInCeilModeCountsOnlyPositionsInsideThePaddedInput() {
    // 2x2 stride 2 on 3x3 with ceil_mode: windows {1,2,4,5}, {3,6}, {7,8}, {9}. The part of a window beyond the
    // input (there is no end padding) is not counted even with count_include_pad.
    float[] expected = {3, 4.5f, 7.5f, 9};
    for (long include = 0; include <= 1; include++) {
      Tensor y = run(Op.AVG_POOL, pool(2, 2).set("strides", 2L, 2L).set("ceil_mode", 1L)
          .set("count_include_pad", include).build(), X3);
      assertEquals(Shape.of(1, 1, 2, 2), y.shape());
      assertArrayEquals(expected, y.toFloatArray(), "count_include_pad=" + include);
    }
  }

  @Test
  void maxInCeilModeAddsThePartialWindows() {
    Tensor x = t(count(25), 1, 1, 5, 5);
    Tensor floor = run(Op.MAX_POOL, pool(2, 2).set("strides", 2L, 2L).build(), x);
    Tensor ceil = run(Op.MAX_POOL, pool(2, 2).set("strides", 2L, 2L).set("ceil_mode", 1L).build(), x);
    assertEquals(Shape.of(1, 1, 2, 2), floor.shape());
    assertArrayEquals(new float[] {7, 9, 17, 19}, floor.toFloatArray());
    assertEquals(Shape.of(1, 1, 3, 3), ceil.shape());
    assertArrayEquals(new float[] {7, 9, 10, 17, 19, 20, 22, 24, 25}, ceil.toFloatArray());
  }

  @Test
  void ceilModeDropsAWindowThatWouldStartInTheEndPadding() {
    // Extent 4, kernel 2, stride 3, pads 1: ceil((4+2-2)/3)+1 = 3 windows, but the third would start at 5, inside
    // the end padding, so there are 2 per axis.
    Tensor y = run(Op.MAX_POOL, pool(2, 2).set("strides", 3L, 3L).set("pads", 1L, 1L, 1L, 1L).set("ceil_mode", 1L)
        .build(), t(count(16), 1, 1, 4, 4));
    assertEquals(Shape.of(1, 1, 2, 2), y.shape());
    // Windows start at -1 and 2: {1}, {3,4}, {9,13}, {11,12,15,16}.
    assertArrayEquals(new float[] {1, 4, 13, 16}, y.toFloatArray());
  }

  @Test
  void maxPaddingNeverWins() {
    Tensor y = run(Op.MAX_POOL, pool(2, 2).set("pads", 1L, 1L, 1L, 1L).build(),
        t(new float[] {-1, -2, -3, -4}, 1, 1, 2, 2));
    assertArrayEquals(new float[] {-1, -1, -2, -1, -1, -2, -3, -3, -4}, y.toFloatArray());
  }

  @Test
  void maxWithDilation() {
    Tensor y = run(Op.MAX_POOL, pool(1, 2).set("dilations", 1L, 2L).build(),
        t(new float[] {1, 5, 2, 4, 3}, 1, 1, 1, 5));
    assertArrayEquals(new float[] {2, 5, 3}, y.toFloatArray());
  }

  @Test
  void maxOneAndThreeDimensional() {
    Tensor y1 = run(Op.MAX_POOL, pool(3).set("strides", new long[] {2}).build(),
        t(new float[] {3, 1, 4, 1, 5, 9, 2}, 1, 1, 7));
    assertArrayEquals(new float[] {4, 5, 9}, y1.toFloatArray());
    Tensor y3 = run(Op.MAX_POOL, pool(2, 2, 2).build(), t(count(8), 1, 1, 2, 2, 2));
    assertArrayEquals(new float[] {8}, y3.toFloatArray());
  }

  @Test
  void globalAverageKeepsSpatialAxesAsOnes() {
    Tensor y = run(Op.GLOBAL_AVG_POOL, t(count(8), 1, 2, 2, 2));
    assertEquals(Shape.of(1, 2, 1, 1), y.shape());
    assertArrayEquals(new float[] {2.5f, 6.5f}, y.toFloatArray());
    Tensor y3 = run(Op.GLOBAL_AVG_POOL, t(count(8), 1, 1, 2, 2, 2));
    assertEquals(Shape.of(1, 1, 1, 1, 1), y3.shape());
    assertArrayEquals(new float[] {4.5f}, y3.toFloatArray());
  }
}
