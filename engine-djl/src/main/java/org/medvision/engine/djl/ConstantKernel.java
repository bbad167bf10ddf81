package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.medvision.api.graph.Attributes;

/**
 * The IR's {@link org.medvision.api.graph.Op#CONSTANT}: its attribute values as an array in memory that libtorch owns.
 *
 * <p>Why a copy: DJL creates an array from Java values as libtorch's {@code from_blob} over a direct buffer, which only
 * the Java array object keeps alive. Autograd saves a constant that a differentiable op reads (the factor of a
 * product), so the backward pass must not depend on a Java object's lifetime: the same hazard {@link Scalars}
 * documents, and {@code GradientConformanceSuite#gradientsDoNotDependOnGarbageCollection} guards. The borrowed array is
 * cloned by libtorch and released at once; the clone is reference-counted by libtorch, so autograd's reference keeps it
 * alive.
 */
final class ConstantKernel {
  private ConstantKernel() {}

  /** The node's {@code value} under its {@code shape}, owned by the run's scope and by libtorch's refcount. */
  static NDArray array(OpContext ctx) {
    Attributes a = ctx.node().attributes();
    float[] values = (float[]) a.raw("value").orElseThrow();
    Shape shape = new Shape(a.getInts("shape"));
    try (NDManager borrowed = ctx.scope().newSubManager()) {
      NDArray owned = borrowed.create(values, shape).duplicate();
      owned.attach(ctx.scope());
      return owned;
    }
  }
}
