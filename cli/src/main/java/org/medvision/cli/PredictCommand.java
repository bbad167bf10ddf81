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

/** {@code medvision predict}: class probabilities for image files. */
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
    return "classify image files and print per-class probabilities";
  }

  @Override
  public String description() {
    return "Reads each image (PNG, JPEG, BMP; grayscale, RGB or palette; 8 or 16 bit), preprocesses it as the "
        + "task asks (resize to --image-size, grayscale to the model's channels, normalisation), runs the model in "
        + "batches on the chosen engine and device, and prints per image the most probable label and the "
        + "probability of every label. --json adds provenance: task configuration, engine and version, device, and "
        + "the SHA-256 of the weights file.";
  }

  @Override
  public List<String> examples() {
    return List.of("predict --task strokenext --variant atto --subtask 3class --weights w.safetensors "
        + "--image-size 96 --engine onnx img1.png img2.png",
        "predict --task strokenext --variant tiny --weights w.safetensors --json --batch 4 scans/*.png");
  }

  @Override
  public Options options() {
    Options o = WeightsOptions.add(TaskOptions.add(new Options()), false);
    return EngineOptions.add(o)
        .addOption(Args.valued("batch", "N", "images per engine run (default: "
            + ImageClassifier.DEFAULT_BATCH_SIZE + ")"))
        .addOption(Args.flag("json", "print JSON with provenance instead of a table"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
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
