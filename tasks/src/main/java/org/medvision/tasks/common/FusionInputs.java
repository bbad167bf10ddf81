package org.medvision.tasks.common;

import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/** The input contract every fusion shares: at least {@code min} feature vectors, each [N, d] with one d. */
final class FusionInputs {
  private FusionInputs() {}

  /**
   * Checks the inputs and returns their common feature length d.
   *
   * @throws MedvisionException naming the fusion and the offending value
   */
  static int featureDim(String fusion, List<Value> features, int min) {
    if (features.size() < min) {
      throw new MedvisionException("fusion '" + fusion + "' needs at least " + min + " feature vectors, got "
          + features.size());
    }
    long d = Shape.DYNAMIC;
    for (Value f : features) {
      Shape s = f.shape();
      if (s.rank() != 2 || s.dim(1) == Shape.DYNAMIC || (d != Shape.DYNAMIC && s.dim(1) != d)) {
        throw new MedvisionException("fusion '" + fusion + "' needs [N, d] inputs of one known d; '" + f.name()
            + "' is " + s + (d == Shape.DYNAMIC ? "" : " where d = " + d));
      }
      d = s.dim(1);
    }
    return Math.toIntExact(d);
  }
}
