package org.medvision.train;

import org.medvision.api.MedvisionException;

/** The training loss or gradient became NaN or infinite; the message names the epoch and batch. */
public class TrainingDivergedException extends MedvisionException {
  /** Creates the exception. */
  public TrainingDivergedException(String message) {
    super(message);
  }
}
