package org.medvision.runtime.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of a batch job's results (see {@link PredictionSchema} for the columns).
 *
 * @param inputId the input's id
 * @param path where the input came from
 * @param studyUid DICOM Study Instance UID, or null
 * @param seriesUid DICOM Series Instance UID, or null
 * @param task the task's name
 * @param modelSha256 the weights' SHA-256
 * @param engine the engine's name
 * @param outputs the output columns by name: a {@link Float} per probability, a {@link String} per label or map path;
 *     null values for an error row
 * @param error why there is no prediction, or null
 */
public record PredictionRow(String inputId, String path, String studyUid, String seriesUid, String task,
    String modelSha256, String engine, Map<String, Object> outputs, String error) {
  /** Copies the outputs, keeping their order and nulls. */
  public PredictionRow {
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  /** Whether the row records a failure. */
  public boolean failed() {
    return error != null;
  }

  /** A probability column's value; null when absent or on an error row. */
  public Float probability(String column) {
    return (Float) outputs.get(column);
  }
}
