package org.medvision.tasks.common;

import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/** Input checks shared by the blocks, so a wiring mistake names the layer rather than an anonymous IR node. */
final class InputChecks {
  private InputChecks() {}

  /**
   * Requires {@code x} to have rank {@code rank} (any rank at least 2 when {@code rank} is 0) and size {@code size}
   * (or a dynamic size) on {@code axis}.
   */
  static void require(String layer, Value x, int rank, int axis, long size, String expected) {
    Shape s = x.shape();
    boolean rankOk = rank == 0 ? s.rank() >= 2 : s.rank() == rank;
    if (!rankOk || (s.dim(axis) != Shape.DYNAMIC && s.dim(axis) != size)) {
      throw new MedvisionException("layer '" + layer + "' expects input " + expected + ", got " + s + " from '"
          + x.name() + "'");
    }
  }
}
