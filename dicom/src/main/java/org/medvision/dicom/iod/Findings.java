package org.medvision.dicom.iod;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;

/**
 * What a classification task found, as input to {@link StructuredReportWriter}.
 *
 * <p>Single-label findings (a softmax over classes, {@code threshold} NaN) have one predicted finding: the label with
 * the highest probability (the first on ties). Multi-label findings (independent label probabilities, e.g. sigmoids
 * over ChestX-ray14's 14 findings) have a threshold instead, and every label whose probability is at least the
 * threshold is a finding; there may be none. Provenance keys are free, but the keys named by the constants here get
 * standard or stated concept names; the design asks every result to carry task and version, engine and version,
 * weights SHA-256, device and seed.
 *
 * @param taskName the task's registry name, e.g. {@code strokenext}
 * @param labels class labels, distinct and non-empty
 * @param probabilities one probability in [0, 1] per label
 * @param threshold for multi-label findings the probability in [0, 1] from which a label is a finding; NaN for
 *     single-label findings
 * @param provenance provenance entries in report order, e.g. {@link #ENGINE} to {@code onnx}
 * @param sources the data sets of the images the task saw, all in one study
 */
public record Findings(String taskName, List<String> labels, List<Double> probabilities, double threshold,
    Map<String, String> provenance, List<DataSet> sources) {
  /** Provenance key of the model (architecture) name; reported as (111001, DCM, "Algorithm Name"). */
  public static final String MODEL = "model";
  /** Provenance key of the model version; reported as (111003, DCM, "Algorithm Version"). */
  public static final String MODEL_VERSION = "model.version";
  /** Provenance key of the task plugin's version. */
  public static final String TASK_VERSION = "task.version";
  /** Provenance key of the engine name. */
  public static final String ENGINE = "engine";
  /** Provenance key of the engine version. */
  public static final String ENGINE_VERSION = "engine.version";
  /** Provenance key of the SHA-256 of the weights, 64 hexadecimal digits. */
  public static final String WEIGHTS_SHA256 = "weights.sha256";
  /** Provenance key of the device, e.g. {@code cpu} or {@code cuda:0}. */
  public static final String DEVICE = "device";
  /** Provenance key of the random seed. */
  public static final String SEED = "seed";

  /**
   * Checks the findings and takes immutable copies.
   *
   * @throws DicomException naming the label or value that is wrong
   */
  public Findings {
    if (taskName == null || taskName.isBlank()) {
      throw new DicomException("findings need a task name");
    }
    labels = List.copyOf(labels);
    probabilities = List.copyOf(probabilities);
    provenance = Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    for (Map.Entry<String, String> entry : provenance.entrySet()) {
      if (entry.getKey() == null || entry.getKey().isBlank() || entry.getValue() == null) {
        throw new DicomException("task " + taskName + ": provenance entry '" + entry.getKey() + "' = '"
            + entry.getValue() + "' needs a key and a value");
      }
    }
    sources = List.copyOf(sources);
    if (labels.isEmpty() || labels.size() != probabilities.size()) {
      throw new DicomException("task " + taskName + ": " + labels.size() + " labels but " + probabilities.size()
          + " probabilities; give one probability per label");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      if (label == null || label.isBlank() || !seen.add(label)) {
        throw new DicomException("task " + taskName + ": label " + i + " '" + label + "' is empty or repeated");
      }
      double p = probabilities.get(i);
      if (!(p >= 0 && p <= 1)) {
        throw new DicomException("task " + taskName + ": probability " + p + " of label '" + label
            + "' is not in [0, 1]");
      }
    }
    if (sources.isEmpty()) {
      throw new DicomException("task " + taskName + ": findings need at least one source image to reference");
    }
    if (!Double.isNaN(threshold) && !(threshold >= 0 && threshold <= 1)) {
      throw new DicomException("task " + taskName + ": label threshold " + threshold + " is not in [0, 1]");
    }
  }

  /**
   * Single-label findings: the predicted finding is the most probable label.
   *
   * @throws DicomException naming the label or value that is wrong
   */
  public Findings(String taskName, List<String> labels, List<Double> probabilities, Map<String, String> provenance,
      List<DataSet> sources) {
    this(taskName, labels, probabilities, Double.NaN, provenance, sources);
  }

  /** Whether these are multi-label findings, with a threshold. */
  public boolean multiLabel() {
    return !Double.isNaN(threshold);
  }

  /**
   * The indices of the multi-label findings, the labels whose probability is at least the threshold, in label order.
   *
   * @throws IllegalStateException for single-label findings, which have {@link #predictedIndex()} instead
   */
  public List<Integer> presentIndices() {
    if (!multiLabel()) {
      throw new IllegalStateException("task " + taskName + ": single-label findings have a predicted label, not a "
          + "threshold");
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < probabilities.size(); i++) {
      if (probabilities.get(i) >= threshold) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * The index of the predicted label: the highest probability, the first one on ties. For multi-label findings this
   * is only the most probable label; the findings are {@link #presentIndices()}.
   */
  public int predictedIndex() {
    int best = 0;
    for (int i = 1; i < probabilities.size(); i++) {
      if (probabilities.get(i) > probabilities.get(best)) {
        best = i;
      }
    }
    return best;
  }

  /** The predicted label. */
  public String predictedLabel() {
    return labels.get(predictedIndex());
  }
}
