package org.medvision.dicom.pixel;

import org.medvision.api.MedvisionException;

/** Pixel data that cannot be decoded: malformed, inconsistent with its description, or in an unsupported encoding. */
public class PixelDecodingException extends MedvisionException {
  /** Creates an exception whose message names the frame, offset, transfer syntax or attribute that was wrong. */
  public PixelDecodingException(String message) {
    super(message);
  }

  /** Creates an exception with the codec's own error as the cause. */
  public PixelDecodingException(String message, Throwable cause) {
    super(message, cause);
  }
}
