package org.medvision.api.weights;

import java.util.Optional;
import org.medvision.api.MedvisionException;

/**
 * A weights file that breaks its format's rules: a bad header, an impossible shape, offsets that overlap, leave gaps
 * or run past the end of the file. The message names the file and, where the problem belongs to one tensor, that
 * tensor.
 */
public class WeightsFormatException extends MedvisionException {
  private final String source;
  private final String tensor;

  /**
   * Creates the exception.
   *
   * @param source the file (or other source) being read or written
   * @param tensor the tensor the problem belongs to, or {@code null} for a file-level problem
   * @param problem what is wrong, e.g. "data_offsets [0, 12] hold 12 bytes but F32 [2, 2] needs 16"
   */
  public WeightsFormatException(String source, String tensor, String problem) {
    super(message(source, tensor, problem));
    this.source = source;
    this.tensor = tensor;
  }

  /**
   * Creates the exception with the underlying cause (e.g. the JSON parser's error).
   *
   * @param source the file (or other source) being read or written
   * @param tensor the tensor the problem belongs to, or {@code null} for a file-level problem
   * @param problem what is wrong
   * @param cause the underlying error
   */
  public WeightsFormatException(String source, String tensor, String problem, Throwable cause) {
    super(message(source, tensor, problem), cause);
    this.source = source;
    this.tensor = tensor;
  }

  private static String message(String source, String tensor, String problem) {
    return "safetensors " + source + (tensor == null ? "" : ", tensor '" + tensor + "'") + ": " + problem;
  }

  /** The file or other source the problem was found in. */
  public String source() {
    return source;
  }

  /** The tensor the problem belongs to; empty for file-level problems such as a bad header length. */
  public Optional<String> tensor() {
    return Optional.ofNullable(tensor);
  }
}
