package org.medvision.io.volume;

import java.util.List;
import org.medvision.api.MedvisionException;

/** A series cannot be turned into a volume; the message and {@link #findings()} say why and name the slices. */
public class SeriesAssemblyException extends MedvisionException {
  private final List<Finding> findings;

  /** Creates the exception with the findings that prevented assembly (may be empty for I/O failures). */
  public SeriesAssemblyException(String message, List<Finding> findings) {
    super(message);
    this.findings = List.copyOf(findings);
  }

  /** Creates the exception for a failure with an underlying cause, such as unreadable pixel data. */
  public SeriesAssemblyException(String message, Throwable cause) {
    super(message, cause);
    this.findings = List.of();
  }

  /** The findings behind the failure; empty when the cause was not geometric. */
  public List<Finding> findings() {
    return findings;
  }
}
