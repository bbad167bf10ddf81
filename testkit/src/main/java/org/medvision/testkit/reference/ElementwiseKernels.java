package org.medvision.testkit.reference;

import java.util.function.DoubleUnaryOperator;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Op;

/**
 * Elementwise ops. Binary ops broadcast multidirectionally; float add, subtract, multiply and divide of two float
 * operands are computed exactly as IEEE float32 does (a double result rounded once is the same value). Unary ops
 * evaluate their formula in double and round once.
 */
final class ElementwiseKernels {
  private static final double SQRT_HALF = Math.sqrt(0.5);
  private static final double SQRT_TWO_OVER_PI = Math.sqrt(2.0 / Math.PI);

  private ElementwiseKernels() {}

  /** ADD, SUB, MUL or DIV of {@code a} and {@code b} with broadcasting. */
  static NdArray binary(Op op, NdArray a, NdArray b) {
    int[] shape = Broadcasting.shape(a.shape, b.shape);
    NdArray out = NdArray.zeros(shape);
    StridedIndex it = new StridedIndex(shape, Broadcasting.strides(a.shape, shape),
        Broadcasting.strides(b.shape, shape));
    for (int i = 0; i < out.data.length; i++) {
      float x = a.data[it.offset(0)];
      float y = b.data[it.offset(1)];
      out.data[i] = apply(op, x, y);
      it.next();
    }
    return out;
  }

  private static float apply(Op op, float x, float y) {
    switch (op) {
      case ADD: return x + y;
      case SUB: return x - y;
      case MUL: return x * y;
      case DIV: return x / y;
      default: throw new MedvisionException("not a binary elementwise op: " + op.irName());
    }
  }

  /** min(max(v, min), max) elementwise; NaN stays NaN. */
  static NdArray clip(NdArray x, float min, float max) {
    return map(x, v -> Math.min(Math.max(v, min), max));
  }

  /** RELU, SIGMOID, ERF, SQRT, ABS, TANH or GELU (with {@code approximate} "none" or "tanh"). */
  static NdArray unary(Op op, NdArray x, String approximate) {
    return map(x, function(op, approximate));
  }

  private static DoubleUnaryOperator function(Op op, String approximate) {
    switch (op) {
      case RELU: return v -> Double.isNaN(v) || v > 0 ? v : 0.0;
      case SIGMOID: return ElementwiseKernels::sigmoid;
      case ERF: return ErrorFunction::erf;
      case SQRT: return Math::sqrt;
      case ABS: return Math::abs;
      case TANH: return Math::tanh;
      case GELU:
        if (approximate.equals("none")) {
          return v -> 0.5 * v * (1.0 + ErrorFunction.erf(v * SQRT_HALF));
        }
        if (approximate.equals("tanh")) {
          return v -> 0.5 * v * (1.0 + Math.tanh(SQRT_TWO_OVER_PI * (v + 0.044715 * v * v * v)));
        }
        throw new MedvisionException(
            "gelu attribute approximate must be \"none\" or \"tanh\", got \"" + approximate + "\"");
      default: throw new MedvisionException("not a unary elementwise op: " + op.irName());
    }
  }

  /** 1/(1+e^−v), written so that neither branch overflows. */
  private static double sigmoid(double v) {
    if (v >= 0) {
      return 1.0 / (1.0 + Math.exp(-v));
    }
    double e = Math.exp(v);
    return e / (1.0 + e);
  }

  private static NdArray map(NdArray x, DoubleUnaryOperator f) {
    float[] out = new float[x.data.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) f.applyAsDouble(x.data[i]);
    }
    return new NdArray(x.shape, out);
  }
}
