package org.medvision.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** JSON output: pretty, no HTML escaping, NaN allowed (a failed probe's missing numbers). */
final class Json {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .serializeSpecialFloatingPointValues().serializeNulls().create();

  private Json() {}

  /** {@code value} (maps, lists, strings, numbers, booleans) as indented JSON. */
  static String write(Object value) {
    return GSON.toJson(value);
  }
}
