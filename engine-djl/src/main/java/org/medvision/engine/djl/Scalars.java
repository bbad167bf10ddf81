package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic between an array and a Java number that stays correct under autograd. Every kernel uses these instead of
 * DJL's {@code add/sub/mul/div/pow(Number)}.
 *
 * <p>Why: DJL 0.36 turns the number into a rank-0 array backed by a Java direct buffer (libtorch's {@code from_blob},
 * no copy) and closes that array as soon as the operation returns. Autograd keeps some operands for the backward pass
 * (a product its other factor, a quotient its divisor, a power its exponent), so the backward pass then reads memory
 * whose only owner is a buffer the garbage collector may free, and that malloc soon hands out again: whenever a
 * collection fell between forward and backward, a gradient was scaled by whatever the memory held by then. That was
 * the intermittent NaN and the run-to-run forks of long training runs. Here the number becomes a rank-0 array that
 * libtorch allocates and reference-counts itself, so autograd's reference keeps it alive. Code that runs with
 * autograd off (the optimiser update, gradient scaling, checks) may use DJL's overloads: there the number is read
 * before the call returns. {@code GradientConformanceSuite#gradientsDoNotDependOnGarbageCollection} guards this.
 */
final class Scalars {
  private Scalars() {}

  /** {@code value} as a rank-0 array of {@code like}'s dtype, in its manager, in memory libtorch owns. */
  static NDArray like(NDArray like, double value) {
    return like.getManager().full(new Shape(), (float) value, like.getDataType());
  }

  /** x + value. */
  static NDArray add(NDArray x, double value) {
    return x.add(like(x, value));
  }

  /** x − value. */
  static NDArray sub(NDArray x, double value) {
    return x.sub(like(x, value));
  }

  /** x · value. */
  static NDArray mul(NDArray x, double value) {
    return x.mul(like(x, value));
  }

  /** x / value. */
  static NDArray div(NDArray x, double value) {
    return x.div(like(x, value));
  }

  /** x ^ value. */
  static NDArray pow(NDArray x, double value) {
    return x.pow(like(x, value));
  }
}
