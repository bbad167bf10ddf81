package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.engine.onnx.OnnxExporter;

/** {@code medvision export}: a task model with weights as a standalone model file (ONNX). */
public final class ExportCommand implements Command {
  /** Formats this command writes. */
  static final List<String> FORMATS = List.of("onnx", "safetensors");

  private final Provider<Medvision> medvision;

  /** A command building tasks from {@code medvision}. */
  @Inject
  public ExportCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "export";
  }

  @Override
  public String summary() {
    return "write a model with its weights as an ONNX file, or its weights as .safetensors";
  }

  @Override
  public String description() {
    return "Builds the task's model, takes weights from a .safetensors file (checked against every parameter: "
        + "missing, unexpected and mis-shaped names are reported together) or from seeded random initialisation, "
        + "and writes a standalone model file that other tools (ONNX Runtime, Netron, onnx.checker) can load. The "
        + "file is written to a temporary name and moved into place, so a failure leaves no partial file. With "
        + "--format safetensors only the weights are written (with the task, variant and weights source in the "
        + "file's metadata): a starting point for predict, or checkpoints converted from another layout with "
        + "--key-map.";
  }

  @Override
  public List<String> examples() {
    return List.of("export --task strokenext --variant tiny --weights w.safetensors --format onnx --out tiny.onnx",
        "export --task strokenext --variant atto --random-init --seed 7 --out atto.onnx",
        "export --task strokenext --variant tiny --subtask presence --weights authors.safetensors --key-map "
            + "torchvision --format safetensors --out tiny-presence.safetensors");
  }

  @Override
  public Options options() {
    Options o = WeightsOptions.add(TaskOptions.add(new Options()), true);
    return o.addOption(Args.valued("format", "FORMAT", "output format; supported: " + String.join(", ", FORMATS)
            + " (default: onnx)"))
        .addOption(Args.valued("out", "FILE", "output file (required)"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    String format = Args.string(line, "format", "onnx").toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new UsageException("unsupported format '" + format + "'; supported: " + String.join(", ", FORMATS));
    }
    Path out = Path.of(Args.required(line, "out"));
    if (Files.isDirectory(out)) {
      throw new MedvisionException("--out " + out + " is a directory; give a file name such as model." + format);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new MedvisionException("cannot write " + out + ": directory " + parent + " does not exist");
    }
    Medvision mv = medvision.get();
    Task task = TaskOptions.task(line, mv);
    try (ProgressBar bar = ctx.progress("export", 3)) {
      bar.update(1);
      Weights weights = WeightsOptions.load(line, mv, task.graph(), false, ctx.err());
      bar.update(2);
      if (format.equals("onnx")) {
        OnnxExporter.export(task.graph(), weights, out);
      } else {
        Safetensors.write(out, withProvenance(weights, task));
      }
      bar.update(3);
    }
    long bytes;
    try {
      bytes = Files.size(out);
    } catch (java.io.IOException e) {
      throw new MedvisionException("wrote " + out + " but cannot read its size: " + e.getMessage(), e);
    }
    ctx.out().println("wrote " + out + " (" + format + ", " + TaskOptions.describe(task) + ", "
        + Formats.mebibytes(bytes) + " MiB)");
    return ExitCodes.OK;
  }

  /** The weights with the model they were fitted to recorded in the file's metadata. */
  private static Weights withProvenance(Weights weights, Task task) {
    Map<String, String> metadata = new LinkedHashMap<>(weights.metadata());
    metadata.putAll(task.graph().metadata());
    metadata.put("source", weights.source());
    return new Weights(weights.tensors(), metadata, weights.source());
  }
}
