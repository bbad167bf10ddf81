package org.medvision.io.image;

import org.medvision.api.MedvisionException;

/** An image file is missing, unreadable, not an image, or truncated; the message names the file. */
public class ImageReadException extends MedvisionException {
  /** Creates the exception. */
  public ImageReadException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public ImageReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
