package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.runtime.EnsembleFile;
import org.medvision.runtime.ModelSource;

/** {@code medvision ensemble}: combines trained runs into one model that averages their predictions. */
public final class EnsembleCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command reading tasks from {@code medvision}. */
  @Inject
  public EnsembleCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "ensemble";
  }

  @Override
  public String summary() {
    return "combine trained runs into an ensemble.json that averages their predictions";
  }

  @Override
  public String description() {
    return "Writes an ensemble file listing each member's checkpoint (a run directory's best.safetensors, or a "
        + "checkpoint file) with its SHA-256, the task, variant and model options they share, and each member's "
        + "training options (e.g. the sampler it was trained with). Members must be one task, one variant and one "
        + "set of model options (input size, layout); they may differ in training options only. evaluate and "
        + "predict take the file as --model: the ensemble's class probabilities (and maps) are the mean of its "
        + "members', evaluate also scores each member, and every result names every member. DSA-Net's paper "
        + "ensembles a uniformly and a size-balanced trained network ('medvision tasks covid-dsa' shows it). "
        + "Paths in the file are relative to it, so a folder holding the runs and the file can be moved together.";
  }

  @Override
  public List<String> examples() {
    return List.of("ensemble --members runs/uniform,runs/balanced --out runs/dsa/ensemble.json",
        "ensemble --members runs/a/best.safetensors,runs/b/best.safetensors --out ab.json --force");
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Args.valued("members", "LIST", "comma-separated run directories or checkpoint files, at least two "
            + "(required)"))
        .addOption(Args.valued("out", "PATH", "the ensemble file, or a folder to write ensemble.json into "
            + "(required)"))
        .addOption(Args.flag("force", "replace an existing ensemble file"))
        .addOption(Args.flag("json", "print the ensemble as JSON"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    String list = Args.required(line, "members");
    List<Path> members = new ArrayList<>();
    for (String part : list.split(",")) {
      if (!part.isBlank()) {
        members.add(Path.of(part.trim()));
      }
    }
    if (members.size() < 2) {
      throw new UsageException("--members needs at least two runs, got " + members.size());
    }
    Path out = Path.of(Args.required(line, "out"));
    if (Files.isDirectory(out) || !out.getFileName().toString().endsWith(".json")) {
      out = out.resolve("ensemble.json");
    }
    if (Files.exists(out) && !line.hasOption("force")) {
      throw new MedvisionException(out + " exists; use --force to replace it");
    }
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new MedvisionException("cannot create the folder of " + out + ": " + e.getMessage(), e);
    }
    ModelSource model = EnsembleFile.write(medvision.get(), out, members, Main.version());
    if (line.hasOption("json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ensemble", out.toString());
      m.put("task", model.task().name());
      m.put("config", Map.of("variant", model.task().config().variant(), "options", model.sharedOptions()));
      List<Object> listed = new ArrayList<>();
      for (ModelSource.Member member : model.members()) {
        listed.add(Map.of("name", member.name(), "weights", member.weightsFile().toString(), "sha256",
            member.sha256(), "trainingOptions", new TreeMap<>(member.trainingOptions())));
      }
      m.put("members", listed);
      ctx.out().println(Json.write(m));
      return ExitCodes.OK;
    }
    ctx.out().println("wrote " + out + ": " + model.describe() + ", mean of "
        + model.members().size() + " members");
    Table t = new Table("member", "checkpoint", "SHA-256", "training options");
    for (ModelSource.Member member : model.members()) {
      t.row(member.name(), member.weightsFile(), member.sha256().substring(0, 16) + "...",
          new TreeMap<>(member.trainingOptions()));
    }
    t.print(ctx.out());
    ctx.out().println("next: medvision evaluate --model " + out + " --data <manifest> --report <dir>");
    return ExitCodes.OK;
  }
}
