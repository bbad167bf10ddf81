package org.medvision.api.graph;

import java.util.List;
import org.medvision.api.MedvisionException;

/** A graph that breaks the IR's rules; the message lists every problem found, each naming its node or value. */
public class GraphValidationException extends MedvisionException {
  private final List<String> problems;

  /** One problem. */
  public GraphValidationException(String problem) {
    this(List.of(problem));
  }

  /** Several problems, reported together. */
  public GraphValidationException(List<String> problems) {
    super(problems.size() == 1 ? "invalid graph: " + problems.get(0)
        : "invalid graph, " + problems.size() + " problems:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own. */
  public List<String> problems() {
    return problems;
  }
}
