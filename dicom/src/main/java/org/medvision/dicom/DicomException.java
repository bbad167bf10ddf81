package org.medvision.dicom;

import org.medvision.api.MedvisionException;

/**
 * A DICOM object could not be read, written or interpreted. Messages name the file (or stream), the tag and, for
 * parse errors, the byte offset of the element header or value that was wrong.
 */
public class DicomException extends MedvisionException {
  /** Creates an exception with a user-facing message. */
  public DicomException(String message) {
    super(message);
  }

  /** Creates an exception with a user-facing message and its cause. */
  public DicomException(String message, Throwable cause) {
    super(message, cause);
  }
}
