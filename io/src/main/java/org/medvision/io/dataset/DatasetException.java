package org.medvision.io.dataset;

import org.medvision.api.MedvisionException;

/** A manifest, folder layout, label or split is wrong; the message names the file and, for a manifest, the line. */
public class DatasetException extends MedvisionException {
  /** Creates the exception. */
  public DatasetException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
