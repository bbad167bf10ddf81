package org.medvision.api.weights;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.MedvisionException;

/** Weights that do not fit a graph: every missing, unexpected and mis-shaped name is reported in one message. */
public class WeightMismatchException extends MedvisionException {
  private final List<String> missing;
  private final List<String> unexpected;
  private final List<String> misshaped;

  /**
   * Creates the exception.
   *
   * @param source where the weights came from (file name), for the message
   * @param missing parameters the graph declares that the weights lack
   * @param unexpected weights the graph does not declare
   * @param misshaped one entry per mismatch: "name: expected [..] float32, got [..] float16"
   */
  public WeightMismatchException(String source, List<String> missing, List<String> unexpected,
      List<String> misshaped) {
    super(message(source, missing, unexpected, misshaped));
    this.missing = List.copyOf(missing);
    this.unexpected = List.copyOf(unexpected);
    this.misshaped = List.copyOf(misshaped);
  }

  private static String message(String source, List<String> missing, List<String> unexpected,
      List<String> misshaped) {
    List<String> parts = new ArrayList<>();
    if (!missing.isEmpty()) {
      parts.add(missing.size() + " missing: " + abbreviate(missing));
    }
    if (!unexpected.isEmpty()) {
      parts.add(unexpected.size() + " unexpected: " + abbreviate(unexpected));
    }
    if (!misshaped.isEmpty()) {
      parts.add(misshaped.size() + " with the wrong shape or dtype: " + abbreviate(misshaped));
    }
    return "weights " + source + " do not fit the graph; " + String.join("; ", parts);
  }

  private static String abbreviate(List<String> names) {
    int shown = Math.min(names.size(), 8);
    String s = String.join(", ", names.subList(0, shown));
    return names.size() > shown ? s + ", ... (" + (names.size() - shown) + " more)" : s;
  }

  /** Declared parameters the weights lack. */
  public List<String> missing() {
    return missing;
  }

  /** Weights the graph does not declare. */
  public List<String> unexpected() {
    return unexpected;
  }

  /** Shape or dtype mismatches. */
  public List<String> misshaped() {
    return misshaped;
  }
}
