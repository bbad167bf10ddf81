package org.medvision.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.dicom.Tags;
import org.medvision.dicom.iod.Findings;
import org.medvision.dicom.iod.HeatMapOverlay;
import org.medvision.dicom.iod.SecondaryCaptureWriter;
import org.medvision.dicom.iod.StructuredReportWriter;
import org.medvision.io.classify.Classification;
import org.medvision.io.classify.ImageClassifier;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.dicom.SliceClassifier;
import org.medvision.io.dicom.StudyIndex;
import org.medvision.io.dicom.StudyScanner;
import org.medvision.io.dicom.UnreadableFile;
import org.medvision.io.dicom.WindowedSlice;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.transform.Window;
import org.medvision.io.volume.Volume;

/**
 * {@code medvision predict --input PATH}: a task classifier over the slices of DICOM files, series folders, DICOMDIRs
 * and NIfTI volumes, with optional DICOM results.
 *
 * <p>Every frame of every DICOM image and every z slice of a NIfTI volume is one item. Its rescaled values (HU for
 * CT) go through the window ({@code --window}; by default the task's, see {@link #taskWindow}) to [0, 1] and then
 * through the task's own preprocessing. With {@code --write-sr DIR} each DICOM item gets a Comprehensive SR with the
 * class probabilities and provenance; with {@code --write-sc DIR} a Secondary Capture of the windowed slice overlaid
 * with an occlusion-sensitivity map of the predicted label (the tasks offer no heat map of their own; see {@link
 * SliceClassifier#occlusionMap}). NIfTI items have no DICOM source to reference, so they get no SR or SC (a warning
 * says so).
 */
final class DicomPredict {
  /** Opacity of the hottest heat-map value in the Secondary Capture. */
  static final double OVERLAY_OPACITY = 0.5;

  private DicomPredict() {}

  /** One slice to classify. */
  private record Item(String label, DicomImage image, int frame, Volume volume, int z) {
    float[] pixels() {
      if (image != null) {
        return image.frame(frame);
      }
      float[] out = new float[volume.nx() * volume.ny()];
      for (int y = 0; y < volume.ny(); y++) {
        for (int x = 0; x < volume.nx(); x++) {
          out[y * volume.nx() + x] = volume.get(x, y, z);
        }
      }
      return out;
    }

    int rows() {
      return image != null ? image.dataSet().getInt(Tags.ROWS) : volume.ny();
    }

    int columns() {
      return image != null ? image.dataSet().getInt(Tags.COLUMNS) : volume.nx();
    }
  }

  /** Adds the DICOM/NIfTI options to {@code options}. */
  static Options addOptions(Options options) {
    return options
        .addOption(Option.builder().longOpt("input").hasArg().argName("PATH").desc("DICOM file, series folder, study "
            + "tree, DICOMDIR or NIfTI volume (.nii, .nii.gz) to classify slice by slice; repeatable (default: none, images are then given as arguments)").build())
        .addOption(Args.valued("window", "NAME|C/W|file", "window applied to rescaled values before the task's "
            + "preprocessing: a preset (" + String.join(", ", Window.presetNames()) + "), CENTER/WIDTH, or 'file' "
            + "for the image's own Window Center/Width (full range when it has none); default: the task's window "
            + "(brain for strokenext and hemorrhage-dualtask, lung for covid-dsa), else 'file'"))
        .addOption(Args.valued("write-sr", "DIR", "with --input: write a Comprehensive SR per DICOM source image (default: none)"))
        .addOption(Args.valued("write-sc", "DIR", "with --input: write a Secondary Capture per DICOM source image: "
            + "the windowed slice with an occlusion-sensitivity heat map (patch 1/4, stride 1/8 of each side; default: none)"));
  }

  /** True when any option of this mode was given. */
  static boolean requested(CommandLine line) {
    return line.hasOption("input");
  }

  /** Rejects the options of this mode on a command line that does not use it. */
  static void rejectWithoutInput(CommandLine line) {
    for (String name : List.of("window", "write-sr", "write-sc")) {
      if (line.hasOption(name)) {
        throw new UsageException("--" + name + " applies to DICOM/NIfTI input; give --input PATH");
      }
    }
  }

  /**
   * The window a task expects by default, or null for "use the file's". Tasks declare no window in the api yet, so
   * this maps the known CT tasks by name to the windows their papers use.
   */
  static Window taskWindow(String taskName) {
    switch (taskName) {
      case "strokenext":
      case "hemorrhage-dualtask":
        return Window.BRAIN;
      case "covid-dsa":
        return Window.LUNG;
      default:
        return null;
    }
  }

  /** The window named by {@code --window}, or null for "from the file". */
  static Window parseWindow(String value) {
    if (value.equalsIgnoreCase("file")) {
      return null;
    }
    int slash = value.indexOf('/');
    if (slash < 0) {
      try {
        return Window.preset(value);
      } catch (MedvisionException e) {
        throw new UsageException("--window: " + e.getMessage() + "; or give CENTER/WIDTH or 'file'");
      }
    }
    try {
      return new Window(Double.parseDouble(value.substring(0, slash).trim()),
          Double.parseDouble(value.substring(slash + 1).trim()));
    } catch (NumberFormatException e) {
      throw new UsageException("--window needs a preset, CENTER/WIDTH (e.g. 40/80) or 'file', got '" + value + "'");
    } catch (MedvisionException e) {
      throw new UsageException("--window " + value + ": " + e.getMessage());
    }
  }

  /** Runs the mode; see the class description. */
  static int run(CommandLine line, CommandContext ctx, Medvision mv) {
    if (!line.getArgList().isEmpty()) {
      throw new UsageException("give inputs either as --input PATH or as image arguments, not both");
    }
    if (!line.hasOption("weights")) {
      throw new UsageException("missing required option --weights (a .safetensors file)");
    }
    Path srDir = Args.path(line, "write-sr");
    Path scDir = Args.path(line, "write-sc");
    int batch = Args.integer(line, "batch", ImageClassifier.DEFAULT_BATCH_SIZE, 1);
    Task task = TaskOptions.task(line, mv);
    Window window = line.hasOption("window") ? parseWindow(line.getOptionValue("window")) : taskWindow(task.name());
    List<Item> items = collect(line.getOptionValues("input"), ctx);
    for (Path dir : new Path[] {srDir, scDir}) {
      if (dir != null) {
        try {
          Files.createDirectories(dir);
        } catch (java.io.IOException e) {
          throw new MedvisionException("cannot create output folder " + dir + ": " + e.getMessage(), e);
        }
      }
    }
    if ((srDir != null || scDir != null) && items.stream().anyMatch(i -> i.image() == null)) {
      ctx.err().println("medvision: warning: NIfTI slices have no DICOM source to reference; no SR or SC is "
          + "written for them");
    }
    Weights weights = WeightsOptions.load(line, mv, task.graph(), false, ctx.err());
    Path weightsFile = Args.path(line, "weights");
    String sha = WeightsDigest.sha256(weightsFile);
    CompileOptions options = EngineOptions.compileOptions(line);
    List<Classification> predictions = new ArrayList<>(items.size());
    Map<String, Object> provenance = new LinkedHashMap<>();
    List<String> written = new ArrayList<>();
    try (Engine engine = mv.engine(EngineOptions.engineName(line));
        SliceClassifier classifier = new SliceClassifier(task, engine, weights, options, batch);
        ProgressBar bar = ctx.progress("predict", items.size())) {
      provenance.put("task", task.name());
      provenance.put("config", TasksCommand.config(task.config()));
      provenance.put("graph", task.graph().name());
      provenance.put("engine", engine.name());
      provenance.put("engineVersion", engine.version());
      provenance.put("device", options.device().toString());
      provenance.put("weights", weightsFile.toString());
      provenance.put("weightsSha256", sha);
      provenance.put("window", window == null ? "file" : window.center() + "/" + window.width());
      Map<String, String> srProvenance = new LinkedHashMap<>();
      srProvenance.put(Findings.MODEL, task.graph().name());
      srProvenance.put(Findings.ENGINE, engine.name());
      srProvenance.put(Findings.ENGINE_VERSION, engine.version());
      srProvenance.put(Findings.DEVICE, options.device().toString());
      srProvenance.put(Findings.WEIGHTS_SHA256, sha);
      // Windowed slices are made per batch so a large study never sits in memory as floats all at once.
      for (int start = 0; start < items.size(); start += batch) {
        List<Item> chunk = items.subList(start, Math.min(items.size(), start + batch));
        List<WindowedSlice> slices = new ArrayList<>(chunk.size());
        for (Item item : chunk) {
          float[] pixels = item.pixels();
          Window w = window != null ? window : fileWindow(item, pixels);
          slices.add(WindowedSlice.of(pixels, item.rows(), item.columns(), w));
        }
        List<Classification> results = classifier.classify(slices);
        predictions.addAll(results);
        for (int i = 0; i < chunk.size(); i++) {
          Item item = chunk.get(i);
          if (item.image() == null) {
            continue;
          }
          String stem = fileStem(item);
          Classification p = results.get(i);
          if (srDir != null) {
            List<Double> probabilities = new ArrayList<>();
            p.probabilities().values().forEach(v -> probabilities.add((double) v));
            Path file = srDir.resolve("SR_" + stem + ".dcm");
            new StructuredReportWriter().write(file, new Findings(task.name(), classifier.labels(), probabilities,
                srProvenance, List.of(item.image().dataSet())));
            written.add(file.toString());
          }
          if (scDir != null) {
            float[] heat = classifier.occlusionMap(slices.get(i), p.topIndex());
            Path file = scDir.resolve("SC_" + stem + ".dcm");
            new SecondaryCaptureWriter().write(file, item.image().dataSet(), slices.get(i).grey8(), heat,
                slices.get(i).rows(), slices.get(i).columns(), new HeatMapOverlay(OVERLAY_OPACITY),
                "medvision " + task.name() + " occlusion sensitivity of '" + p.topLabel() + "'");
            written.add(file.toString());
          }
        }
        bar.update(start + chunk.size());
      }
    }
    print(line, ctx, items, predictions, provenance, written, task);
    return ExitCodes.OK;
  }

  private static Window fileWindow(Item item, float[] pixels) {
    if (item.image() != null) {
      return item.image().window(item.frame()).orElseGet(() -> Window.spanning(pixels));
    }
    return Window.spanning(pixels);
  }

  /** A file name stem from the SOP Instance UID (UIDs are digits and dots) and, for multi-frame objects, the frame. */
  private static String fileStem(Item item) {
    String uid = item.image().dataSet().getString(Tags.SOP_INSTANCE_UID, "unknown").replaceAll("[^0-9.]", "_");
    return item.image().frameCount() > 1 ? uid + "_f" + item.frame() : uid;
  }

  private static List<Item> collect(String[] inputs, CommandContext ctx) {
    List<Item> items = new ArrayList<>();
    for (String input : inputs) {
      Path path = Path.of(input);
      if (!Files.exists(path)) {
        throw new MedvisionException("input not found: " + path);
      }
      String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
      if (Files.isRegularFile(path) && (name.endsWith(".nii") || name.endsWith(".nii.gz"))) {
        Volume v = new NiftiReader().read(path).volume();
        for (int z = 0; z < v.nz(); z++) {
          items.add(new Item(path + " slice " + (z + 1), null, 0, v, z));
        }
        continue;
      }
      StudyIndex index;
      try (DicomInfoPrinter.Progress progress = new DicomInfoPrinter.Progress(ctx, "scan " + path)) {
        index = new StudyScanner().scan(path, progress);
      }
      for (UnreadableFile u : index.unreadable()) {
        ctx.err().println("medvision: warning: skipped unreadable file " + u.error());
      }
      int before = items.size();
      for (DicomSeries series : index.series()) {
        for (DicomImage image : series.images()) {
          for (int f = 1; f <= image.frameCount(); f++) {
            items.add(new Item(image.frameCount() > 1 ? image.source() + " frame " + f : image.source(), image, f,
                null, 0));
          }
        }
      }
      if (items.size() == before) {
        throw new MedvisionException("no DICOM images found in " + path + " (" + index.filesExamined()
            + " files examined, " + index.unreadable().size() + " unreadable)");
      }
    }
    return items;
  }

  private static void print(CommandLine line, CommandContext ctx, List<Item> items, List<Classification> predictions,
      Map<String, Object> provenance, List<String> written, Task task) {
    List<String> labels = task.outputs().get(0).labels();
    if (line.hasOption("json")) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("provenance", provenance);
      m.put("output", task.outputs().get(0).name());
      m.put("labels", labels);
      List<Object> rows = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image", items.get(i).label());
        r.put("label", predictions.get(i).topLabel());
        r.put("probability", predictions.get(i).topProbability());
        r.put("probabilities", predictions.get(i).probabilities());
        rows.add(r);
      }
      m.put("predictions", rows);
      m.put("written", written);
      ctx.out().println(Json.write(m));
      return;
    }
    String[] header = new String[labels.size() + 2];
    header[0] = "image";
    header[1] = "label";
    for (int i = 0; i < labels.size(); i++) {
      header[i + 2] = "p(" + labels.get(i) + ")";
    }
    Table t = new Table(header);
    for (int i = 0; i < items.size(); i++) {
      Object[] row = new Object[header.length];
      row[0] = items.get(i).label();
      row[1] = predictions.get(i).topLabel();
      for (int j = 0; j < labels.size(); j++) {
        row[j + 2] = Formats.fixed(predictions.get(i).probabilities().get(labels.get(j)), 4);
      }
      t.row(row);
    }
    t.print(ctx.out());
    for (String file : written) {
      ctx.err().println("wrote " + file);
    }
  }
}
