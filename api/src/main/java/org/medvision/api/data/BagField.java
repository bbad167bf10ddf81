package org.medvision.api.data;

import java.util.Objects;

/**
 * A bag of instances for multiple-instance learning: the column names a folder (every image file in it, in name
 * order) or lists files separated by {@code ;}. Each instance is read as {@code instance} says. The tensor is
 * float32 {@code [M, C, H, W]} with M = {@code maxInstances} (bags are cut to the first M and padded with zeros), and
 * {@code <name>.mask} is float32 {@code [M]} holding 1 for real instances.
 *
 * @param name example key
 * @param column manifest column
 * @param instance how one instance is read and preprocessed (its name and column are not used)
 * @param maxInstances the most instances a bag keeps, at least 1
 */
public record BagField(String name, String column, ImageField instance, int maxInstances) implements Field {
  /** Name of the validity tensor of bag field {@code field}. */
  public static String maskKey(String field) {
    return field + ".mask";
  }

  /** Checks the values. */
  public BagField {
    Field.checkName(name);
    Objects.requireNonNull(column, "column");
    Objects.requireNonNull(instance, "instance");
    if (maxInstances < 1) {
      throw new IllegalArgumentException("bag '" + name + "' must keep at least one instance");
    }
  }

  @Override
  public boolean required() {
    return true;
  }
}
