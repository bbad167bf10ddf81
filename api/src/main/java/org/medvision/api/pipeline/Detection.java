package org.medvision.api.pipeline;

import org.medvision.api.tensor.Tensor;

/**
 * One detected object.
 *
 * @param box x1, y1, x2, y2 in the input field's preprocessed pixel coordinates
 * @param score confidence in [0, 1]
 * @param label class name
 * @param mask float32 {@code [h, w]} soft mask over the field's grid, or null when the detector makes none
 */
public record Detection(float[] box, float score, String label, Tensor mask) {
  /** Checks and copies the box. */
  public Detection {
    box = box.clone();
    if (box.length != 4) {
      throw new IllegalArgumentException("a box has 4 coordinates, got " + box.length);
    }
  }

  @Override
  public float[] box() {
    return box.clone();
  }
}
