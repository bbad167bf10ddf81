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
import org.medvision.runtime.ModelCheckpoint;
import org.medvision.runtime.ModelSource;
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
    return "Takes a trained model (--model: a checkpoint, whose sidecar gives the task and every option), or a "
        + "task with weights from a .safetensors file (checked against every parameter: missing, unexpected and "
        + "mis-shaped names are reported together) or from seeded random initialisation, and writes a standalone "
        + "model file that other tools (ONNX Runtime, Netron, onnx.checker) can load. The file is written to a "
        + "temporary name and moved into place, so a failure leaves no partial file. With --format safetensors "
        + "the weights are written with the model recorded in the file's metadata, and a sidecar (name.json) "
        + "records the task and every option, so 'predict --model name.safetensors' needs nothing else; this also "
        + "converts checkpoints from another layout (--key-map).";
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
    Options o = ModelOptions.add(TaskOptions.add(new Options(), medvision.get()), true, false);
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
    ModelSource model = ModelOptions.load(line, mv, false, ctx.err());
    if (model.isEnsemble()) {
      throw new UsageException("model " + model.file() + " is an ensemble of " + model.members().size()
          + " members; export each member's checkpoint");
    }
    Task task = model.task();
    Weights weights = model.members().get(0).weights();
    Path sidecar = null;
    try (ProgressBar bar = ctx.progress("export", 2)) {
      bar.update(1);
      if (format.equals("onnx")) {
        OnnxExporter.export(task.graph(), weights, out);
      } else {
        Safetensors.write(out, withProvenance(weights, task));
        sidecar = ModelCheckpoint.writeFor(out, task, "export", Main.version());
      }
      bar.update(2);
    }
    long bytes;
    try {
      bytes = Files.size(out);
    } catch (java.io.IOException e) {
      throw new MedvisionException("wrote " + out + " but cannot read its size: " + e.getMessage(), e);
    }
    ctx.out().println("wrote " + out + " (" + format + ", " + TaskOptions.describe(task) + ", "
        + Formats.mebibytes(bytes) + " MiB)" + (sidecar == null ? "" : "; its task and options in " + sidecar));
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
