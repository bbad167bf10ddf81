package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.Engine;
import org.medvision.io.ProgressListener;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Provenance;
import org.medvision.runtime.batch.BatchInputs;
import org.medvision.runtime.batch.BatchRunner;
import org.medvision.runtime.batch.BatchSettings;
import org.medvision.runtime.batch.BatchSummary;
import org.medvision.runtime.batch.ModelSharing;
import org.medvision.runtime.batch.OutputFormat;

/**
 * {@code medvision batch}: a trained model over every input of a folder tree or a manifest, results written as
 * Parquet and JSON-lines part files as it goes, resumable by re-running the same command (see
 * {@link org.medvision.runtime.batch.BatchRunner}).
 */
public final class BatchCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command building tasks and engines from {@code medvision}. */
  @Inject
  public BatchCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "batch";
  }

  @Override
  public String summary() {
    return "run a trained model over a folder tree or a manifest into Parquet and JSON lines, resumably, with "
        + "several workers";
  }

  @Override
  public String description() {
    return "Runs a trained model (--model FILE, or --weights FILE with --task) over every input under --input: a "
        + "folder tree (walked in name order) or a CSV manifest with a 'path' column (paths relative to the "
        + "manifest). Inputs are found and read as 'predict' reads them: for a 2-D task every PNG, JPEG, BMP, DICOM "
        + "frame and NIfTI z slice, for a 3-D task every DICOM series (the files of one series in one folder) and "
        + "NIfTI volume; each gets the same probabilities 'predict' prints. Results go to --out as part files, "
        + "parquet/part-NNNNN.parquet and jsonl/part-NNNNN.jsonl, each written under a hidden name and renamed when "
        + "complete, with one row per input: input_id (the path relative to --input, plus #frame=N, #slice=N or "
        + "#series=UID where one file or folder gives several inputs), path, study_uid, series_uid, task, "
        + "model_sha256, engine, the predicted label and one p_<class> column per class or label, <output>_map "
        + "(with --write-map), error. An unreadable input is an error row and the job goes on; the exit code is then "
        + ExitCodes.PARTIAL + ". Stopped at any moment (Ctrl-C, a crash), the same command resumes: inputs whose ids are in "
        + "complete parts are skipped, so the final rows are the same, none twice. An output folder made by another "
        + "model, engine or configuration is refused unless --force, which deletes its results first. The first "
        + "batch is predicted before the workers start, so a model that does not fit the inputs fails before "
        + "anything is written. Workers share one compiled model on ONNX Runtime and TensorFlow and get one each on "
        + "DJL unless --model-sharing says otherwise; the queue between the folder walk and the workers holds two "
        + "batches per worker, so memory stays flat however many inputs there are.";
  }

  @Override
  public List<String> examples() {
    return List.of("batch --model runs/cxr/best.safetensors --input data/cxr/images --out preds/ --workers 2",
        "batch --model runs/atto/best.safetensors --input manifest.csv --out preds/ --format parquet --batch 16",
        "batch --model runs/dsa/ensemble.json --input studies/ --out preds/ --write-map --engine tensorflow",
        "batch --model runs/atto/best.safetensors --input slices/ --out preds/ --force --json");
  }

  @Override
  public Options options() {
    Options o = ModelOptions.add(TaskOptions.add(new Options(), medvision.get()), false);
    return EngineOptions.add(o)
        .addOption(Args.valued("input", "DIR|CSV", "a folder tree of inputs, or a CSV manifest with a 'path' column "
            + "(required)"))
        .addOption(Args.valued("out", "DIR", "the output folder, created when missing; re-running into it resumes "
            + "(required)"))
        .addOption(Args.valued("workers", "N", "threads predicting at once (default: " + BatchSettings.DEFAULT_WORKERS
            + ")"))
        .addOption(Args.valued("batch", "N", "inputs per engine run (default: " + BatchSettings.DEFAULT_BATCH + ")"))
        .addOption(Args.valued("format", "LIST", "result formats, comma-separated: parquet, jsonl (default: "
            + "parquet,jsonl)"))
        .addOption(Args.valued("rows-per-part", "N", "rows per part file; a part is also written after "
            + (int) BatchSettings.DEFAULT_PART_SECONDS + " s, so a stop loses at most that much work (default: "
            + BatchSettings.DEFAULT_ROWS_PER_PART + ")"))
        .addOption(Args.valued("model-sharing", "shared|per-worker", "one compiled model for all workers or one each "
            + "(default: shared on onnx and tensorflow, per-worker on djl)"))
        .addOption(Args.flag("write-map", "write the task's maps and generated images into OUT/maps (NIfTI for "
            + "scans, PNG overlays for image files, Secondary Capture overlays for DICOM) and their paths into the "
            + "<output>_map columns"))
        .addOption(Args.flag("force", "replace the results of another model, engine or configuration in --out"))
        .addOption(Args.flag("json", "print the summary as JSON"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    if (!line.getArgList().isEmpty()) {
      throw new UsageException("batch takes its inputs with --input DIR|CSV, not as arguments: "
          + line.getArgList());
    }
    Path input = Args.path(line, "input");
    Path out = Args.path(line, "out");
    if (input == null || out == null) {
      throw new UsageException("give --input DIR|CSV (a folder of inputs or a manifest) and --out DIR");
    }
    if (!ModelOptions.given(line)) {
      throw new UsageException("give --model FILE (a checkpoint or ensemble.json), or --weights FILE with --task");
    }
    BatchSettings settings = settings(line);
    Medvision mv = medvision.get();
    ModelSource source = ModelOptions.load(line, mv, false, ctx.err());
    BatchInputs inputs = BatchInputs.of(source.task().data(), input);
    BatchSummary summary;
    String engineName;
    String engineVersion;
    BatchProgress progress = new BatchProgress(ctx);
    // Ctrl-C or a kill ends the JVM without returning here: say what is kept and how to go on.
    Thread stopped = new Thread(() -> ctx.err().println("\nmedvision: batch stopped; the complete parts in " + out
        + " are kept: run the same command again to resume"), "medvision-batch-stopped");
    Runtime.getRuntime().addShutdownHook(stopped);
    try (Engine engine = mv.engine(EngineOptions.engineName(line)); progress) {
      engineName = engine.name();
      engineVersion = engine.version();
      summary = new BatchRunner(engine, source, EngineOptions.compileOptions(line), settings).run(inputs, out,
          progress);
    } finally {
      removeQuietly(stopped);
    }
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(json(summary, source, engineName, engineVersion, input, out, settings)));
    }
    String formats = String.join(", ", settings.formats().stream().map(OutputFormat::extension).toList());
    ctx.err().println("medvision: batch: " + summary + "; results in " + out + " (" + formats + ")"
        + (summary.failedInAll() > 0 ? "; " + summary.failedInAll() + (summary.failedInAll() == 1 ? " input"
        : " inputs") + " failed, see the error column (exit code " + ExitCodes.PARTIAL + ")" : ""));
    return summary.failedInAll() > 0 ? ExitCodes.PARTIAL : ExitCodes.OK;
  }

  private static void removeQuietly(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already ending; the hook says so.
    }
  }

  /**
   * Progress on a bar that starts with the first finished batch, so that its rate and time left leave out compiling
   * the model; notes as {@code medvision:} lines.
   */
  private static final class BatchProgress implements ProgressListener, AutoCloseable {
    private final CommandContext ctx;
    private ProgressBar bar;

    BatchProgress(CommandContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void progress(long done, long total) {
      if (bar == null) {
        bar = ctx.progress("batch", total).showingRate("inputs");
      }
      bar.update(done, total);
    }

    @Override
    public void note(String message) {
      ctx.err().println("medvision: " + message);
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }

  private static BatchSettings settings(CommandLine line) {
    List<OutputFormat> formats = new ArrayList<>();
    for (String f : Args.string(line, "format", "parquet,jsonl").split(",", -1)) {
      try {
        formats.add(OutputFormat.named(f));
      } catch (MedvisionException e) {
        throw new UsageException("--format: " + e.getMessage());
      }
    }
    ModelSharing sharing = null;
    if (line.hasOption("model-sharing")) {
      String v = line.getOptionValue("model-sharing").trim().toLowerCase(Locale.ROOT);
      if (!v.equals("shared") && !v.equals("per-worker")) {
        throw new UsageException("--model-sharing is shared or per-worker, got '" + v + "'");
      }
      sharing = v.equals("shared") ? ModelSharing.SHARED : ModelSharing.PER_WORKER;
    }
    try {
      return new BatchSettings(Args.integer(line, "workers", BatchSettings.DEFAULT_WORKERS, 1),
          Args.integer(line, "batch", BatchSettings.DEFAULT_BATCH, 1),
          Args.integer(line, "rows-per-part", BatchSettings.DEFAULT_ROWS_PER_PART, 1),
          BatchSettings.DEFAULT_PART_SECONDS, sharing, formats, line.hasOption("write-map"), line.hasOption("force"));
    } catch (MedvisionException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static Map<String, Object> json(BatchSummary s, ModelSource model, String engine, String version,
      Path input, Path out, BatchSettings settings) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("input", input.toString());
    m.put("out", out.toString());
    m.put("task", model.task().name());
    m.put("model", model.file().toString());
    m.put("modelSha256", Provenance.weightsSha256(model));
    m.put("engine", engine);
    m.put("engineVersion", version);
    m.put("formats", settings.formats().stream().map(OutputFormat::extension).toList());
    m.put("predicted", s.predicted());
    m.put("failed", s.failed());
    m.put("failedBefore", s.failedBefore());
    m.put("skipped", s.skipped());
    m.put("duplicates", s.duplicates());
    m.put("parts", s.parts());
    m.put("seconds", s.seconds());
    m.put("inputsPerSecond", s.rowsPerSecond());
    m.put("workers", s.workers());
    m.put("modelSharing", s.sharing() == ModelSharing.SHARED ? "shared" : "per-worker");
    return m;
  }
}
