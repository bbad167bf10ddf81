package org.medvision.train.report;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where an evaluation's numbers come from: the model, the weights, the engine, the data and the environment. Every
 * value is text or a number so that it prints as JSON and HTML alike.
 *
 * @param task task registry name
 * @param config task configuration (variant and options; for an ensemble its members)
 * @param weights the weights file as given
 * @param weightsSha256 SHA-256 of the weights file, lower-case hex
 * @param engine engine registry name
 * @param engineVersion version of the engine's runtime
 * @param device device the model ran on, e.g. {@code cpu}
 * @param dataset the manifest (or data-set folder) the examples came from
 * @param split the split evaluated, e.g. {@code test}
 * @param seed seed of the data split and the bootstrap
 * @param medvisionVersion version of medvision that wrote the report
 * @param java Java runtime vendor and version
 * @param os operating system name, version and architecture
 * @param date when the evaluation ran, ISO-8601 UTC to the second
 */
public record Provenance(String task, Map<String, Object> config, String weights, String weightsSha256,
    String engine, String engineVersion, String device, String dataset, String split, long seed,
    String medvisionVersion, String java, String os, String date) {
  /** Rejects null components and copies the configuration. */
  public Provenance {
    Objects.requireNonNull(task, "task");
    config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(weightsSha256, "weightsSha256");
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(engineVersion, "engineVersion");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(medvisionVersion, "medvisionVersion");
    Objects.requireNonNull(java, "java");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(date, "date");
  }

  /**
   * The provenance of an evaluation running now on this JVM: Java, OS and date are filled in from the running
   * process.
   */
  public static Provenance now(String task, Map<String, Object> config, String weights, String weightsSha256,
      String engine, String engineVersion, String device, String dataset, String split, long seed,
      String medvisionVersion) {
    return new Provenance(task, config, weights, weightsSha256, engine, engineVersion, device, dataset, split, seed,
        medvisionVersion, javaDescription(), osDescription(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  /** The running Java, e.g. {@code Eclipse Adoptium 17.0.15}. */
  public static String javaDescription() {
    return System.getProperty("java.vendor", "unknown vendor") + " " + System.getProperty("java.version", "?");
  }

  /** The operating system, e.g. {@code Linux 6.1.0 amd64}. */
  public static String osDescription() {
    return System.getProperty("os.name", "unknown OS") + " " + System.getProperty("os.version", "") + " "
        + System.getProperty("os.arch", "");
  }

  /** The components as an insertion-ordered map, keys as the component names. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task);
    m.put("config", config);
    m.put("weights", weights);
    m.put("weightsSha256", weightsSha256);
    m.put("engine", engine);
    m.put("engineVersion", engineVersion);
    m.put("device", device);
    m.put("dataset", dataset);
    m.put("split", split);
    m.put("seed", seed);
    m.put("medvisionVersion", medvisionVersion);
    m.put("java", java);
    m.put("os", os);
    m.put("date", date);
    return m;
  }

  /** The part of the provenance that identifies the model, for {@code predictions.json}. */
  public Map<String, Object> modelMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", task);
    m.put("config", config);
    m.put("weightsSha256", weightsSha256);
    m.put("engine", engine);
    m.put("device", device);
    return m;
  }
}
