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
import org.medvision.testkit.fixtures.RandomTensors;

/** Convolution against hand-computed values and against independent formulations. */
class ConvolutionTest {
  /** x = 1..9 as a 3x3 image; w = [[1,2],[3,4]]. */
  private static final Tensor X = t(count(9), 1, 1, 3, 3);
  private static final Tensor W = t(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);

  @Test
  void validConvolutionWithBias() {
    // out[0,0] = 1·1 + 2·2 + 4·3 + 5·4 = 37, then +0.5 bias; the other windows likewise.
    Tensor y = run(Op.CONV, X, W, t(new float[] {0.5f}, 1));
    assertEquals(Shape.of(1, 1, 2, 2), y.shape());
    assertArrayEquals(new float[] {37.5f, 47.5f, 67.5f, 77.5f}, y.toFloatArray());
  }

  @Test
  void stride2WithPadding() {
    // Windows start at -1 and 1 on each axis: (0,0) sees only x00·w11 = 4; (0,1) sees 2·3 + 3·4 = 18;
    // (1,0) sees 4·2 + 7·4 = 36; (1,1) sees 5·1 + 6·2 + 8·3 + 9·4 = 77.
    Tensor y = run(Op.CONV, Attributes.builder().set("strides", 2L, 2L).set("pads", 1L, 1L, 1L, 1L).build(), X, W);
    assertArrayEquals(new float[] {4, 18, 36, 77}, y.toFloatArray());
  }

  @Test
  void asymmetricEndPadding() {
    // pads (0,0,1,1): a 3x3 output whose last row and column read the zero padding.
    Tensor y = run(Op.CONV, Attributes.builder().set("pads", 0L, 0L, 1L, 1L).build(), X, W);
    assertEquals(Shape.of(1, 1, 3, 3), y.shape());
    // out[0,2] = x02·1 + x12·3 = 3 + 18 = 21; out[2,0] = x20·1 + x21·2 = 7 + 16 = 23; out[2,2] = x22·1 = 9.
    float[] v = y.toFloatArray();
    assertEquals(37f, v[0]);
    assertEquals(21f, v[2]);
    assertEquals(23f, v[6]);
    assertEquals(9f, v[8]);
  }

  @Test
  void dilation() {
    // A 2x2 kernel with dilation 2 spans the corners: 1·1 + 3·2 + 7·3 + 9·4 = 64.
    Tensor y = run(Op.CONV, Attributes.builder().set("dilations", 2L, 2L).build(), X, W);
    assertEquals(Shape.of(1, 1, 1, 1), y.shape());
    assertArrayEquals(new float[] {64}, y.toFloatArray());
  }

  @Test
  void oneDimensionalCentralDifference() {
    // w = [1, 0, -1] with pads 1 gives x[i-1] - x[i+1], reading 0 beyond the ends.
    Tensor y = run(Op.CONV, Attributes.builder().set("pads", 1L, 1L).build(), t(count(5), 1, 1, 5),
        t(new float[] {1, 0, -1}, 1, 1, 3));
    assertArrayEquals(new float[] {-2, -2, -2, -2, 4}, y.toFloatArray());
  }

  @Test
  void threeDimensionalSum() {
    Tensor y = run(Op.CONV, t(count(8), 1, 1, 2, 2, 2), t(new float[] {1, 1, 1, 1, 1, 1, 1, 1}, 1, 1, 2, 2, 2));
    assertArrayEquals(new float[] {36}, y.toFloatArray());
  }

  @Test
  void depthwiseScalesEachChannelByItsOwnWeight() {
    Tensor y = run(Op.CONV, Attributes.builder().set("group", 2L).build(), t(count(8), 1, 2, 2, 2),
        t(new float[] {2, -1}, 2, 1, 1, 1));
    assertArrayEquals(new float[] {2, 4, 6, 8, -5, -6, -7, -8}, y.toFloatArray());
  }

  @Test
  void groupedConvolutionEqualsConcatenatedPerGroupConvolutions() {
    RandomTensors r = new RandomTensors(11);
    int groups = 3;
    Tensor x = r.uniform(Shape.of(2, 6, 7, 5));
    Tensor w = r.uniform(Shape.of(9, 2, 3, 3));
    Attributes geometry = Attributes.builder().set("strides", 2L, 1L).set("pads", 1L, 0L, 0L, 2L).build();
    Tensor grouped = run(Op.CONV, Attributes.builder().set("strides", 2L, 1L).set("pads", 1L, 0L, 0L, 2L)
        .set("group", (long) groups).build(), x, w);
    Tensor[] parts = new Tensor[groups];
    for (int g = 0; g < groups; g++) {
      parts[g] = run(Op.CONV, geometry, channels(x, 2 * g, 2), slice0(w, 3 * g, 3));
    }
    Tensor concatenated = run(Op.CONCAT, Attributes.builder().set("axis", 1L).build(), parts);
    assertEquals(concatenated.shape(), grouped.shape());
    // Each output element sums the same exact products in the same order, so the results agree bit for bit.
    assertArrayEquals(concatenated.toFloatArray(), grouped.toFloatArray());
  }

  @Test
  void pointwiseConvolutionEqualsMatmulInChannelsLastLayout() {
    RandomTensors r = new RandomTensors(12);
    Tensor x = r.uniform(Shape.of(2, 5, 4, 3));
    Tensor w = r.uniform(Shape.of(6, 5, 1, 1));
    Tensor conv = run(Op.CONV, x, w);
    Tensor nhwc = run(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 3L, 1L).build(), x);
    Tensor wt = run(Op.TRANSPOSE, w.reshape(Shape.of(6, 5)));
    Tensor product = run(Op.MATMUL, nhwc, wt);
    Tensor back = run(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 3L, 1L, 2L).build(), product);
    assertEquals(conv.shape(), back.shape());
    assertArrayEquals(conv.toFloatArray(), back.toFloatArray());
  }

  /** Channels [from, from+n) of an NCHW tensor. */
  private static Tensor channels(Tensor x, int from, int n) {
    long[] d = x.shape().dims();
    float[] v = x.toFloatArray();
    int plane = (int) (d[2] * d[3]);
    float[] out = new float[(int) d[0] * n * plane];
    for (int b = 0; b < d[0]; b++) {
      System.arraycopy(v, (int) ((b * d[1] + from) * plane), out, b * n * plane, n * plane);
    }
    return Tensor.of(Shape.of(d[0], n, d[2], d[3]), out);
  }

  /** Rows [from, from+n) along axis 0. */
  private static Tensor slice0(Tensor w, int from, int n) {
    long[] d = w.shape().dims();
    int row = (int) (w.size() / d[0]);
    float[] out = new float[n * row];
    System.arraycopy(w.toFloatArray(), from * row, out, 0, n * row);
    d[0] = n;
    return Tensor.of(Shape.of(d), out);
  }
}
