package org.medvision.io.nifti;

import org.medvision.api.MedvisionException;

/**
 * A file is not NIfTI, is truncated, or holds a header field we cannot accept; the message names the file and the
 * field.
 */
public class NiftiFormatException extends MedvisionException {
  /** Creates the exception. */
  public NiftiFormatException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public NiftiFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
