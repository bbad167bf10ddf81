package org.medvision.api.task;

/** How the values of an {@link OptionSpec} are checked. */
public enum OptionType {
  /** Free text. */
  STRING,
  /** One of a fixed list of words. */
  CHOICE,
  /** {@code true} or {@code false}. */
  BOOLEAN,
  /** A whole number. */
  INT,
  /** A decimal number. */
  NUMBER,
  /** Dimensions joined by {@code x}, e.g. {@code 128x224x224}. */
  SIZE
}
