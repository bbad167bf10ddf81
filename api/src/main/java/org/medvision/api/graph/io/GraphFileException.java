package org.medvision.api.graph.io;

import org.medvision.api.MedvisionException;

/**
 * A {@code .graph} file that cannot be read or written: not a safetensors file, a safetensors file without a graph,
 * a newer format version, malformed graph JSON, or a graph or weights that break the IR's rules. The message names
 * the file and, where the problem has one, the JSON location, node, parameter or tensor.
 */
public class GraphFileException extends MedvisionException {
  /** A problem with no underlying cause. */
  public GraphFileException(String message) {
    super(message);
  }

  /** A problem found by another reader (the safetensors decoder, the JSON parser, the graph validator). */
  public GraphFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
