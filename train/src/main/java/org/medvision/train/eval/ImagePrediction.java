package org.medvision.train.eval;

import java.nio.file.Path;
import java.util.Objects;
import org.medvision.api.MedvisionException;
import org.medvision.api.metrics.ConfusionMatrix;

/**
 * One evaluated image: its true class, the model's class probabilities and the arg-max prediction.
 *
 * @param path the image file, absolute and normalised so that prediction files can be matched by path
 * @param label true class index
 * @param probabilities one probability per class, in class order
 * @param predicted arg-max of {@code probabilities}, ties to the lowest index (as the metrics count it)
 */
public record ImagePrediction(Path path, int label, float[] probabilities, int predicted) {
  /**
   * Normalises the path, copies the probabilities and checks that the indices lie in range.
   *
   * @throws MedvisionException if {@code label} or {@code predicted} is not a class index
   */
  public ImagePrediction {
    path = Objects.requireNonNull(path, "path").toAbsolutePath().normalize();
    probabilities = probabilities.clone();
    if (label < 0 || label >= probabilities.length || predicted < 0 || predicted >= probabilities.length) {
      throw new MedvisionException("prediction for " + path + ": label " + label + " and prediction " + predicted
          + " must be class indices below " + probabilities.length);
    }
  }

  /** The prediction for {@code probabilities} by arg-max, ties to the lowest index. */
  public static ImagePrediction of(Path path, int label, float[] probabilities) {
    return new ImagePrediction(path, label, probabilities, ConfusionMatrix.argmax(probabilities));
  }

  /** A copy of the probabilities. */
  @Override
  public float[] probabilities() {
    return probabilities.clone();
  }

  /** Whether the prediction is the true class. */
  public boolean correct() {
    return predicted == label;
  }
}
