package org.medvision.api.engine;

import org.medvision.api.MedvisionException;

/** An engine could not load, compile or run: a missing native library, an unmet device, a runtime failure. */
public class EngineException extends MedvisionException {
  /** Creates the exception. */
  public EngineException(String message) {
    super(message);
  }

  /** Creates the exception with its cause. */
  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
