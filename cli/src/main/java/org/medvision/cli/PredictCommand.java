package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.classify.ImageClassifier;
import org.medvision.io.classify.Prediction;
import org.medvision.io.image.ImageReadException;

/**
 * {@code medvision predict}: class probabilities of a task model for image files, or, with {@code --model}, the
 * outputs of an imported ONNX or {@code .graph} model for image or {@code .npy} files.
 */
public final class PredictCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command building tasks and engines from {@code medvision}. */
  @Inject
  public PredictCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "predict";
  }

  @Override
  public String summary() {
    return "classify image files with a task model, or run an ONNX/.graph model (--model) on images or .npy files";
  }

  @Override
  public String description() {
    return "Reads each image (PNG, JPEG, BMP; grayscale, RGB or palette; 8 or 16 bit), preprocesses it as the "
        + "task asks (resize to --image-size, grayscale to the model's channels, normalisation), runs the model in "
        + "batches on the chosen engine and device, and prints per image the most probable label and the "
        + "probability of every label. --json adds provenance: task configuration, engine and version, device, and "
        + "the SHA-256 of the weights file. With --model FILE (.onnx, imported into the IR, or a .graph file from "
        + "'medvision import') no task is needed: each argument is an image, preprocessed to the model's input "
        + "[C, H, W] (bilinear resize, grayscale/RGB to its channels, values in [0, 1], then --mean/--std), or a "
        + ".npy tensor (one sample, or a whole batch); a model with several inputs takes NAME=FILE arguments. "
        + "Each output is reported as the top --top classes per sample when it is 2-D float [N, K] (logits and "
        + "softmax probabilities), otherwise as its shape, min, max, mean and first values.";
  }

  @Override
  public List<String> examples() {
    return List.of("predict --task strokenext --variant atto --subtask 3class --weights w.safetensors "
        + "--image-size 96 --engine onnx img1.png img2.png",
        "predict --task strokenext --variant tiny --weights w.safetensors --json --batch 4 scans/*.png",
        "predict --model model.onnx --engine tensorflow --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 img.png",
        "predict --model model.graph --engine djl --json x=sample.npy");
  }

  @Override
  public Options options() {
    Options o = WeightsOptions.add(TaskOptions.add(new Options()), false);
    EngineOptions.add(o)
        .addOption(Args.valued("batch", "N", "images per engine run (default: "
            + ImageClassifier.DEFAULT_BATCH_SIZE + ")"))
        .addOption(Args.flag("json", "print JSON with provenance instead of a table"))
        .addOption(Args.valued("model", "FILE", "run this .onnx or .graph model instead of a task (no --task or "
            + "--weights; default: none, a task model)"))
        .addOption(Args.valued("mean", "LIST", "with --model: per-channel mean subtracted from images in [0, 1], "
            + "one value or one per channel (default: 0)"))
        .addOption(Args.valued("std", "LIST", "with --model: per-channel divisor of images, one value or one per "
            + "channel (default: 1)"))
        .addOption(Args.valued("top", "K", "with --model: classes listed per sample for 2-D outputs (default: 5)"));
    return DicomPredict.addOptions(o);
  }

  private int runModel(CommandLine line, CommandContext ctx) {
    for (String taskOnly : List.of("task", "weights", "variant", "subtask", "fusion", "image-size", "key-map",
        "batch")) {
      if (line.hasOption(taskOnly)) {
        throw new UsageException("--" + taskOnly + " belongs to task models; --model FILE carries its own graph "
            + "and weights");
      }
    }
    if (line.getArgList().isEmpty()) {
      throw new UsageException("give one or more input files (images or .npy) after the options");
    }
    ModelPrediction.run(medvision.get(), Args.path(line, "model"), EngineOptions.engineName(line),
        EngineOptions.compileOptions(line), line.getArgList(), floats(line, "mean"), floats(line, "std"),
        Args.integer(line, "top", 5, 1), line.hasOption("json"), ctx.out());
    return ExitCodes.OK;
  }

  /** A comma-separated float list, or null when the option is absent. */
  private static float[] floats(CommandLine line, String name) {
    String v = line.getOptionValue(name);
    if (v == null) {
      return null;
    }
    String[] parts = v.split(",", -1);
    float[] out = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        out[i] = Float.parseFloat(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new UsageException("--" + name + " needs comma-separated numbers, got '" + v + "'");
      }
      if (name.equals("std") && !(out[i] > 0)) {
        throw new UsageException("--std values must be positive, got " + parts[i].trim());
      }
    }
    return out;
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    if (line.hasOption("model")) {
      return runModel(line, ctx);
    }
    if (DicomPredict.requested(line)) {
      return DicomPredict.run(line, ctx, medvision.get());
    }
    DicomPredict.rejectWithoutInput(line);
    for (String modelOnly : List.of("mean", "std", "top")) {
      if (line.hasOption(modelOnly)) {
        throw new UsageException("--" + modelOnly + " applies to --model; a task preprocesses as it declares");
      }
    }
    List<Path> images = new ArrayList<>();
    for (String a : line.getArgList()) {
      images.add(Path.of(a));
    }
    if (images.isEmpty()) {
      throw new UsageException("give one or more image files after the options");
    }
    for (Path p : images) {
      if (!Files.isRegularFile(p)) {
        throw new ImageReadException("image file not found: " + p);
      }
    }
    if (!line.hasOption("weights")) {
      throw new UsageException("missing required option --weights (a .safetensors file)");
    }
    int batch = Args.integer(line, "batch", ImageClassifier.DEFAULT_BATCH_SIZE, 1);
    Medvision mv = medvision.get();
    Task task = TaskOptions.task(line, mv);
    Weights weights = WeightsOptions.load(line, mv, task.graph(), false, ctx.err());
    Path weightsFile = Args.path(line, "weights");
    CompileOptions options = EngineOptions.compileOptions(line);
    List<Prediction> predictions;
    String engineName;
    String engineVersion;
    try (Engine engine = mv.engine(EngineOptions.engineName(line))) {
      engineName = engine.name();
      engineVersion = engine.version();
      try (ImageClassifier classifier = new ImageClassifier(task, engine, weights, options, batch);
          ProgressBar bar = ctx.progress("predict", images.size())) {
        predictions = classifier.classify(images, (done, total) -> bar.update(done));
      }
    }
    if (predictions.isEmpty()) {
      throw new MedvisionException("no predictions were produced");
    }
    List<String> labels = List.copyOf(predictions.get(0).probabilities().keySet());
    if (line.hasOption("json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> provenance = new LinkedHashMap<>();
      provenance.put("task", task.name());
      provenance.put("config", TasksCommand.config(task.config()));
      provenance.put("graph", task.graph().name());
      provenance.put("engine", engineName);
      provenance.put("engineVersion", engineVersion);
      provenance.put("device", options.device().toString());
      provenance.put("weights", weightsFile.toString());
      provenance.put("weightsSha256", WeightsDigest.sha256(weightsFile));
      m.put("provenance", provenance);
      m.put("output", predictions.get(0).output());
      m.put("labels", labels);
      List<Object> rows = new ArrayList<>();
      for (Prediction p : predictions) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image", p.image().toString());
        r.put("label", p.topLabel());
        r.put("probability", p.topProbability());
        r.put("probabilities", p.probabilities());
        rows.add(r);
      }
      m.put("predictions", rows);
      ctx.out().println(Json.write(m));
      return ExitCodes.OK;
    }
    String[] header = new String[labels.size() + 2];
    header[0] = "image";
    header[1] = "label";
    for (int i = 0; i < labels.size(); i++) {
      header[i + 2] = "p(" + labels.get(i) + ")";
    }
    Table t = new Table(header);
    for (Prediction p : predictions) {
      Object[] row = new Object[header.length];
      row[0] = p.image();
      row[1] = p.topLabel();
      for (int i = 0; i < labels.size(); i++) {
        row[i + 2] = Formats.fixed(p.probabilities().get(labels.get(i)), 4);
      }
      t.row(row);
    }
    t.print(ctx.out());
    return ExitCodes.OK;
  }
}
