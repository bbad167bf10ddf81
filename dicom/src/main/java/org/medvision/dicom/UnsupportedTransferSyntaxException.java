package org.medvision.dicom;

/** A file uses a transfer syntax whose data set encoding this reader cannot parse (or the writer cannot produce). */
public class UnsupportedTransferSyntaxException extends DicomException {
  /** Creates the exception; the message names the file and the transfer syntax UID. */
  public UnsupportedTransferSyntaxException(String message) {
    super(message);
  }
}
