package org.medvision.api.pipeline;

import org.medvision.api.tensor.Tensor;

/**
 * A map of values in [0, 1] over the space of an input field (an attention or saliency map, a soft segmentation), on
 * its own grid: float32 {@code [d, h, w]} for a volume field or {@code [h, w]} for an image field. The grid covers the
 * same extent as the field's preprocessed tensor, so a writer can bring it back onto the source image.
 *
 * @param values the map, without batch or channel axes
 * @param alignedTo the input field it lies over
 */
public record SpatialMap(Tensor values, String alignedTo) implements Prediction {
  /** Checks the rank. */
  public SpatialMap {
    int r = values.shape().rank();
    if (r != 2 && r != 3) {
      throw new IllegalArgumentException("a spatial map is [h, w] or [d, h, w], got " + values.shape());
    }
  }
}
