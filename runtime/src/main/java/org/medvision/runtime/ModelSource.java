package org.medvision.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.medvision.api.MedvisionException;
import org.medvision.api.RegularFiles;
import org.medvision.api.embed.Medvision;
import org.medvision.api.graph.Graph;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.KeyMap;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsDigest;

/**
 * A trained model ready to run: the task built with the configuration its file records, and the weights of each
 * member (one for a checkpoint, several for an ensemble), checked against the task's graph and their recorded SHA-256.
 *
 * <p>A model file is a checkpoint ({@code best.safetensors}, whose sidecar {@code best.json} records the task and
 * every option, or the sidecar itself) or an ensemble file ({@code ensemble.json}, see {@link EnsembleFile}). Whatever
 * the user also asks ({@link ModelRequest}) must agree with the record: a different task, variant or model option is
 * an error naming both values, so a model never silently runs in a configuration it was not trained in (for example
 * at another image size).
 *
 * @param task the configured task
 * @param members the weights to run, each fitted to the task's graph
 * @param file the model file it was loaded from
 */
public record ModelSource(Task task, List<Member> members, Path file) {
  /**
   * One set of weights.
   *
   * @param name the member's name (the run directory's, or the file's)
   * @param weightsFile the weights file
   * @param sha256 its SHA-256
   * @param weights the tensors, fitted to the task's graph
   * @param trainingOptions the training options it was trained with (e.g. its sampler), for provenance
   */
  public record Member(String name, Path weightsFile, String sha256, Weights weights,
      Map<String, String> trainingOptions) {
    /** Copies the options. */
    public Member {
      trainingOptions = Map.copyOf(trainingOptions);
    }
  }

  /** Copies the members. */
  public ModelSource {
    members = List.copyOf(members);
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one member");
    }
  }

  /** Whether it averages several members. */
  public boolean isEnsemble() {
    return members.size() > 1;
  }

  /**
   * The options every member shares: all of the task's for one model; for an ensemble the model options only, since
   * each member has its own training options ({@link Member#trainingOptions()}).
   */
  public Map<String, String> sharedOptions() {
    Map<String, String> shared = new TreeMap<>(task.config().options());
    if (isEnsemble()) {
      members.forEach(m -> shared.keySet().removeAll(m.trainingOptions().keySet()));
    }
    return shared;
  }

  /** e.g. {@code covid-dsa resnet18 input=32x64x64 layout=hara ...}: the task, variant and shared options. */
  public String describe() {
    StringBuilder s = new StringBuilder(task.name()).append(' ').append(task.config().variant());
    sharedOptions().forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
    return s.toString();
  }

  /**
   * Loads a model file.
   *
   * @throws MedvisionException naming the file for a missing or damaged file, a sidecar-less weights file, or a
   *     request that contradicts the record
   */
  public static ModelSource load(Medvision mv, Path file, ModelRequest asked) {
    RegularFiles.require(file, "model file", "give the checkpoint (e.g. best.safetensors) or ensemble.json inside "
        + "it");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json") && EnsembleFile.isEnsemble(file)) {
      return EnsembleFile.load(mv, file, asked);
    }
    ModelCheckpoint checkpoint;
    if (name.endsWith(".json")) {
      checkpoint = ModelCheckpoint.read(file);
    } else {
      Path sidecar = ModelCheckpoint.sidecarOf(file).orElseThrow(() -> new MedvisionException("weights file " + file
          + " has no sidecar (" + file.getFileName().toString().replaceFirst("\\.safetensors$", "")
          + ".json) recording its task; give --task and the options it was made with, or use a checkpoint a "
          + "training run wrote"));
      checkpoint = ModelCheckpoint.read(sidecar);
    }
    Task task = taskOf(mv, checkpoint, asked, file);
    Member member = member(checkpoint.weightsFile().getParent().getFileName() == null ? "model"
        : checkpoint.weightsFile().getParent().getFileName().toString(), checkpoint.weightsFile(),
        checkpoint.weightsSha256(), task, trainingOptions(mv, task));
    return new ModelSource(task, List.of(member), file);
  }

  /**
   * A model from a plain weights file for a task the caller configured (no sidecar needed): the file's recorded
   * model metadata, when it has any, must agree with the task.
   *
   * @param keyMap a foreign layout to read the file with, or null
   */
  public static ModelSource ofWeights(Task task, Path weightsFile, KeyMap keyMap) {
    RegularFiles.require(weightsFile, "weights file", "give the .safetensors file inside it");
    Weights raw = Safetensors.read(weightsFile);
    if (keyMap != null) {
      raw = keyMap.apply(raw);
    }
    checkRecordedModel(weightsFile, raw, task.graph());
    Weights fitted = fitAllStages(raw, task);
    return new ModelSource(task, List.of(new Member(weightsFile.getFileName().toString(), weightsFile,
        WeightsDigest.sha256(weightsFile), fitted, Map.of())), weightsFile);
  }

  /**
   * A model of {@code task} with seeded random weights (for benchmarks and smoke tests), named after the seed.
   */
  public static ModelSource random(Task task, long seed) {
    Weights w = RandomWeights.initialize(task.graph(), seed);
    for (Graph stage : task.stages().values()) {
      if (stage != task.graph()) {
        Map<String, Tensor> all = new LinkedHashMap<>(w.tensors());
        RandomWeights.initialize(stage, seed).tensors().forEach(all::putIfAbsent);
        w = new Weights(all, w.metadata(), w.source());
      }
    }
    String name = "random(seed=" + seed + ")";
    return new ModelSource(task, List.of(new Member(name, null, name, w, Map.of())), Path.of(name));
  }

  /**
   * The task a model file is for, read without loading any weights (to interpret options before loading).
   *
   * @throws MedvisionException if the file is no model file
   */
  public static String taskName(Path file) {
    RegularFiles.require(file, "model file", "give the checkpoint (e.g. best.safetensors) or ensemble.json inside "
        + "it");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json") && EnsembleFile.isEnsemble(file)) {
      return EnsembleFile.taskName(file);
    }
    Path sidecar = name.endsWith(".json") ? file : ModelCheckpoint.sidecarOf(file).orElse(null);
    return sidecar == null ? null : ModelCheckpoint.read(sidecar).task();
  }

  /** The task a checkpoint records, with the user's request checked against it. */
  static Task taskOf(Medvision mv, ModelCheckpoint checkpoint, ModelRequest asked, Path file) {
    if (asked.task() != null && !asked.task().equals(checkpoint.task())) {
      throw disagree(file, "task", checkpoint.task(), asked.task(), "task");
    }
    TaskProvider provider;
    try {
      provider = mv.tasks().get(checkpoint.task());
    } catch (UnknownNameException e) {
      throw new MedvisionException("model " + file + " is for task '" + checkpoint.task() + "', which is not "
          + "installed; " + e.getMessage(), e);
    }
    String variant = checkpoint.variant() == null ? provider.defaultVariant() : checkpoint.variant();
    if (asked.variant() != null && !asked.variant().equals(variant)) {
      throw disagree(file, "variant", variant, asked.variant(), "variant");
    }
    TaskConfig recorded = provider.configure(variant, checkpoint.options());
    for (Map.Entry<String, String> e : asked.options().entrySet()) {
      OptionSpec spec = provider.options().stream().filter(s -> s.name().equals(e.getKey())).findFirst()
          .orElseThrow(() -> new UnknownNameException(provider.name() + " option", e.getKey(),
              provider.options().stream().map(OptionSpec::name).toList(), ""));
      String value = spec.canonical(e.getValue());
      if (spec.scope() == OptionSpec.Scope.TRAINING) {
        throw new MedvisionException("option " + spec.name() + " only affects training; model " + file
            + " was trained with " + spec.name() + "=" + recorded.option(spec.name()) + " and running it does not "
            + "use it, so drop it");
      }
      if (!value.equals(recorded.option(spec.name()))) {
        throw disagree(file, spec.name(), recorded.option(spec.name()), value, "set " + spec.name() + "=...");
      }
    }
    return provider.create(recorded);
  }

  private static MedvisionException disagree(Path file, String what, String recorded, String asked, String flag) {
    return new MedvisionException("model " + file + " was trained for " + what + " '" + recorded + "' but " + what
        + " '" + asked + "' was asked for; drop the " + flag + " setting (the model file supplies it) or use a "
        + "model trained for " + what + " '" + asked + "'");
  }

  /** The training-scope options of {@code task}'s configuration. */
  static Map<String, String> trainingOptions(Medvision mv, Task task) {
    return task.config().options(mv.tasks().get(task.name()).options(), OptionSpec.Scope.TRAINING);
  }

  /** Reads a member's weights, checking the SHA-256 its record gives and fitting them to the task's graph. */
  static Member member(String name, Path weightsFile, String sha256, Task task, Map<String, String> trainingOptions) {
    RegularFiles.require(weightsFile, "weights file", "give the .safetensors file inside it");
    String actual = WeightsDigest.sha256(weightsFile);
    if (sha256 != null && !sha256.equals(actual)) {
      throw new MedvisionException("weights file " + weightsFile + " has SHA-256 " + actual + " but its record says "
          + sha256 + "; the file was changed or replaced");
    }
    Weights raw = Safetensors.read(weightsFile);
    checkRecordedModel(weightsFile, raw, task.graph());
    return new Member(name, weightsFile, actual, fitAllStages(raw, task), trainingOptions);
  }

  /** The weights of every parameter of every stage (a checkpoint holds them all). */
  private static Weights fitAllStages(Weights raw, Task task) {
    if (task.stages().size() == 1) {
      return raw.fitTo(task.graph());
    }
    Map<String, Tensor> all = new LinkedHashMap<>();
    for (Graph stage : task.stages().values()) {
      raw.fitTo(stage).tensors().forEach(all::putIfAbsent);
    }
    return new Weights(all, raw.metadata(), raw.source());
  }

  /**
   * Weights record the model they were saved for (training and {@code export --format safetensors} do); when that
   * disagrees with the model asked for, saying so beats listing hundreds of mis-shaped tensors.
   */
  static void checkRecordedModel(Path file, Weights weights, Graph graph) {
    List<String> problems = new ArrayList<>();
    // A task's graph metadata describes the model (task, variant, the options that shape it); export and training
    // copy it into the weights file.
    for (Map.Entry<String, String> e : graph.metadata().entrySet()) {
      String key = e.getKey();
      String recorded = weights.metadata().get(key);
      String wanted = e.getValue();
      if (recorded != null && wanted != null && !recorded.equals(wanted)) {
        problems.add(key + " '" + recorded + "' (asked: '" + wanted + "')");
      }
    }
    if (!problems.isEmpty()) {
      throw new MedvisionException("weights " + file + " were saved for " + String.join(", ", problems)
          + "; use weights made for this model, or configure the model as they were made");
    }
  }
}
