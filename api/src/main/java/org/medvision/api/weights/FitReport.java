package org.medvision.api.weights;

import java.util.List;

/**
 * What a partial initialisation did, tensor by tensor, for the run's record.
 *
 * @param source the checkpoint
 * @param loaded parameters taken from it
 * @param initialized parameters it lacked, initialised at random
 * @param dropped tensors in it that the graph does not have
 */
public record FitReport(String source, List<String> loaded, List<String> initialized, List<String> dropped) {
  /** Copies the lists. */
  public FitReport {
    loaded = List.copyOf(loaded);
    initialized = List.copyOf(initialized);
    dropped = List.copyOf(dropped);
  }

  /** One line: counts and the first few names of each kind. */
  public String summary() {
    return "from " + source + ": " + loaded.size() + " tensor(s) loaded, " + initialized.size()
        + " initialised at random" + sample(initialized) + ", " + dropped.size() + " dropped" + sample(dropped);
  }

  private static String sample(List<String> names) {
    return names.isEmpty() ? "" : " (" + String.join(", ", names.subList(0, Math.min(4, names.size())))
        + (names.size() > 4 ? ", ..." : "") + ")";
  }
}
