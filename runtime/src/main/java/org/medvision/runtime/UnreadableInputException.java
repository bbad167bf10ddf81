package org.medvision.runtime;

import org.medvision.api.MedvisionException;

/**
 * An input that cannot be read or decoded for the model (a damaged file, an image format or pixel layout the readers
 * refuse), as opposed to a model or engine failure on an input that was read: a batch job records it against the input
 * and goes on, while a model failure on a readable input means the model does not fit the inputs.
 */
public final class UnreadableInputException extends MedvisionException {
  private static final long serialVersionUID = 1L;

  /** An input failure; {@code message} names the input. */
  public UnreadableInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
