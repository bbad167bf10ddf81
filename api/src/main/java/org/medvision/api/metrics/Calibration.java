package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * Expected calibration error over equal-width bins of top-class confidence, with the per-bin data of a reliability
 * diagram.
 *
 * <p>Each sample contributes its confidence (the largest probability of its row, that of the predicted class) and
 * whether the prediction was right. With B bins, bin b (0-based) holds confidences in {@code (b/B, (b+1)/B]}, upper
 * edge inclusive; confidence 0 goes to bin 0. The float confidence is widened to double and compared with the
 * double edges {@code k/B}, so a value such as {@code 1f/15} that is just above the exact edge lands in the next
 * bin. ECE is {@code sum_b (n_b / N) * |accuracy_b - meanConfidence_b|}, empty bins contributing 0.
 */
public final class Calibration {
  /** The bin count used by {@link ClassificationMetrics}, as in Guo et al. 2017 and most papers since. */
  public static final int DEFAULT_BINS = 15;

  private final List<ReliabilityBin> bins;
  private final double expectedCalibrationError;

  private Calibration(List<ReliabilityBin> bins, double expectedCalibrationError) {
    this.bins = bins;
    this.expectedCalibrationError = expectedCalibrationError;
  }

  /**
   * Bins the predictions' top-class confidences into {@code binCount} equal-width bins.
   *
   * @throws MedvisionException if {@code binCount} is not positive
   */
  public static Calibration of(Predictions predictions, int binCount) {
    if (binCount < 1) {
      throw new MedvisionException("calibration: bin count must be at least 1, got " + binCount);
    }
    long[] count = new long[binCount];
    double[] confidenceSum = new double[binCount];
    long[] correct = new long[binCount];
    for (int i = 0; i < predictions.size(); i++) {
      double confidence = predictions.confidence(i);
      int b = binOf(confidence, binCount);
      count[b]++;
      confidenceSum[b] += confidence;
      if (predictions.predicted(i) == predictions.label(i)) {
        correct[b]++;
      }
    }
    List<ReliabilityBin> bins = new ArrayList<>(binCount);
    double ece = 0;
    for (int b = 0; b < binCount; b++) {
      double meanConfidence = count[b] == 0 ? Double.NaN : confidenceSum[b] / count[b];
      double accuracy = count[b] == 0 ? Double.NaN : (double) correct[b] / count[b];
      ReliabilityBin bin = new ReliabilityBin((double) b / binCount, (double) (b + 1) / binCount, count[b],
          meanConfidence, accuracy);
      bins.add(bin);
      ece += bin.calibrationGap(predictions.size());
    }
    return new Calibration(List.copyOf(bins), ece);
  }

  /** The 0-based bin of {@code confidence} in [0, 1]: the smallest b with {@code confidence <= (b+1)/binCount}. */
  static int binOf(double confidence, int binCount) {
    int b = (int) Math.ceil(confidence * binCount) - 1;
    b = Math.max(0, Math.min(binCount - 1, b));
    // The product can round across an edge; settle against the edges themselves.
    while (b > 0 && confidence <= (double) b / binCount) {
      b--;
    }
    while (b < binCount - 1 && confidence > (double) (b + 1) / binCount) {
      b++;
    }
    return b;
  }

  /** The expected calibration error, in [0, 1]. */
  public double expectedCalibrationError() {
    return expectedCalibrationError;
  }

  /** The bins in increasing confidence order, empty ones included. */
  public List<ReliabilityBin> bins() {
    return bins;
  }

  /** JSON-friendly view: {@code bins} (count), {@code binning}, {@code ece} and {@code reliability} (per bin). */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("bins", bins.size());
    m.put("binning", "equal-width over top-class confidence, bin b = (b/B, (b+1)/B]");
    m.put("ece", expectedCalibrationError);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (ReliabilityBin bin : bins) {
      rows.add(bin.toMap());
    }
    m.put("reliability", rows);
    return m;
  }
}
