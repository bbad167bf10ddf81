package org.medvision.api.graph;

/** The types an op attribute can have, and the Java type that holds each. */
public enum AttrType {
  /** A {@code Long}. */
  INT,
  /** A {@code long[]}. */
  INTS,
  /** A {@code Float}. */
  FLOAT,
  /** A {@code float[]}. */
  FLOATS,
  /** A {@code String}. */
  STRING;

  /** True when {@code value} is held in this type's Java class. */
  public boolean accepts(Object value) {
    switch (this) {
      case INT: return value instanceof Long;
      case INTS: return value instanceof long[];
      case FLOAT: return value instanceof Float;
      case FLOATS: return value instanceof float[];
      case STRING: return value instanceof String;
      default: throw new AssertionError(this);
    }
  }
}
