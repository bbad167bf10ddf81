package org.medvision.api.registry;

import java.util.List;
import org.medvision.api.MedvisionException;

/** A lookup by a name no registered plugin has; the message lists the names that exist. */
public class UnknownNameException extends MedvisionException {
  private final List<String> available;

  /** Creates the exception; {@code hint} (may be empty) says what to add to get more names. */
  public UnknownNameException(String kind, String name, List<String> available, String hint) {
    super("unknown " + kind + " '" + name + "'; available: "
        + (available.isEmpty() ? "(none)" : String.join(", ", available)) + (hint.isEmpty() ? "" : ". " + hint));
    this.available = List.copyOf(available);
  }

  /** The names that do exist. */
  public List<String> available() {
    return available;
  }
}
