package org.medvision.engine.onnx.importer;

import java.util.List;
import org.medvision.api.MedvisionException;

/**
 * An ONNX model or tensor file that is malformed: not ONNX at all, an initializer whose data disagrees with its
 * shape, a graph input without a shape. The message lists every problem found, each naming its file, node or tensor.
 */
public class OnnxImportException extends MedvisionException {
  private final List<String> problems;

  /** One problem. */
  public OnnxImportException(String problem) {
    this(List.of(problem));
  }

  /** One problem with its underlying cause. */
  public OnnxImportException(String problem, Throwable cause) {
    super(problem, cause);
    this.problems = List.of(problem);
  }

  /** Several problems, reported together. */
  public OnnxImportException(List<String> problems) {
    this("cannot import ONNX model", problems);
  }

  /** Several problems under a heading such as {@code "cannot import model.onnx"}. */
  protected OnnxImportException(String heading, List<String> problems) {
    super(problems.size() == 1 ? heading + ": " + problems.get(0)
        : heading + ", " + problems.size() + " problems:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem on its own. */
  public List<String> problems() {
    return problems;
  }
}
