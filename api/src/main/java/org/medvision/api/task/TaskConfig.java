package org.medvision.api.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.medvision.api.MedvisionException;
import org.medvision.api.registry.UnknownNameException;

/**
 * How a task is configured: a size variant and a value for every option the task declares. Built by
 * {@link #resolve}, which fills defaults and checks every value, so two configurations of one task are equal exactly
 * when they build the same model and train it the same way. Immutable; options are kept sorted by name.
 *
 * @param variant size variant, e.g. {@code tiny} or {@code resnet34}
 * @param options every declared option's value, in canonical form
 */
public record TaskConfig(String variant, Map<String, String> options) {
  /** Copies the options into name order. */
  public TaskConfig {
    options = Collections.unmodifiableMap(new TreeMap<>(options));
  }

  /**
   * The configuration of task {@code task} with {@code overrides} applied to the defaults of {@code specs}.
   *
   * @throws UnknownNameException for an unknown variant or option, listing the valid ones
   * @throws MedvisionException for an invalid value, saying what is allowed
   */
  public static TaskConfig resolve(String task, List<String> variants, String variant, List<OptionSpec> specs,
      Map<String, String> overrides) {
    if (!variants.contains(variant)) {
      throw new UnknownNameException(task + " variant", variant, variants, "");
    }
    Map<String, String> values = new TreeMap<>();
    for (OptionSpec s : specs) {
      values.put(s.name(), s.defaultValue());
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      OptionSpec spec = specs.stream().filter(s -> s.name().equals(e.getKey())).findFirst().orElseThrow(
          () -> new UnknownNameException(task + " option", e.getKey(), names(specs),
              specs.isEmpty() ? "this task has no options" : ""));
      try {
        values.put(spec.name(), spec.canonical(e.getValue()));
      } catch (MedvisionException ex) {
        throw new MedvisionException(task + ": " + ex.getMessage(), ex);
      }
    }
    return new TaskConfig(variant, values);
  }

  private static List<String> names(List<OptionSpec> specs) {
    List<String> n = new ArrayList<>();
    specs.forEach(s -> n.add(s.name()));
    return n;
  }

  /**
   * The value of option {@code name}.
   *
   * @throws MedvisionException if the task declares no such option
   */
  public String option(String name) {
    String v = options.get(name);
    if (v == null) {
      throw new MedvisionException("no option '" + name + "' in configuration " + this);
    }
    return v;
  }

  /** Option {@code name} as an integer. */
  public int intOption(String name) {
    return Integer.parseInt(option(name));
  }

  /** Option {@code name} as a number. */
  public double numberOption(String name) {
    return Double.parseDouble(option(name));
  }

  /** Option {@code name} as a boolean. */
  public boolean booleanOption(String name) {
    return Boolean.parseBoolean(option(name));
  }

  /** Option {@code name}, a size such as {@code 32x64x64}, as its dimensions. */
  public int[] sizeOption(String name) {
    String[] parts = option(name).split("x");
    int[] dims = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      dims[i] = Integer.parseInt(parts[i]);
    }
    return dims;
  }

  /** This configuration with another variant (not re-validated: resolve again to check). */
  public TaskConfig withVariant(String v) {
    return new TaskConfig(v, options);
  }

  /** This configuration with option {@code name} set to {@code value} (not re-validated: resolve again to check). */
  public TaskConfig with(String name, String value) {
    Map<String, String> m = new TreeMap<>(options);
    m.put(name, value);
    return new TaskConfig(variant, m);
  }

  /** The options of {@code scope} only, e.g. what a trained model needs. */
  public Map<String, String> options(List<OptionSpec> specs, OptionSpec.Scope scope) {
    Map<String, String> m = new TreeMap<>();
    for (OptionSpec s : specs) {
      if (s.scope() == scope && options.containsKey(s.name())) {
        m.put(s.name(), options.get(s.name()));
      }
    }
    return m;
  }

  /** {@code variant key=value ...}, e.g. {@code atto image_size=96 subtask=3class}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(variant);
    options.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
    return sb.toString();
  }
}
