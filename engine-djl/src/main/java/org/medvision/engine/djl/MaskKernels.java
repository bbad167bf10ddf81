package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.medvision.api.engine.EngineException;

/** Training-mode DROPOUT and DROP_PATH, with masks from the session's {@link MaskStream}. */
final class MaskKernels {
  private MaskKernels() {}

  /** Zeroes each element with probability {@code ratio} and scales the rest by 1/(1−ratio). */
  static NDArray dropout(OpContext ctx, NDArray x, float ratio) {
    checkRatio(ctx, ratio);
    if (ratio == 0f) {
      return x;
    }
    Shape shape = x.getShape();
    return x.mul(ctx.scope().create(ctx.masks().draw(shape.size(), ratio), shape));
  }

  /** Zeroes each sample (index along axis 0) with probability {@code ratio} and scales the rest by 1/(1−ratio). */
  static NDArray dropPath(OpContext ctx, NDArray x, float ratio) {
    checkRatio(ctx, ratio);
    if (ratio == 0f) {
      return x;
    }
    long[] perSample = new long[x.getShape().dimension()];
    Arrays.fill(perSample, 1);
    perSample[0] = x.getShape().get(0);
    return x.mul(ctx.scope().create(ctx.masks().draw(perSample[0], ratio), new Shape(perSample)));
  }

  private static void checkRatio(OpContext ctx, float ratio) {
    if (!(ratio >= 0f && ratio <= 1f)) {
      throw new EngineException(ctx.where() + ": ratio must be in [0, 1], got " + ratio);
    }
  }
}
