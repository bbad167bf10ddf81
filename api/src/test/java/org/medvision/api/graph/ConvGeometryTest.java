package org.medvision.api.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Output sizes and average-pool divisors worked out by hand. */
class ConvGeometryTest {
  private static ConvGeometry oneD(long kernel, long stride, long padBegin, long padEnd, boolean ceil) {
    return new ConvGeometry(new long[] {kernel}, new long[] {stride}, new long[] {padBegin}, new long[] {padEnd},
        new long[] {1}, ceil);
  }

  @Test
  void averageDivisorsCountPositionsInsideTheInputUnlessPaddingCounts() {
    // in 4, kernel 3, stride 1, pads 1/1 -> 4 windows: [-1,2) [0,3) [1,4) [2,5); inside the input 2, 3, 3, 2.
    ConvGeometry g = oneD(3, 1, 1, 1, false);
    assertEquals(4, g.outputSize(0, 4));
    assertArrayEquals(new float[] {1.5f, 1f, 1f, 1.5f}, g.averageWindowFactors(new long[] {4}, new long[] {4}, false));
    assertArrayEquals(new float[] {1f, 1f, 1f, 1f}, g.averageWindowFactors(new long[] {4}, new long[] {4}, true));
  }

  @Test
  void ceilModeWindowsPastThePaddingAreClipped() {
    // in 5, kernel 2, stride 2, ceil mode -> 3 windows [0,2) [2,4) [4,6): the last holds 1 position of 2.
    ConvGeometry g = oneD(2, 2, 0, 0, true);
    assertEquals(3, g.outputSize(0, 5));
    assertArrayEquals(new float[] {1f, 1f, 2f}, g.averageWindowFactors(new long[] {5}, new long[] {3}, false));
    // Counting padding counts only up to the padded end (no padding here), as PyTorch and ONNX do.
    assertArrayEquals(new float[] {1f, 1f, 2f}, g.averageWindowFactors(new long[] {5}, new long[] {3}, true));
  }

  @Test
  void twoAxesMultiply() {
    ConvGeometry g = new ConvGeometry(new long[] {3, 3}, new long[] {1, 1}, new long[] {1, 1}, new long[] {1, 1},
        new long[] {1, 1}, false);
    float[] f = g.averageWindowFactors(new long[] {2, 2}, new long[] {2, 2}, false);
    // Each 3x3 window over a 2x2 input padded by 1 holds 2 x 2 = 4 positions: 9 / 4.
    assertArrayEquals(new float[] {2.25f, 2.25f, 2.25f, 2.25f}, f);
  }
}
