package org.medvision.api.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.medvision.api.MedvisionException;

/**
 * An immutable name-to-plugin map. Two plugins with one name are an error (never a silent precedence rule), and a
 * lookup of an unknown name fails listing the names that exist.
 *
 * @param <T> the plugin type
 */
public final class NamedRegistry<T extends Named> {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

  private final String kind;
  private final String hint;
  private final Map<String, T> byName;

  private NamedRegistry(String kind, String hint, Map<String, T> byName) {
    this.kind = kind;
    this.hint = hint;
    this.byName = byName;
  }

  /**
   * Discovers every {@code type} provider visible to {@code loader} through {@link ServiceLoader}.
   *
   * @param kind what the plugins are, for messages ("engine", "task")
   * @param hint what a user adds to get more of them, for messages; may be empty
   * @throws MedvisionException on an invalid or duplicate name
   */
  public static <T extends Named> NamedRegistry<T> discover(Class<T> type, ClassLoader loader, String kind,
      String hint) {
    List<T> found = new ArrayList<>();
    for (T plugin : ServiceLoader.load(type, loader)) {
      found.add(plugin);
    }
    return of(kind, hint, found);
  }

  /** A registry of the given plugins, checked as {@link #discover} checks them. */
  public static <T extends Named> NamedRegistry<T> of(String kind, String hint, Iterable<? extends T> plugins) {
    Map<String, T> map = new LinkedHashMap<>();
    for (T plugin : plugins) {
      String name = plugin.name();
      if (name == null || !NAME.matcher(name).matches()) {
        throw new MedvisionException(kind + " plugin " + plugin.getClass().getName() + " has invalid name '" + name
            + "': use lower-case letters, digits and hyphens");
      }
      T previous = map.putIfAbsent(name, plugin);
      if (previous != null) {
        throw new MedvisionException("two " + kind + " plugins are named '" + name + "': "
            + previous.getClass().getName() + " and " + plugin.getClass().getName()
            + "; remove one from the class path");
      }
    }
    return new NamedRegistry<>(kind, hint, Collections.unmodifiableMap(map));
  }

  /**
   * The plugin named {@code name}.
   *
   * @throws UnknownNameException listing the names that exist
   */
  public T get(String name) {
    T plugin = byName.get(name);
    if (plugin == null) {
      throw new UnknownNameException(kind, name, names(), hint);
    }
    return plugin;
  }

  /** The plugin named {@code name}, if registered. */
  public Optional<T> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Registered names in discovery order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** Registered plugins in discovery order. */
  public List<T> all() {
    return List.copyOf(byName.values());
  }

  /** What the plugins are ("engine", "task"). */
  public String kind() {
    return kind;
  }
}
