package org.medvision.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.medvision.api.embed.Medvision;

/**
 * Parses an {@code --engine} value that may name several engines: {@code all} (every registered engine, the default
 * engine first so it is the reference others are compared with) or a comma list such as {@code onnx,tensorflow}.
 */
final class EngineSelection {
  /** The word that selects every registered engine. */
  static final String ALL = "all";

  private EngineSelection() {}

  /**
   * The engine names {@code spec} selects, in order, each checked against the registry.
   *
   * @throws UsageException for an empty entry or a name given twice
   * @throws org.medvision.api.registry.UnknownNameException for a name no engine has, listing the names that exist
   */
  static List<String> names(String spec, Medvision mv) {
    List<String> registered = mv.engines().names();
    if (spec.trim().equals(ALL)) {
      List<String> out = new ArrayList<>();
      if (registered.contains(EngineOptions.DEFAULT_ENGINE)) {
        out.add(EngineOptions.DEFAULT_ENGINE);
      }
      for (String n : registered) {
        if (!out.contains(n)) {
          out.add(n);
        }
      }
      if (out.isEmpty()) {
        mv.engines().get(EngineOptions.DEFAULT_ENGINE);
      }
      return out;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String part : spec.split(",", -1)) {
      String name = part.trim();
      if (name.isEmpty()) {
        throw new UsageException("--engine '" + spec + "' has an empty entry; write NAME, NAME,NAME or all");
      }
      if (!out.add(name)) {
        throw new UsageException("--engine '" + spec + "' names " + name + " twice");
      }
      mv.engines().get(name);
    }
    return List.copyOf(out);
  }
}
