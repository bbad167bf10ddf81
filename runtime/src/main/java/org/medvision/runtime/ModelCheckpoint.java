package org.medvision.runtime;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.Task;
import org.medvision.api.weights.WeightsDigest;

/**
 * What a checkpoint sidecar ({@code best.json} beside {@code best.safetensors}) says about the model: the task and its
 * whole configuration, the weights file and its SHA-256, the classes, and where it came from. Reads both sidecar
 * formats: {@value #FORMAT} and the first one, {@value #FORMAT_1}, whose task configuration held options as fields of
 * their own in camel case ({@code imageSize}); they become options of the same name in snake case
 * ({@code image_size}), the names tasks declare.
 *
 * @param file the sidecar
 * @param format its format tag
 * @param task the task's registry name
 * @param variant the variant
 * @param options the options as recorded (the task fills defaults for any a format-1 sidecar lacks)
 * @param classes the classes of the label field, in output order
 * @param weightsFile the weights file, resolved beside the sidecar
 * @param weightsSha256 its SHA-256 as recorded
 * @param epoch the epochs the weights include
 * @param engine the engine that trained it
 * @param created when it was written
 * @param seed the training seed (which also drew the data split), or null when not recorded
 * @param dataSha256 the SHA-256 of the training data's listing, or null when not recorded
 */
public record ModelCheckpoint(Path file, String format, String task, String variant, Map<String, String> options,
    List<String> classes, Path weightsFile, String weightsSha256, int epoch, String engine, String created, Long seed,
    String dataSha256) {
  /** The current sidecar format. */
  public static final String FORMAT = "medvision-checkpoint/2";
  /** The first sidecar format. */
  public static final String FORMAT_1 = "medvision-checkpoint/1";

  /** Copies the collections. */
  public ModelCheckpoint {
    options = Map.copyOf(options);
    classes = List.copyOf(classes);
  }

  /** The sidecar of {@code weights} ({@code name.json} for {@code name.safetensors}), if there is one. */
  public static Optional<Path> sidecarOf(Path weights) {
    String name = weights.getFileName().toString();
    String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    Path sidecar = weights.resolveSibling(stem + ".json");
    return Files.isRegularFile(sidecar) ? Optional.of(sidecar) : Optional.empty();
  }

  /**
   * Writes a minimal sidecar beside {@code weights} ({@code name.json} for {@code name.safetensors}) recording the
   * task and its whole configuration, so the weights alone are a model file ({@code --model}); atomically.
   *
   * @param kind what made the weights, e.g. {@code export}
   * @return the sidecar
   */
  public static Path writeFor(Path weights, Task task, String kind, String medvisionVersion) {
    String name = weights.getFileName().toString();
    String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
    Path sidecar = weights.resolveSibling(stem + ".json");
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", FORMAT);
    doc.put("kind", kind);
    doc.put("task", task.name());
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("variant", task.config().variant());
    config.put("options", task.config().options());
    doc.put("taskConfig", config);
    doc.put("classes", task.data().labels().map(l -> l.classes()).orElse(List.of()));
    doc.put("weightsFile", name);
    doc.put("weightsSha256", WeightsDigest.sha256(weights));
    doc.put("medvisionVersion", medvisionVersion);
    doc.put("created", Instant.now().toString());
    String json = new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(doc);
    try {
      AtomicFiles.write(sidecar, (json + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new MedvisionException("cannot write " + sidecar + ": " + e.getMessage(), e);
    }
    return sidecar;
  }

  /**
   * Reads a sidecar.
   *
   * @throws MedvisionException naming the file if it is missing, not JSON, or not a checkpoint sidecar of a format
   *     this build reads
   */
  public static ModelCheckpoint read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MedvisionException("checkpoint sidecar not found: " + file, e);
    } catch (IOException e) {
      throw new MedvisionException("cannot read checkpoint sidecar " + file + ": " + e.getMessage(), e);
    }
    JsonObject json;
    try {
      JsonElement e = JsonParser.parseString(text);
      if (!e.isJsonObject()) {
        throw new JsonParseException("not a JSON object");
      }
      json = e.getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new MedvisionException("checkpoint sidecar " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    try {
      return fromJson(file, json);
    } catch (UnsupportedOperationException | IllegalStateException | NumberFormatException e) {
      // Gson's getAs... methods throw these for a field of the wrong type (an object where a string belongs).
      throw new MedvisionException("checkpoint sidecar " + file + " has a field of the wrong type: " + e.getMessage(),
          e);
    }
  }

  private static ModelCheckpoint fromJson(Path file, JsonObject json) {
    String format = string(json, "format");
    if (!FORMAT.equals(format) && !FORMAT_1.equals(format)) {
      throw new MedvisionException("checkpoint sidecar " + file + " is not a medvision checkpoint (format: "
          + (format == null ? "none" : format) + "; this build reads " + FORMAT + " and " + FORMAT_1 + ")");
    }
    String task = string(json, "task");
    JsonObject config = json.has("taskConfig") && json.get("taskConfig").isJsonObject()
        ? json.getAsJsonObject("taskConfig") : null;
    String weights = string(json, "weightsFile");
    if (task == null || config == null || weights == null) {
      throw new MedvisionException("checkpoint sidecar " + file + " lacks the task, its configuration or the weights "
          + "file name");
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (config.has("options") && config.get("options").isJsonObject()) {
      config.getAsJsonObject("options").entrySet().forEach(e -> options.put(e.getKey(), e.getValue().getAsString()));
    }
    if (FORMAT_1.equals(format)) {
      for (Map.Entry<String, JsonElement> e : config.entrySet()) {
        if (!e.getKey().equals("variant") && e.getValue().isJsonPrimitive()) {
          options.putIfAbsent(snakeCase(e.getKey()), e.getValue().getAsString());
        }
      }
    }
    List<String> classes = new ArrayList<>();
    if (json.has("classes") && json.get("classes").isJsonArray()) {
      json.getAsJsonArray("classes").forEach(c -> classes.add(c.getAsString()));
    }
    Path parent = file.toAbsolutePath().getParent();
    return new ModelCheckpoint(file, format, task, string(config, "variant"), options, classes,
        parent.resolve(weights), string(json, "weightsSha256"), json.has("epoch") ? json.get("epoch").getAsInt() : 0,
        string(json, "engine"), string(json, "created"), json.has("seed") ? json.get("seed").getAsLong() : null,
        string(json, "dataSha256"));
  }

  /** {@code imageSize} as {@code image_size}. */
  private static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  private static String string(JsonObject o, String key) {
    JsonElement e = o.get(key);
    return e == null || e.isJsonNull() ? null : e.getAsString();
  }
}
