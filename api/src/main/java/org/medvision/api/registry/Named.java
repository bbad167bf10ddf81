package org.medvision.api.registry;

/** A plugin with a registry name: lower-case letters, digits and hyphens, e.g. {@code onnx} or {@code strokenext}. */
public interface Named {
  /** The registry name; stable across releases, never {@code null}. */
  String name();

  /** One line for listings. */
  default String description() {
    return "";
  }
}
