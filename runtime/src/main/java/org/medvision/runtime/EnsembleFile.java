package org.medvision.runtime;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.weights.WeightsDigest;

/**
 * {@code ensemble.json}: several trained members of one model configuration whose predictions are averaged (class and
 * label probabilities, maps and images), as DSA-Net averages a uniformly and a size-balanced trained network. Members
 * are ordinary checkpoints, listed by path (relative to the file) with their SHA-256; the file records the task,
 * variant and model options they share, and each member's training options.
 *
 * <pre>{@code
 * {"format": "medvision-ensemble/1", "task": "covid-dsa", "variant": "resnet18",
 *  "options": {"input": "32x64x64", ...}, "combination": "mean",
 *  "members": [{"name": "uniform", "checkpoint": "../uniform/best.safetensors", "sha256": "...",
 *               "training_options": {"sampler": "uniform", ...}}, ...],
 *  "created": "...", "medvision": "0.1.0"}
 * }</pre>
 */
public final class EnsembleFile {
  /** The format tag. */
  public static final String FORMAT = "medvision-ensemble/1";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private EnsembleFile() {}

  /** Whether {@code file} is an ensemble file (by its format tag). */
  public static boolean isEnsemble(Path file) {
    try {
      JsonElement e = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
      return e.isJsonObject() && e.getAsJsonObject().has("format")
          && FORMAT.equals(e.getAsJsonObject().get("format").getAsString());
    } catch (IOException | JsonParseException | IllegalStateException | UnsupportedOperationException e) {
      return false;
    }
  }

  /**
   * Writes an ensemble of the checkpoints of {@code members} (run directories, whose {@code best.safetensors} is
   * taken, or checkpoint files) into {@code out}, atomically.
   *
   * @return the ensemble as loaded back
   * @throws MedvisionException naming the member that is missing, of another task, variant or model option, or
   *     listed twice
   */
  public static ModelSource write(Medvision mv, Path out, List<Path> members, String medvisionVersion) {
    if (members.size() < 2) {
      throw new MedvisionException("an ensemble needs at least two members, got " + members.size());
    }
    List<ModelCheckpoint> checkpoints = new ArrayList<>();
    for (Path m : members) {
      Path weights = Files.isDirectory(m) ? m.resolve("best.safetensors") : m;
      if (!Files.isRegularFile(weights)) {
        throw new MedvisionException("ensemble member " + m + " has no " + (Files.isDirectory(m)
            ? "best.safetensors (is it a training run's directory?)" : "checkpoint file"));
      }
      Path sidecar = weights.getFileName().toString().endsWith(".json") ? weights
          : ModelCheckpoint.sidecarOf(weights).orElseThrow(() -> new MedvisionException("ensemble member " + m
              + " has no checkpoint sidecar recording its task; members must be checkpoints a training run wrote"));
      checkpoints.add(ModelCheckpoint.read(sidecar));
    }
    ModelCheckpoint first = checkpoints.get(0);
    TaskProvider provider = mv.tasks().get(first.task());
    Map<String, String> firstModel = modelOptions(provider, first);
    List<Map<String, Object>> listed = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    Path base = out.toAbsolutePath().getParent();
    List<String> names = memberNames(members, checkpoints);
    for (int i = 0; i < checkpoints.size(); i++) {
      ModelCheckpoint c = checkpoints.get(i);
      String where = "ensemble member " + members.get(i);
      if (!c.task().equals(first.task())) {
        throw new MedvisionException(where + " is for task " + c.task() + " but " + members.get(0) + " is for "
            + first.task() + "; members must be one task");
      }
      if (!String.valueOf(c.variant()).equals(String.valueOf(first.variant()))) {
        throw new MedvisionException(where + " is variant " + c.variant() + " but " + members.get(0) + " is "
            + first.variant() + "; members must be one variant");
      }
      Map<String, String> model = modelOptions(provider, c);
      for (Map.Entry<String, String> e : firstModel.entrySet()) {
        if (!e.getValue().equals(model.get(e.getKey()))) {
          throw new MedvisionException(where + " has " + e.getKey() + "=" + model.get(e.getKey()) + " but "
              + members.get(0) + " has " + e.getKey() + "=" + e.getValue() + "; members must share every model "
              + "option (only training options such as the sampler may differ)");
        }
      }
      String file = c.weightsFile().toAbsolutePath().normalize().toString();
      if (seen.contains(file)) {
        throw new MedvisionException(where + " is listed twice (" + file + ")");
      }
      seen.add(file);
      checkSameSplit(where, c, members.get(0), first);
      String sha = WeightsDigest.sha256(c.weightsFile());
      if (c.weightsSha256() != null && !c.weightsSha256().equals(sha)) {
        throw new MedvisionException(where + ": " + c.weightsFile() + " has SHA-256 " + sha + " but its sidecar "
            + "recorded " + c.weightsSha256() + "; the weights changed after training");
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", names.get(i));
      entry.put("checkpoint", base.relativize(c.weightsFile().toAbsolutePath().normalize()).toString()
          .replace('\\', '/'));
      entry.put("sha256", sha);
      entry.put("training_options", provider.configure(c.variant() == null ? provider.defaultVariant() : c.variant(),
          c.options()).options(provider.options(), OptionSpec.Scope.TRAINING));
      listed.add(entry);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("format", FORMAT);
    doc.put("task", first.task());
    doc.put("variant", first.variant());
    doc.put("options", firstModel);
    doc.put("combination", "mean");
    if (first.seed() != null) {
      doc.put("seed", first.seed());
    }
    doc.put("members", listed);
    doc.put("created", Instant.now().toString());
    doc.put("medvision", medvisionVersion);
    return publish(mv, out, (GSON.toJson(doc) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Loads the file from a staged copy beside {@code out} (every member's weights fitted to the graph) and only then
   * moves it into place, so a member that does not fit never leaves a file behind or replaces a good one.
   */
  private static ModelSource publish(Medvision mv, Path out, byte[] content) {
    Path staged = null;
    try {
      staged = AtomicFiles.createSibling(out, "");
      Files.write(staged, content);
      ModelSource loaded = load(mv, staged, ModelRequest.none());
      AtomicFiles.replace(staged, out);
      staged = null;
      return new ModelSource(loaded.task(), loaded.members(), out);
    } catch (IOException e) {
      throw new MedvisionException("cannot write ensemble file " + out + ": " + e.getMessage(), e);
    } finally {
      deleteQuietly(staged);
    }
  }

  private static void deleteQuietly(Path staged) {
    if (staged == null) {
      return;
    }
    try {
      Files.deleteIfExists(staged);
    } catch (IOException e) {
      // The staged copy is hidden and harmless; the error that matters, if any, is already propagating.
    }
  }

  /**
   * Members must come from the same data split: evaluation redraws the split with the training seed, so members
   * trained with different seeds (or on different data) would each have seen part of the others' test scans.
   */
  private static void checkSameSplit(String where, ModelCheckpoint c, Path firstPath, ModelCheckpoint first) {
    if (c.seed() != null && first.seed() != null && !c.seed().equals(first.seed())) {
      throw new MedvisionException(where + " was trained with seed " + c.seed() + " but " + firstPath + " with seed "
          + first.seed() + "; the seed also draws the train/validation/test split, so members must share it (train "
          + "each with the same --seed)");
    }
    if (c.dataSha256() != null && first.dataSha256() != null && !c.dataSha256().equals(first.dataSha256())) {
      throw new MedvisionException(where + " was trained on other data than " + firstPath + " (data SHA-256 "
          + c.dataSha256() + " vs " + first.dataSha256() + "); members must be trained on the same data");
    }
  }

  /**
   * Each member's name: its run folder's, or for checkpoints that share a folder the folder's and the file's
   * ({@code run/epoch5}), so that reports and provenance, which list members by name, tell them apart.
   */
  private static List<String> memberNames(List<Path> members, List<ModelCheckpoint> checkpoints) {
    List<String> plain = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      plain.add(memberName(members.get(i), checkpoints.get(i)));
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < plain.size(); i++) {
      String name = plain.get(i);
      if (Collections.frequency(plain, name) > 1) {
        name += "/" + checkpoints.get(i).weightsFile().getFileName().toString().replaceFirst("\\.safetensors$", "");
      }
      names.add(name);
    }
    return names;
  }

  private static String memberName(Path member, ModelCheckpoint c) {
    Path dir = Files.isDirectory(member) ? member : c.weightsFile().getParent();
    return dir == null || dir.getFileName() == null ? member.toString() : dir.getFileName().toString();
  }

  private static Map<String, String> modelOptions(TaskProvider provider, ModelCheckpoint c) {
    String variant = c.variant() == null ? provider.defaultVariant() : c.variant();
    return provider.configure(variant, c.options()).options(provider.options(), OptionSpec.Scope.MODEL);
  }

  /** The task an ensemble file is for. */
  static String taskName(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject().get("task")
          .getAsString();
    } catch (IOException | JsonParseException | IllegalStateException | NullPointerException e) {
      throw new MedvisionException("cannot read ensemble file " + file + ": " + e.getMessage(), e);
    }
  }

  /** One member as the file lists it. */
  private record Listed(String name, String checkpoint, String sha256, Map<String, String> trainingOptions) {}

  /**
   * Reads an ensemble file and every member's weights (SHA-256 checked).
   *
   * @throws MedvisionException naming the file or member that is wrong
   */
  public static ModelSource load(Medvision mv, Path file, ModelRequest asked) {
    JsonObject doc;
    try {
      doc = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException | JsonParseException | IllegalStateException e) {
      throw new MedvisionException("cannot read ensemble file " + file + ": " + e.getMessage(), e);
    }
    if (!doc.has("members") || !doc.get("members").isJsonArray() || !doc.has("task")) {
      throw new MedvisionException("ensemble file " + file + " lacks its task or members");
    }
    Map<String, String> options = new LinkedHashMap<>();
    String variant;
    String taskName;
    List<Listed> listed = new ArrayList<>();
    try {
      if (doc.has("options") && doc.get("options").isJsonObject()) {
        doc.getAsJsonObject("options").entrySet().forEach(e -> options.put(e.getKey(), e.getValue().getAsString()));
      }
      variant = doc.has("variant") && !doc.get("variant").isJsonNull() ? doc.get("variant").getAsString() : null;
      taskName = doc.get("task").getAsString();
      JsonArray entries = doc.getAsJsonArray("members");
      for (int i = 0; i < entries.size(); i++) {
        JsonObject m = entries.get(i).isJsonObject() ? entries.get(i).getAsJsonObject() : null;
        if (m == null || !m.has("name") || !m.has("checkpoint")) {
          throw new MedvisionException("ensemble file " + file + ": member " + (i + 1) + " lacks its name or "
              + "checkpoint");
        }
        Map<String, String> training = new LinkedHashMap<>();
        if (m.has("training_options") && m.get("training_options").isJsonObject()) {
          m.getAsJsonObject("training_options").entrySet()
              .forEach(x -> training.put(x.getKey(), x.getValue().getAsString()));
        }
        listed.add(new Listed(m.get("name").getAsString(), m.get("checkpoint").getAsString(),
            m.has("sha256") ? m.get("sha256").getAsString() : null, training));
      }
    } catch (UnsupportedOperationException | IllegalStateException e) {
      // Gson's getAs... methods throw these for a field of the wrong type (an object where a string belongs).
      throw new MedvisionException("ensemble file " + file + " has a field of the wrong type: " + e.getMessage(), e);
    }
    ModelCheckpoint record = new ModelCheckpoint(file, FORMAT, taskName, variant, options, List.of(), file, null, 0,
        null, null, null, null);
    Task task = ModelSource.taskOf(mv, record, asked, file);
    Path base = file.toAbsolutePath().getParent();
    List<ModelSource.Member> members = new ArrayList<>();
    for (Listed m : listed) {
      members.add(ModelSource.member(m.name(), base.resolve(m.checkpoint()).normalize(), m.sha256(), task,
          m.trainingOptions()));
    }
    if (members.size() < 2) {
      throw new MedvisionException("ensemble file " + file + " lists " + members.size() + " member(s); an ensemble "
          + "needs at least two");
    }
    return new ModelSource(task, members, file);
  }
}
