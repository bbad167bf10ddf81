package org.medvision.api.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medvision.api.MedvisionException;

/**
 * One named option a task declares: its type, default, allowed values and documentation. Users set options with
 * {@code --set name=value} on every command; the generic code only validates and records them, the task interprets
 * them.
 *
 * <p>Values are strings in a canonical form: integers and numbers as written ({@code 32}, {@code 0.5}), booleans as
 * {@code true}/{@code false}, sizes as dimensions joined by {@code x} ({@code 32x64x64}). A numeric option may also
 * accept words listed in {@code choices} (e.g. {@code auto} for a default that depends on the variant).
 *
 * @param name the option's name: lower-case letters, digits and {@code _}
 * @param type how values are checked
 * @param defaultValue the value when none is set, in canonical form
 * @param choices the allowed values of a {@link OptionType#CHOICE}, or extra words a numeric option accepts
 * @param min smallest allowed number for INT, NUMBER and SIZE (each dimension), or NaN for none
 * @param max largest allowed number for INT, NUMBER and SIZE, or NaN for none
 * @param scope whether the option shapes the model or only its training
 * @param doc one or two sentences for {@code --help} and {@code medvision tasks}
 */
public record OptionSpec(String name, OptionType type, String defaultValue, List<String> choices, double min,
    double max, Scope scope, String doc) {
  /** What an option affects. */
  public enum Scope {
    /**
     * The model: its graph, inputs or outputs. A checkpoint records it, and every command that loads the checkpoint
     * must agree with it.
     */
    MODEL,
    /**
     * Only training (a sampler, a loss weight): recorded in the run, not needed to use a trained model, and free to
     * differ between the members of an ensemble.
     */
    TRAINING
  }

  /**
   * Checks the declaration, including that the default is a valid value in canonical form.
   *
   * @throws MedvisionException for a bad name, a missing description or an invalid default
   */
  public OptionSpec {
    choices = List.copyOf(choices);
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new MedvisionException("option name '" + name + "' must be lower-case letters, digits and _");
    }
    if (doc == null || doc.isBlank()) {
      throw new MedvisionException("option '" + name + "' needs a description");
    }
    if (type == OptionType.CHOICE && choices.isEmpty()) {
      throw new MedvisionException("choice option '" + name + "' lists no choices");
    }
    String canonical = canonical(name, type, choices, min, max, defaultValue);
    if (!canonical.equals(defaultValue)) {
      throw new MedvisionException("option '" + name + "': default '" + defaultValue + "' is not canonical; write '"
          + canonical + "'");
    }
  }

  /** A model option with one of {@code choices}. */
  public static OptionSpec choice(String name, String defaultValue, List<String> choices, String doc) {
    return new OptionSpec(name, OptionType.CHOICE, defaultValue, choices, Double.NaN, Double.NaN, Scope.MODEL, doc);
  }

  /**
   * A model option holding an integer in [min, max] (NaN for no bound). A default that is a word (e.g.
   * {@code auto}) is the option's one extra word; {@link #withChoices} sets others.
   */
  public static OptionSpec integer(String name, String defaultValue, double min, double max, String doc) {
    return new OptionSpec(name, OptionType.INT, defaultValue, defaultWord(defaultValue), min, max, Scope.MODEL, doc);
  }

  /** A model option holding a number in [min, max] (NaN for no bound); a word default as for {@link #integer}. */
  public static OptionSpec number(String name, String defaultValue, double min, double max, String doc) {
    return new OptionSpec(name, OptionType.NUMBER, defaultValue, defaultWord(defaultValue), min, max, Scope.MODEL,
        doc);
  }

  /**
   * A model option holding a size such as {@code 32x64x64}, each dimension in [min, max]; a word default as for
   * {@link #integer}.
   */
  public static OptionSpec size(String name, String defaultValue, double min, double max, String doc) {
    return new OptionSpec(name, OptionType.SIZE, defaultValue, defaultWord(defaultValue), min, max, Scope.MODEL, doc);
  }

  /**
   * The extra words a numeric factory starts with: the default when it is a word such as {@code auto}, so that
   * {@code integer(name, "auto", ...).withChoices(List.of("auto"))} can be declared at all.
   */
  private static List<String> defaultWord(String defaultValue) {
    return defaultValue != null && defaultValue.matches("[a-z][a-z0-9_-]*") ? List.of(defaultValue) : List.of();
  }

  /** This option with other extra words accepted (for numeric types) or choices. */
  public OptionSpec withChoices(List<String> words) {
    return new OptionSpec(name, type, defaultValue, words, min, max, scope, doc);
  }

  /** This option as a training-only option. */
  public OptionSpec training() {
    return new OptionSpec(name, type, defaultValue, choices, min, max, Scope.TRAINING, doc);
  }

  /**
   * {@code value} in canonical form.
   *
   * @throws MedvisionException naming the option, the value and what is allowed
   */
  public String canonical(String value) {
    return canonical(name, type, choices, min, max, value);
  }

  /** What values are allowed, for messages and help: e.g. {@code one of uniform, size-balanced}. */
  public String allowed() {
    return allowed(type, choices, min, max);
  }

  private static String canonical(String name, OptionType type, List<String> choices, double min, double max,
      String value) {
    String v = value == null ? "" : value.trim();
    if (type != OptionType.STRING && type != OptionType.CHOICE && choices.contains(v)) {
      return v;
    }
    try {
      switch (type) {
        case STRING:
          return v;
        case CHOICE: {
          for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
              return c;
            }
          }
          throw new NumberFormatException();
        }
        case BOOLEAN: {
          String b = v.toLowerCase(Locale.ROOT);
          if (b.equals("true") || b.equals("false")) {
            return b;
          }
          throw new NumberFormatException();
        }
        case INT: {
          long n = Long.parseLong(v);
          checkRange(n, min, max);
          return Long.toString(n);
        }
        case NUMBER: {
          double d = Double.parseDouble(v);
          if (!Double.isFinite(d)) {
            throw new NumberFormatException();
          }
          checkRange(d, min, max);
          return v.startsWith("+") ? v.substring(1) : v;
        }
        case SIZE: {
          String[] parts = v.toLowerCase(Locale.ROOT).split("x", -1);
          List<String> dims = new ArrayList<>();
          for (String p : parts) {
            long n = Long.parseLong(p.trim());
            checkRange(n, min, max);
            dims.add(Long.toString(n));
          }
          return String.join("x", dims);
        }
        default:
          throw new AssertionError(type);
      }
    } catch (NumberFormatException e) {
      throw new MedvisionException("invalid value '" + v + "' for option " + name + "; allowed: "
          + allowed(type, choices, min, max), e);
    }
  }

  private static void checkRange(double v, double min, double max) {
    if ((!Double.isNaN(min) && v < min) || (!Double.isNaN(max) && v > max)) {
      throw new NumberFormatException();
    }
  }

  private static String allowed(OptionType type, List<String> choices, double min, double max) {
    String range = (Double.isNaN(min) ? "" : " >= " + number(min)) + (Double.isNaN(max) ? "" : ", <= " + number(max));
    String words = choices.isEmpty() || type == OptionType.CHOICE ? "" : ", or " + String.join(", ", choices);
    switch (type) {
      case STRING: return "any text";
      case CHOICE: return "one of " + String.join(", ", choices);
      case BOOLEAN: return "true or false";
      case INT: return "an integer" + range + words;
      case NUMBER: return "a number" + range + words;
      case SIZE: return "a size such as 32x64x64 (each dimension an integer" + range + ")" + words;
      default: throw new AssertionError(type);
    }
  }

  private static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
