package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Windowing;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.Detections;
import org.medvision.api.pipeline.GeneratedImage;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.pipeline.Prediction;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.task.Task;
import org.medvision.io.transform.Window;
import org.medvision.runtime.AcquisitionCheck;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.PredictionInput;
import org.medvision.runtime.PredictionInputs;
import org.medvision.runtime.PredictionOptions;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.Provenance;
import org.medvision.runtime.StudyPrediction;

/**
 * {@code medvision predict}: a trained model (a checkpoint, an ensemble, or a task with weights) on image files, DICOM
 * files, series folders, study trees, DICOMDIRs and NIfTI volumes, with optional DICOM and NIfTI results; or, with
 * {@code --model} naming an {@code .onnx} or {@code .graph} file, the outputs of an imported model.
 */
public final class PredictCommand implements Command {
  /** Examples per engine run when none is given. */
  static final int DEFAULT_BATCH = 8;
  /** Refuse inputs outside the task's declared modalities and body parts. */
  static final String STRICT = "strict";

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
    return "run a trained model on images, DICOM studies or NIfTI volumes, with SR, overlays and maps; or run an "
        + "ONNX/.graph model (--model)";
  }

  @Override
  public String description() {
    return "Runs a trained model: --model FILE (a checkpoint such as runs/x/best.safetensors, whose sidecar records "
        + "the task and every option, or an ensemble.json, whose members' probabilities and maps are averaged), or "
        + "--weights FILE with --task. Inputs are given as arguments or with --input (repeatable): PNG, JPEG or BMP "
        + "files; DICOM files, series folders, study trees or DICOMDIRs; NIfTI volumes. What one input is follows "
        + "the task: for a 2-D task every image, DICOM frame and NIfTI z slice; for a 3-D task every DICOM series "
        + "and NIfTI volume. Each is read exactly as in training: DICOM and NIfTI values are windowed by the task's "
        + "rule (its fixed window, e.g. the brain window 40/80 HU for strokenext; --window overrides it for every "
        + "input alike: a preset, CENTER/WIDTH, 'file' for each DICOM file's own window, or 'range'), PNG/JPEG are "
        + "taken as displayed, then the task's preprocessing (resize, crop, normalisation) applies. Prints per "
        + "input the predicted label and every class probability (for multi-label tasks, the labels at or above the "
        + "task's threshold and every label's probability). "
        + "--write-sr DIR writes a Comprehensive SR per DICOM input (probabilities, the predicted finding or, for "
        + "multi-label tasks, every finding at or above the threshold, model provenance, a new series in the source "
        + "study); --write-map DIR writes the task's maps (e.g. DSA-Net's "
        + "attention) as NIfTI on the source scan's grid, as PNG overlays for image files and as Secondary Capture "
        + "overlays per source slice for DICOM inputs; --write-sc DIR writes the overlays only, and for 2-D "
        + "classifiers without a map of their own an occlusion-sensitivity map (patch 1/4, stride 1/8 of each side, "
        + "49 model runs per image); --write-seg DIR writes detections with masks as DICOM SEG. --json adds "
        + "provenance: task and options, engine and version, device, every weights file's SHA-256. With --model "
        + "FILE.onnx or FILE.graph (from 'medvision import') no task is needed: each argument is an image, "
        + "preprocessed to the model's input [C, H, W] (bilinear resize, grayscale/RGB to its channels, values in "
        + "[0, 1], then --mean/--std), or a .npy tensor; a model with several inputs takes NAME=FILE arguments.";
  }

  @Override
  public List<String> examples() {
    return List.of("predict --model runs/atto/best.safetensors img1.png img2.png",
        "predict --model runs/dsa/ensemble.json --input study/ --write-sr out/ --write-map out/",
        "predict --task strokenext --variant atto --weights w.safetensors --image-size 96 --engine onnx img.png",
        "predict --model runs/atto/best.safetensors --input ct.dcm --window file --json",
        "predict --model model.onnx --engine tensorflow --mean 0.485,0.456,0.406 --std 0.229,0.224,0.225 img.png");
  }

  @Override
  public Options options() {
    Options o = ModelOptions.add(TaskOptions.add(new Options(), medvision.get()), false);
    return EngineOptions.add(StrictOption.add(o))
        .addOption(Option.builder().longOpt("input").hasArg().argName("PATH").desc("an image, DICOM file, series "
            + "folder, study tree, DICOMDIR or NIfTI volume to predict; repeatable; inputs may also be given as "
            + "arguments (default: none)").build())
        .addOption(Args.valued("batch", "N", "inputs per engine run (default: " + DEFAULT_BATCH + ")"))
        .addOption(Args.valued("window", "NAME|C/W|file|range", "how DICOM and NIfTI values become [0, 1]: a preset ("
            + String.join(", ", Window.presetNames()) + "), CENTER/WIDTH, 'file' (each DICOM file's own window, else "
            + "its full range) or 'range' (each image's full range); default: the task's own rule, the one training "
            + "used ('medvision tasks' shows it)"))
        .addOption(Args.valued("write-sr", "DIR", "write a Comprehensive SR per DICOM input (default: none)"))
        .addOption(Args.valued("write-map", "DIR", "write the task's maps: NIfTI for scans, PNG overlays for image "
            + "files, Secondary Capture overlays for DICOM inputs (default: none)"))
        .addOption(Args.valued("write-sc", "DIR", "write Secondary Capture overlays per DICOM source image: the "
            + "task's map, or an occlusion-sensitivity map for 2-D classifiers without one (default: none)"))
        .addOption(Args.valued("write-seg", "DIR", "write detections with masks as DICOM SEG (default: none)"))
        .addOption(Args.flag("json", "print JSON with provenance instead of a table"))
        .addOption(Args.valued("mean", "LIST", "with --model FILE.onnx/.graph: per-channel mean subtracted from images "
            + "in [0, 1], one value or one per channel (default: 0)"))
        .addOption(Args.valued("std", "LIST", "with --model FILE.onnx/.graph: per-channel divisor of images, one "
            + "value or one per channel (default: 1)"))
        .addOption(Args.valued("top", "K", "with --model FILE.onnx/.graph: classes listed per sample for 2-D "
            + "outputs (default: 5)"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    return StrictOption.during(line, () -> execute(line, ctx));
  }

  private int execute(CommandLine line, CommandContext ctx) {
    Path model = Args.path(line, "model");
    if (model != null && isImportedModel(model)) {
      return runImported(line, ctx, model);
    }
    for (String modelOnly : List.of("mean", "std", "top")) {
      if (line.hasOption(modelOnly)) {
        throw new UsageException("--" + modelOnly + " applies to --model FILE.onnx or .graph; a task preprocesses "
            + "as it declares");
      }
    }
    List<Path> paths = new ArrayList<>();
    String[] inputs = line.getOptionValues("input");
    if (inputs != null) {
      for (String s : inputs) {
        paths.add(Path.of(s));
      }
    }
    line.getArgList().forEach(a -> paths.add(Path.of(a)));
    if (paths.isEmpty()) {
      throw new UsageException("give one or more inputs (images, DICOM files or folders, NIfTI volumes) as "
          + "arguments or with --input");
    }
    if (!ModelOptions.given(line)) {
      throw new UsageException("give --model FILE (a checkpoint or ensemble.json), or --weights FILE with --task");
    }
    int batch = Args.integer(line, "batch", DEFAULT_BATCH, 1);
    Medvision mv = medvision.get();
    ModelSource source = ModelOptions.load(line, mv, false, ctx.err());
    Windowing window = WindowOption.parse(line, source.task());
    PredictionOptions writes = new PredictionOptions(Args.path(line, "write-sr"), Args.path(line, "write-sc"),
        Args.path(line, "write-map"), Args.path(line, "write-seg"), window);
    PredictionInputs.Collected found;
    try (DicomInfoPrinter.Progress scanning = new DicomInfoPrinter.Progress(ctx, "scan inputs")) {
      found = PredictionInputs.scan(source.task().data(), paths, scanning);
    }
    found.skipped().forEach(u -> ctx.err().println("medvision: warning: skipped unreadable file " + u.error()));
    List<PredictionInput> items = found.inputs();
    Map<String, Long> outside = new LinkedHashMap<>();
    for (PredictionInput in : items) {
      AcquisitionCheck.warning(source.task(), in).ifPresent(w -> outside.merge(w, 1L, Long::sum));
    }
    if (!outside.isEmpty() && line.hasOption(STRICT)) {
      throw new MedvisionException("--strict: " + outside.values().stream().mapToLong(Long::longValue).sum() + " of "
          + items.size() + " inputs are outside what " + source.task().name() + " was built for: "
          + outside.keySet().iterator().next());
    }
    outside.forEach((w, n) -> ctx.err().println("medvision: warning: " + n + " of " + items.size() + " inputs: " + w));
    CompileOptions options = EngineOptions.compileOptions(line);
    List<StudyPrediction.Outcome> outcomes;
    Map<String, Object> provenance;
    Set<String> warnings = new LinkedHashSet<>();
    try (Engine engine = mv.engine(EngineOptions.engineName(line));
        Predictor predictor = new Predictor(engine, source, options, batch);
        ProgressBar bar = ctx.progress("predict", items.size())) {
      provenance = new LinkedHashMap<>(Provenance.of(source, engine, options));
      provenance.put("window", window == null ? WindowOption.taskWindow(source.task()) : window.toString());
      outcomes = new StudyPrediction(predictor, writes, provenance).run(items, (done, total) -> bar.update(done),
          warnings::add);
    }
    warnings.forEach(w -> ctx.err().println("medvision: warning: " + w));
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(json(provenance, outcomes, source.task())));
    } else {
      table(outcomes, source.task()).print(ctx.out());
      for (StudyPrediction.Outcome o : outcomes) {
        o.written().forEach(f -> ctx.err().println("wrote " + f));
      }
    }
    return partialOrOk(found, ctx);
  }

  /**
   * {@link ExitCodes#PARTIAL} with a closing summary when files were skipped, so a pipeline can tell a partial result
   * from a complete one; else {@link ExitCodes#OK}.
   */
  static int partialOrOk(PredictionInputs.Collected found, CommandContext ctx) {
    if (found.skipped().isEmpty()) {
      return ExitCodes.OK;
    }
    ctx.err().println("medvision: " + found.skipped().size() + " of " + found.filesExamined() + " files skipped "
        + "(unreadable; see the warnings above); the results cover the rest (exit code " + ExitCodes.PARTIAL + ")");
    return ExitCodes.PARTIAL;
  }

  private static boolean isImportedModel(Path model) {
    String n = model.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".onnx") || n.endsWith(".graph");
  }

  private int runImported(CommandLine line, CommandContext ctx, Path model) {
    for (String taskOnly : List.of("task", "weights", "variant", "set", "key-map", "batch", "input", "window",
        "write-sr", "write-sc", "write-map", "write-seg", STRICT)) {
      if (line.hasOption(taskOnly)) {
        throw new UsageException("--" + taskOnly + " belongs to trained task models; --model " + model.getFileName()
            + " carries its own graph and weights");
      }
    }
    for (String alias : TaskOptions.aliases(medvision.get()).keySet()) {
      if (line.hasOption(alias)) {
        throw new UsageException("--" + alias + " belongs to task models; --model " + model.getFileName()
            + " carries its own graph and weights");
      }
    }
    if (line.getArgList().isEmpty()) {
      throw new UsageException("give one or more input files (images or .npy) after the options");
    }
    ModelPrediction.run(medvision.get(), model, EngineOptions.engineName(line), EngineOptions.compileOptions(line),
        line.getArgList(), floats(line, "mean"), floats(line, "std"), Args.integer(line, "top", 5, 1),
        line.hasOption("json"), ctx.out());
    return ExitCodes.OK;
  }

  /**
   * The printed table: input, then per result its most telling values; for label probabilities the labels at or
   * above the threshold ({@code (none)} when none is) and every label's probability.
   */
  static Table table(List<StudyPrediction.Outcome> outcomes, Task task) {
    boolean anyOutside = outcomes.stream().anyMatch(o -> outside(task, o).isPresent());
    List<String> header = new ArrayList<>(List.of("input"));
    Map<String, Prediction> first = outcomes.get(0).result().predictions();
    for (Map.Entry<String, Prediction> e : first.entrySet()) {
      Prediction p = e.getValue();
      if (p instanceof ClassProbabilities c) {
        header.add("label");
        c.labels().forEach(l -> header.add("p(" + l + ")"));
      } else if (p instanceof LabelProbabilities l) {
        header.add("labels p >= " + l.threshold());
        l.labels().forEach(x -> header.add("p(" + x + ")"));
      } else {
        header.add(e.getKey());
      }
    }
    if (anyOutside) {
      header.add("warning");
    }
    Table t = new Table(header.toArray(new String[0]));
    for (StudyPrediction.Outcome o : outcomes) {
      List<Object> row = new ArrayList<>(List.of(o.input().label()));
      for (Prediction p : o.result().predictions().values()) {
        if (p instanceof ClassProbabilities c) {
          row.add(c.topLabel());
          for (float v : c.probabilities()) {
            row.add(Formats.fixed(v, 4));
          }
        } else if (p instanceof LabelProbabilities l) {
          row.add(l.present().isEmpty() ? "(none)" : String.join("|", l.present()));
          for (float v : l.probabilities()) {
            row.add(Formats.fixed(v, 4));
          }
        } else {
          row.add(summary(p));
        }
      }
      if (anyOutside) {
        row.add(outside(task, o).isPresent() ? "outside " + task.acquisition() : "");
      }
      t.row(row.toArray());
    }
    return t;
  }

  /** The input's acquisition warning; none without a task (tables built in tests). */
  private static java.util.Optional<String> outside(Task task, StudyPrediction.Outcome o) {
    return task == null ? java.util.Optional.empty() : AcquisitionCheck.warning(task, o.input());
  }

  /** A short description of a map, image or detection result. */
  private static String summary(Prediction p) {
    if (p instanceof SpatialMap m) {
      float[] v = m.values().toFloatArray();
      double max = 0;
      double sum = 0;
      for (float x : v) {
        max = Math.max(max, x);
        sum += x;
      }
      return "map " + m.values().shape() + " mean " + Formats.fixed(sum / v.length, 3) + " max "
          + Formats.fixed(max, 3);
    }
    if (p instanceof GeneratedImage g) {
      return "image " + g.image().shape();
    }
    return ((Detections) p).detections().size() + " detections";
  }

  /**
   * The {@code --json} document: provenance, then per input its results; label probabilities give {@code present}
   * (the labels at or above the threshold), {@code threshold} and {@code probabilities} (label to probability).
   */
  static Map<String, Object> json(Map<String, Object> provenance, List<StudyPrediction.Outcome> outcomes, Task task) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provenance", provenance);
    List<Object> rows = new ArrayList<>();
    for (StudyPrediction.Outcome o : outcomes) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("input", o.input().label());
      for (Map.Entry<String, Prediction> e : o.result().predictions().entrySet()) {
        Prediction p = e.getValue();
        Map<String, Object> v = new LinkedHashMap<>();
        if (p instanceof ClassProbabilities c) {
          v.put("label", c.topLabel());
          v.put("probability", c.probability(c.top()));
          Map<String, Float> probs = new LinkedHashMap<>();
          for (int i = 0; i < c.labels().size(); i++) {
            probs.put(c.labels().get(i), c.probability(i));
          }
          v.put("probabilities", probs);
        } else if (p instanceof LabelProbabilities l) {
          v.put("present", l.present());
          v.put("threshold", l.threshold());
          Map<String, Float> probs = new LinkedHashMap<>();
          float[] values = l.probabilities();
          for (int i = 0; i < values.length; i++) {
            probs.put(l.labels().get(i), values[i]);
          }
          v.put("probabilities", probs);
        } else {
          v.put("summary", summary(p));
        }
        r.put(e.getKey(), v);
      }
      r.put("warnings", outside(task, o).stream().toList());
      r.put("written", o.written().stream().map(Path::toString).toList());
      rows.add(r);
    }
    m.put("predictions", rows);
    return m;
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
}
