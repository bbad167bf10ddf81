package org.medvision.api.data;

import java.util.Objects;

/**
 * A number per example that samplers, splits and reports may use (not a model input unless a graph input names it).
 * It is read from its column when the row has a value there, else derived as the ratio of the nonzero voxel counts of
 * two mask fields (e.g. DSA-Net's infection size, infection volume / lung volume), else NaN.
 *
 * @param name example key (a float32 scalar tensor)
 * @param column manifest column, or empty when always derived
 * @param ratioOf the numerator mask field, or empty for no derivation
 * @param ratioTo the denominator mask field
 */
public record AttributeField(String name, String column, String ratioOf, String ratioTo) implements Field {
  /** Checks the name; empty strings for absent parts. */
  public AttributeField {
    Field.checkName(name);
    column = Objects.requireNonNullElse(column, "");
    ratioOf = Objects.requireNonNullElse(ratioOf, "");
    ratioTo = Objects.requireNonNullElse(ratioTo, "");
    if (ratioOf.isEmpty() != ratioTo.isEmpty()) {
      throw new IllegalArgumentException("attribute '" + name + "': a ratio needs both mask fields");
    }
  }

  /** An attribute derived as |{@code numerator}| / |{@code denominator}| (nonzero voxel counts). */
  public static AttributeField maskRatio(String name, String numerator, String denominator) {
    return new AttributeField(name, name, numerator, denominator);
  }

  @Override
  public boolean required() {
    return false;
  }

  /** Whether it can be derived from masks. */
  public boolean derived() {
    return !ratioOf.isEmpty();
  }
}
