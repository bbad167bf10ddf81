package org.medvision.testkit.reference;

import java.util.Arrays;

/**
 * ONNX {@code MatMul} (numpy semantics with batch broadcasting) and {@code Gemm}. Every dot product accumulates exact
 * float×float products in double and is rounded to float once.
 */
final class MatrixKernels {
  private MatrixKernels() {}

  /**
   * The numpy matrix product. A rank-1 left operand is read as a row [1, K] and a rank-1 right operand as a column
   * [K, 1]; the axis added for either is removed from the result. Leading (batch) axes broadcast.
   */
  static NdArray matmul(NdArray a, NdArray b) {
    int[] as = a.rank() == 1 ? new int[] {1, a.shape[0]} : a.shape;
    int[] bs = b.rank() == 1 ? new int[] {b.shape[0], 1} : b.shape;
    int m = as[as.length - 2];
    int k = as[as.length - 1];
    int n = bs[bs.length - 1];
    if (bs[bs.length - 2] != k) {
      throw new IllegalArgumentException(
          "inner dimensions differ: " + Arrays.toString(a.shape) + " x " + Arrays.toString(b.shape));
    }
    int[] batchA = Arrays.copyOf(as, as.length - 2);
    int[] batchB = Arrays.copyOf(bs, bs.length - 2);
    int[] batch = Broadcasting.shape(batchA, batchB);
    int batches = NdArray.size(batch);
    StridedIndex it = new StridedIndex(batch, Broadcasting.strides(batchA, batch),
        Broadcasting.strides(batchB, batch));
    float[] out = new float[batches * m * n];
    for (int p = 0; p < batches; p++) {
      int aBase = it.offset(0) * m * k;
      int bBase = it.offset(1) * k * n;
      int oBase = p * m * n;
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double acc = 0.0;
          for (int q = 0; q < k; q++) {
            acc += (double) a.data[aBase + i * k + q] * b.data[bBase + q * n + j];
          }
          out[oBase + i * n + j] = (float) acc;
        }
      }
      it.next();
    }
    int[] shape = Arrays.copyOf(batch, batch.length + (a.rank() > 1 ? 1 : 0) + (b.rank() > 1 ? 1 : 0));
    int next = batch.length;
    if (a.rank() > 1) {
      shape[next++] = m;
    }
    if (b.rank() > 1) {
      shape[next] = n;
    }
    return new NdArray(shape, out);
  }

  /**
   * Y = alpha·A'·B' + beta·C for 2-D A and B, where A' and B' are optionally transposed and C (may be null)
   * broadcasts to [M, N]. The product, the scaling and the addition are done in double and rounded once.
   */
  static NdArray gemm(NdArray a, NdArray b, NdArray c, float alpha, float beta, boolean transA, boolean transB) {
    int m = transA ? a.shape[1] : a.shape[0];
    int k = transA ? a.shape[0] : a.shape[1];
    int n = transB ? b.shape[0] : b.shape[1];
    int aRow = transA ? 1 : k;
    int aCol = transA ? m : 1;
    int bRow = transB ? 1 : n;
    int bCol = transB ? k : 1;
    int[] shape = {m, n};
    float[] out = new float[m * n];
    int[] cStrides = c == null ? null : Broadcasting.strides(c.shape, shape);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double acc = 0.0;
        for (int q = 0; q < k; q++) {
          acc += (double) a.data[i * aRow + q * aCol] * b.data[q * bRow + j * bCol];
        }
        double y = alpha * acc;
        if (c != null) {
          y += (double) beta * c.data[i * cStrides[0] + j * cStrides[1]];
        }
        out[i * n + j] = (float) y;
      }
    }
    return new NdArray(shape, out);
  }
}
