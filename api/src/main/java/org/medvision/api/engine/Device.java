package org.medvision.api.engine;

import java.util.Locale;
import org.medvision.api.MedvisionException;

/**
 * Where a model runs: {@code cpu}, {@code cuda:N}, or {@code auto} (the best device the engine can use, which is
 * the only case allowed to fall back).
 *
 * @param kind the device kind
 * @param index device ordinal for CUDA, 0 otherwise
 */
public record Device(Kind kind, int index) {
  /** Device kinds. */
  public enum Kind {
    /** The host CPU. */
    CPU,
    /** An NVIDIA GPU through CUDA. */
    CUDA,
    /** Whatever the engine finds best; may fall back to CPU. */
    AUTO
  }

  /** The CPU. */
  public static final Device CPU = new Device(Kind.CPU, 0);

  /** Automatic choice. */
  public static final Device AUTO = new Device(Kind.AUTO, 0);

  /** CUDA device {@code index}. */
  public static Device cuda(int index) {
    return new Device(Kind.CUDA, index);
  }

  /**
   * Parses {@code cpu}, {@code auto}, {@code cuda} (device 0) or {@code cuda:N}.
   *
   * @throws MedvisionException naming the accepted forms
   */
  public static Device parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("cpu")) {
      return CPU;
    }
    if (t.equals("auto")) {
      return AUTO;
    }
    if (t.equals("cuda") || t.equals("gpu")) {
      return cuda(0);
    }
    if (t.startsWith("cuda:")) {
      try {
        int i = Integer.parseInt(t.substring(5));
        if (i >= 0) {
          return cuda(i);
        }
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new MedvisionException("invalid device '" + text + "'; use cpu, cuda:N (e.g. cuda:0) or auto");
  }

  @Override
  public String toString() {
    return kind == Kind.CUDA ? "cuda:" + index : kind.name().toLowerCase(Locale.ROOT);
  }
}
