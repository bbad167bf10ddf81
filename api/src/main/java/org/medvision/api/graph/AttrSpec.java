package org.medvision.api.graph;

/**
 * The declaration of one attribute of an {@link Op}.
 *
 * @param name attribute name, as in ONNX
 * @param type value type
 * @param required whether a node must set it
 * @param defaultValue value used when absent; {@code null} when the default depends on the inputs (e.g. one stride
 *     per spatial axis) and is resolved by the op's consumers
 */
public record AttrSpec(String name, AttrType type, boolean required, Object defaultValue) {
  static AttrSpec required(String name, AttrType type) {
    return new AttrSpec(name, type, true, null);
  }

  static AttrSpec optional(String name, AttrType type, Object defaultValue) {
    return new AttrSpec(name, type, false, defaultValue);
  }
}
