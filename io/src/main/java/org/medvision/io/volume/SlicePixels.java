package org.medvision.io.volume;

import java.io.IOException;

/**
 * Supplies one slice's pixels on demand, so series geometry can be checked before any pixel data is decoded.
 */
@FunctionalInterface
public interface SlicePixels {
  /**
   * The slice's rescaled pixel values (e.g. Hounsfield units), {@code rows * columns} floats, column index fastest
   * (DICOM's order). The caller owns the returned array.
   *
   * @throws IOException if the pixel data cannot be read or decoded
   */
  float[] load() throws IOException;
}
