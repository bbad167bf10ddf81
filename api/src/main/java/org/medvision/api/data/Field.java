package org.medvision.api.data;

/**
 * One named part of an example, read from a manifest column or derived from other fields. The name is the key of the
 * field's tensor(s) in an {@link Example} and what graph inputs and training targets refer to.
 */
public sealed interface Field
    permits ImageField, VolumeField, MaskField, LabelField, AttributeField, TextField, BagField {
  /** The example key: lower-case letters, digits and {@code _}. */
  String name();

  /** The manifest column it is read from, or empty for a field that is only derived. */
  String column();

  /** Whether every row must supply it (an optional field may be empty in some rows). */
  boolean required();

  /** Checks a field name, for the records' constructors. */
  static String checkName(String name) {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("field name '" + name + "' must be lower-case letters, digits and _");
    }
    return name;
  }
}
