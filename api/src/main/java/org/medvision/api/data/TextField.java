package org.medvision.api.data;

import java.util.Objects;

/**
 * Free text per example (a report sentence, a label description). It is not a tensor: it reaches the task through
 * {@link Example#text()}, and the task's preparation step turns it into token ids.
 *
 * @param name example key
 * @param column manifest column
 * @param required whether every row must have text
 */
public record TextField(String name, String column, boolean required) implements Field {
  /** Checks the name. */
  public TextField {
    Field.checkName(name);
    Objects.requireNonNull(column, "column");
  }
}
