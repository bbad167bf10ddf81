package org.medvision.api.task;

import java.util.List;

/**
 * One graph output and how to read it.
 *
 * @param name graph output name
 * @param kind what the numbers mean
 * @param labels class names, in output order
 */
public record OutputSpec(String name, Kind kind, List<String> labels) {
  /** Output meanings. */
  public enum Kind {
    /** Mutually exclusive class logits; softmax gives probabilities. */
    CLASS_LOGITS,
    /** Independent label logits; sigmoid gives probabilities. */
    MULTILABEL_LOGITS
  }

  /** Copies the labels. */
  public OutputSpec {
    labels = List.copyOf(labels);
  }
}
