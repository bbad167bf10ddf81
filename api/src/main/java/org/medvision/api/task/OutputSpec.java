package org.medvision.api.task;

import java.util.List;

/**
 * One graph output and how to read it.
 *
 * @param name graph output name
 * @param kind what the numbers mean
 * @param labels class or label names in output order (empty for maps and images)
 * @param alignedTo for maps and images, the input field whose space they share; empty otherwise
 */
public record OutputSpec(String name, Kind kind, List<String> labels, String alignedTo) {
  /** Output meanings. */
  public enum Kind {
    /** Mutually exclusive class logits [N, K]; softmax gives probabilities. */
    CLASS_LOGITS,
    /** Independent label logits [N, K]; sigmoid gives probabilities. */
    MULTILABEL_LOGITS,
    /**
     * Values in [0, 1] over the space of an input field, [N, 1, d, h, w] or [N, 1, h, w] (e.g. an attention map on a
     * coarse grid covering the same extent as the field's tensor).
     */
    SPATIAL_MAP,
    /** A generated image [N, C, ...] in the space and value range of an input field. */
    IMAGE
  }

  /** Copies the labels. */
  public OutputSpec {
    labels = List.copyOf(labels);
    alignedTo = alignedTo == null ? "" : alignedTo;
  }

  /** An output of labelled logits. */
  public OutputSpec(String name, Kind kind, List<String> labels) {
    this(name, kind, labels, "");
  }

  /** A map or image output lying over input field {@code alignedTo}. */
  public static OutputSpec over(String name, Kind kind, String alignedTo) {
    return new OutputSpec(name, kind, List.of(), alignedTo);
  }
}
