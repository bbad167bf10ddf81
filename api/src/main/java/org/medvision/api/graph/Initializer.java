package org.medvision.api.graph;

import java.util.SplittableRandom;
import org.medvision.api.tensor.Shape;

/**
 * Fills a parameter's initial values for training from scratch. Implementations are pure functions of the shape and
 * the random stream, so a seed reproduces every value.
 */
@FunctionalInterface
public interface Initializer {
  /**
   * Fills {@code out} (row-major, {@code shape.size()} values).
   *
   * @param out destination
   * @param shape the parameter's shape (PyTorch layout)
   * @param random the stream to draw from; deterministic given the seed
   */
  void fill(float[] out, Shape shape, SplittableRandom random);
}
