package org.medvision.runtime;

import java.util.Map;

/**
 * What a user asked for on top of a model file: a task, a variant and options (from {@code --set} and the legacy
 * flags), each of which must agree with what the model file records.
 *
 * @param task the task's registry name, or null when not given
 * @param variant the variant, or null when not given
 * @param options options the user set explicitly
 */
public record ModelRequest(String task, String variant, Map<String, String> options) {
  /** Copies the options. */
  public ModelRequest {
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /** Nothing asked: the model file's configuration as it is. */
  public static ModelRequest none() {
    return new ModelRequest(null, null, Map.of());
  }
}
