package org.medvision.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;

/** Option construction and typed reading of option values; malformed values are usage errors. */
final class Args {
  private Args() {}

  /** An option taking one value called {@code argName}. */
  static Option valued(String longName, String argName, String description) {
    return Option.builder().longOpt(longName).hasArg().argName(argName).desc(description).build();
  }

  /** A flag. */
  static Option flag(String longName, String description) {
    return Option.builder().longOpt(longName).desc(description).build();
  }

  /** The value of {@code --name} or {@code fallback}. */
  static String string(CommandLine line, String name, String fallback) {
    String v = line.getOptionValue(name);
    return v == null ? fallback : v;
  }

  /**
   * The value of {@code --name}.
   *
   * @throws UsageException if it was not given
   */
  static String required(CommandLine line, String name) {
    String v = line.getOptionValue(name);
    if (v == null) {
      throw new UsageException("missing required option --" + name);
    }
    return v;
  }

  /** The integer value of {@code --name}, at least {@code min}, or {@code fallback} when absent. */
  static int integer(CommandLine line, String name, int fallback, int min) {
    String v = line.getOptionValue(name);
    if (v == null) {
      return fallback;
    }
    return parseInt(name, v, min);
  }

  /** The long value of {@code --name}, or {@code fallback} when absent. */
  static long longValue(CommandLine line, String name, long fallback) {
    String v = line.getOptionValue(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs an integer, got '" + v + "'");
    }
  }

  /** A comma-separated list of integers, each at least {@code min}. */
  static List<Integer> integers(CommandLine line, String name, String fallback, int min) {
    String v = string(line, name, fallback);
    List<Integer> out = new ArrayList<>();
    for (String part : v.split(",")) {
      out.add(parseInt(name, part, min));
    }
    return out;
  }

  /** The file named by {@code --name}, if given. */
  static Path path(CommandLine line, String name) {
    String v = line.getOptionValue(name);
    return v == null ? null : Path.of(v);
  }

  private static int parseInt(String name, String v, int min) {
    int n;
    try {
      n = Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new UsageException("--" + name + " needs an integer, got '" + v + "'");
    }
    if (n < min) {
      throw new UsageException("--" + name + " must be at least " + min + ", got " + n);
    }
    return n;
  }
}
