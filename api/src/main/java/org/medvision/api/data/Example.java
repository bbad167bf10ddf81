package org.medvision.api.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.tensor.Tensor;

/**
 * One decoded, preprocessed example: a tensor per field key (and derived keys such as {@code mask.present}), text
 * fields as strings.
 *
 * @param id the example's id, unique in its data set (the manifest row's first path, or the input's name)
 * @param patientId the patient, or null when unknown
 * @param where where it came from, for messages (manifest and line, or file)
 * @param tensors field key to tensor, without a batch axis
 * @param text text field name to value
 */
public record Example(String id, String patientId, String where, Map<String, Tensor> tensors,
    Map<String, String> text) {
  /** Copies the maps, keeping their order. */
  public Example {
    Objects.requireNonNull(id, "id");
    tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    text = Collections.unmodifiableMap(new LinkedHashMap<>(text));
  }

  /**
   * The tensor of {@code key}.
   *
   * @throws IllegalArgumentException naming the keys there are, when it has none
   */
  public Tensor tensor(String key) {
    Tensor t = tensors.get(key);
    if (t == null) {
      throw new IllegalArgumentException(where + ": example has no '" + key + "'; it has " + tensors.keySet());
    }
    return t;
  }

  /** This example with {@code key} set to {@code value}. */
  public Example with(String key, Tensor value) {
    Map<String, Tensor> m = new LinkedHashMap<>(tensors);
    m.put(key, value);
    return new Example(id, patientId, where, m, text);
  }
}
