package org.medvision.api.graph;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.MedvisionException;

/**
 * Immutable attribute values of one node. Values are held as {@code Long}, {@code long[]}, {@code Float},
 * {@code float[]} or {@code String} (see {@link AttrType}); array getters return copies.
 */
public final class Attributes {
  private static final Attributes EMPTY = new Attributes(Map.of());

  private final Map<String, Object> values;

  private Attributes(Map<String, Object> values) {
    this.values = values;
  }

  /** No attributes. */
  public static Attributes empty() {
    return EMPTY;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The attribute names that are set. */
  public java.util.Set<String> names() {
    return values.keySet();
  }

  /** True when {@code name} is set. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The raw value, if set. Arrays are returned as copies. */
  public Optional<Object> raw(String name) {
    Object v = values.get(name);
    if (v instanceof long[]) {
      return Optional.of(((long[]) v).clone());
    }
    if (v instanceof float[]) {
      return Optional.of(((float[]) v).clone());
    }
    return Optional.ofNullable(v);
  }

  /** An INT attribute. */
  public long getInt(String name) {
    return (Long) require(name, Long.class);
  }

  /** An INTS attribute (copy). */
  public long[] getInts(String name) {
    return ((long[]) require(name, long[].class)).clone();
  }

  /** An INTS attribute, or empty when unset. */
  public Optional<long[]> findInts(String name) {
    Object v = values.get(name);
    return v == null ? Optional.empty() : Optional.of(((long[]) v).clone());
  }

  /** A FLOAT attribute. */
  public float getFloat(String name) {
    return (Float) require(name, Float.class);
  }

  /** A STRING attribute. */
  public String getString(String name) {
    return (String) require(name, String.class);
  }

  private Object require(String name, Class<?> type) {
    Object v = values.get(name);
    if (v == null) {
      throw new MedvisionException("attribute '" + name + "' is not set");
    }
    if (!type.isInstance(v)) {
      throw new MedvisionException(
          "attribute '" + name + "' is a " + v.getClass().getSimpleName() + ", not a " + type.getSimpleName());
    }
    return v;
  }

  /**
   * A copy of this set resolved against {@code op}'s declaration: unset attributes with a fixed default get it, and a
   * single INT or FLOAT given for a list attribute becomes a one-element list (so {@code set("strides", 2L)} means
   * stride 2 on a 1-D convolution rather than a type error).
   */
  public Attributes withDefaults(Op op) {
    Map<String, Object> m = new LinkedHashMap<>(values);
    for (AttrSpec spec : op.attributes()) {
      Object v = m.get(spec.name());
      if (v == null && spec.defaultValue() != null) {
        m.put(spec.name(), spec.defaultValue());
      } else if (spec.type() == AttrType.INTS && v instanceof Long) {
        m.put(spec.name(), new long[] {(Long) v});
      } else if (spec.type() == AttrType.FLOATS && v instanceof Float) {
        m.put(spec.name(), new float[] {(Float) v});
      }
    }
    return new Attributes(Collections.unmodifiableMap(m));
  }

  /** All values, arrays not copied: for lowering code that only reads. */
  Map<String, Object> asMap() {
    return values;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Attributes)) {
      return false;
    }
    Map<String, Object> other = ((Attributes) o).values;
    if (!values.keySet().equals(other.keySet())) {
      return false;
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (!Arrays.deepEquals(new Object[] {e.getValue()}, new Object[] {other.get(e.getKey())})) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      h += e.getKey().hashCode() ^ Arrays.deepHashCode(new Object[] {e.getValue()});
    }
    return h;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    values.forEach((k, v) -> {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(k).append('=');
      if (v instanceof long[]) {
        sb.append(Arrays.toString((long[]) v));
      } else if (v instanceof float[]) {
        sb.append(Arrays.toString((float[]) v));
      } else {
        sb.append(v);
      }
    });
    return sb.append('}').toString();
  }

  /** Collects attribute values; later calls for the same name replace earlier ones. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    /** Sets an INT attribute. */
    public Builder set(String name, long value) {
      values.put(name, value);
      return this;
    }

    /** Sets an INTS attribute. */
    public Builder set(String name, long... value) {
      values.put(name, value.clone());
      return this;
    }

    /** Sets an INTS attribute from ints. */
    public Builder setInts(String name, int... value) {
      values.put(name, Arrays.stream(value).asLongStream().toArray());
      return this;
    }

    /** Sets a FLOAT attribute. */
    public Builder set(String name, float value) {
      values.put(name, value);
      return this;
    }

    /** Sets a FLOATS attribute. */
    public Builder set(String name, float[] value) {
      values.put(name, value.clone());
      return this;
    }

    /** Sets a STRING attribute. */
    public Builder set(String name, String value) {
      values.put(name, value);
      return this;
    }

    /** The immutable attribute set. */
    public Attributes build() {
      return values.isEmpty() ? EMPTY : new Attributes(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }
  }
}
