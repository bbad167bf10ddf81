package org.medvision.cli;

import org.medvision.api.MedvisionException;

/** The command line is wrong (exit code {@link ExitCodes#USAGE_ERROR}); the message says what to write instead. */
public class UsageException extends MedvisionException {
  /** Creates the exception. */
  public UsageException(String message) {
    super(message);
  }
}
