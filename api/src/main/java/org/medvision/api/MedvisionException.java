package org.medvision.api;

/**
 * Base of every error medvision raises on purpose.
 *
 * <p>Messages are written for the person at the terminal: they name the file, tensor, node or option that was
 * wrong and, where one exists, what would have been accepted. The CLI prints {@link #getMessage()} as a one-line
 * error and shows the stack trace only with {@code --verbose}.
 */
public class MedvisionException extends RuntimeException {
  /** Creates an exception with a user-facing message. */
  public MedvisionException(String message) {
    super(message);
  }

  /** Creates an exception with a user-facing message and the underlying cause. */
  public MedvisionException(String message, Throwable cause) {
    super(message, cause);
  }
}
