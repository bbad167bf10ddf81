package org.medvision.api.pipeline;

import java.util.List;

/**
 * Objects found in an input field, e.g. microbleeds.
 *
 * @param detections the objects, most confident first
 * @param alignedTo the input field whose pixel coordinates the boxes use
 */
public record Detections(List<Detection> detections, String alignedTo) implements Prediction {
  /** Copies the list. */
  public Detections {
    detections = List.copyOf(detections);
  }
}
