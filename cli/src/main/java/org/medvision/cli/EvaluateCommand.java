package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Windowing;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.metrics.ClassScores;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.McNemar;
import org.medvision.api.metrics.MetricResult;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.runtime.Evaluation;
import org.medvision.runtime.ModelCheckpoint;
import org.medvision.runtime.ModelSource;
import org.medvision.train.eval.Comparison;
import org.medvision.train.eval.PredictionSet;
import org.medvision.train.eval.PredictionsFile;
import org.medvision.train.eval.SummaryMetric;
import org.medvision.train.report.EvaluationReport;
import org.medvision.train.report.MetricsDocument;
import org.medvision.train.report.Provenance;

/** {@code medvision evaluate}: metrics, confidence intervals and a report of a checkpoint on a data split. */
public final class EvaluateCommand implements Command {
  /** Split seed and bootstrap seed when neither --seed nor a checkpoint sidecar gives one (the trainer's default). */
  static final long DEFAULT_SEED = 0;

  private final Provider<Medvision> medvision;

  /** A command building tasks and engines from {@code medvision}. */
  @Inject
  public EvaluateCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "evaluate";
  }

  @Override
  public String summary() {
    return "score a checkpoint on a data split: metrics with 95% CIs, report.html, predictions";
  }

  @Override
  public String description() {
    return "Runs a trained model (--model: a checkpoint or an ensemble.json; or --weights with --task) over one "
        + "split of a data set (a manifest CSV with the columns the task needs, or for image classifiers a folder "
        + "with one subfolder per class) on the chosen engine, and prints every metric the task's suites compute, "
        + "each with a percentile-bootstrap 95% confidence interval over examples (" + Evaluation.BOOTSTRAP_RESAMPLES
        + " resamples, seeded): for classifiers accuracy, macro precision/recall/F1, AUROC, AUPRC, balanced "
        + "accuracy, MCC, Brier score and ECE (15 bins) (and, for two classes, sensitivity, specificity and F1 of "
        + "the positive class), then per-class scores; for tasks with maps their overlap with the reference masks. "
        + "An ensemble is scored as a whole (the mean of its members' probabilities) and member by member. The "
        + "split is rebuilt exactly as training made it: rows keep a split written in the manifest, the others are "
        + "split with the training run's seed, which the checkpoint's sidecar records together with the task and "
        + "every option; options that contradict it are an error. DICOM inputs are windowed by the task's rule "
        + "unless --window says otherwise. --report DIR writes metrics.json, predictions.json, plots (ROC, "
        + "precision-recall, reliability diagram, confusion matrix, and the suites' own figures) and a "
        + "self-contained report.html, atomically. --compare adds McNemar's test against another run's "
        + "predictions.json on the same examples.";
  }

  @Override
  public List<String> examples() {
    return List.of("evaluate --model runs/atto/best.safetensors --data data/brain/manifest.csv --report "
        + "runs/atto/report",
        "evaluate --model runs/dsa/ensemble.json --data data/chest/manifest.csv --split test --report runs/dsa/report",
        "evaluate --task strokenext --variant atto --weights w.safetensors --image-size 96 --data "
            + "data/brain/manifest.csv --split test --engine onnx",
        "evaluate --model runs/b/best.safetensors --data data/brain/manifest.csv --compare "
            + "runs/atto/report/predictions.json --json");
  }

  @Override
  public Options options() {
    Options o = ModelOptions.add(TaskOptions.add(new Options(), medvision.get()), false);
    return EngineOptions.add(StrictOption.add(o))
        .addOption(Args.valued("data", "PATH", "manifest CSV, or a folder with one subfolder per class (required)"))
        .addOption(Args.valued("split", "NAME", "train, val or test (default: test)"))
        .addOption(Args.valued("seed", "N", "split and bootstrap seed (default: the checkpoint's training seed, "
            + "else " + DEFAULT_SEED + ")"))
        .addOption(Args.valued("window", "NAME|C/W|file|range", "windowing of DICOM inputs instead of the task's "
            + "(default: the task's)"))
        .addOption(Args.valued("report", "DIR", "write the report files into DIR (default: none)"))
        .addOption(Args.flag("force", "replace a non-empty --report directory"))
        .addOption(Args.valued("compare", "FILE", "another run's predictions.json: add McNemar's test (default: none)"))
        .addOption(Args.valued("batch", "N", "examples per engine run (default: " + PredictCommand.DEFAULT_BATCH
            + ")"))
        .addOption(Args.flag("json", "print metrics.json to stdout instead of tables"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    return StrictOption.during(line, () -> execute(line, ctx));
  }

  private int execute(CommandLine line, CommandContext ctx) {
    if (!ModelOptions.given(line)) {
      throw new UsageException("give --model FILE (a checkpoint or ensemble.json), or --weights FILE with --task");
    }
    Path data = Args.path(line, "data");
    if (data == null) {
      throw new UsageException("missing required option --data (a manifest CSV or dataset folder)");
    }
    Split split = Split.parse(Args.string(line, "split", "test"), "--split");
    int batch = Args.integer(line, "batch", PredictCommand.DEFAULT_BATCH, 1);
    Path reportDir = Args.path(line, "report");
    if (line.hasOption("force") && reportDir == null) {
      throw new UsageException("--force needs --report");
    }
    // Read the file to compare with first: a typo there should not cost a whole evaluation.
    PredictionSet other = line.hasOption("compare") ? PredictionsFile.read(Args.path(line, "compare")) : null;
    Medvision mv = medvision.get();
    ModelSource model = ModelOptions.load(line, mv, false, ctx.err());
    Windowing window = WindowOption.parse(line, model.task());
    Long recordedSeed = recordedSeed(model);
    long seed = line.hasOption("seed") ? Args.longValue(line, "seed", DEFAULT_SEED)
        : recordedSeed != null ? recordedSeed : DEFAULT_SEED;
    ctx.err().println("evaluating " + model.describe() + " from " + model.file()
        + (model.isEnsemble() ? " (" + model.members().size() + " members)" : "") + " on the " + split.id()
        + " split of " + data + " (seed " + seed + (recordedSeed != null && !line.hasOption("seed")
        ? ", from the checkpoint's sidecar" : "") + ")");
    TaskData taskData;
    try (DicomInfoPrinter.Progress progress = new DicomInfoPrinter.Progress(ctx, "read data")) {
      taskData = TaskData.load(data, model.task().data(), seed, progress);
    }
    Evaluation.Result result;
    String engineName = EngineOptions.engineName(line);
    String engineVersion;
    CompileOptions options = EngineOptions.compileOptions(line);
    try (Engine engine = mv.engine(engineName);
        DicomInfoPrinter.Progress progress = new DicomInfoPrinter.Progress(ctx, "evaluate " + split.id())) {
      engineVersion = engine.version();
      result = Evaluation.run(model, engine, options, taskData, split, seed, batch, window, progress);
    }
    Provenance provenance = provenance(model, engineName, engineVersion, options, taskData, split, seed);
    EvaluationReport report = EvaluationReport.of(result, provenance, null);
    PredictionSet mine = report.predictionSet();
    Comparison comparison = other == null || mine == null ? null : Comparison.of(mine, other);
    if (other != null && mine == null) {
      throw new MedvisionException("--compare needs class predictions, which task " + model.task().name()
          + " does not make");
    }
    report = EvaluationReport.of(result, provenance, comparison);
    if (reportDir != null) {
      report.write(reportDir, line.hasOption("force"));
    }
    if (line.hasOption("json")) {
      Map<String, Object> m = new LinkedHashMap<>(MetricsDocument.toMap(report));
      if (reportDir != null) {
        m.put("report", reportDir.toAbsolutePath().normalize().toString());
      }
      ctx.out().println(Json.write(m));
      return ExitCodes.OK;
    }
    for (EvaluationReport.Entry e : report.entries()) {
      if (report.entries().size() > 1) {
        ctx.out().println();
        ctx.out().println("== " + e.name() + (e == report.primary() ? " (mean of the members)" : ""));
      }
      if (e.classification() != null) {
        printSummary(ctx.out(), e.classification());
      }
      for (MetricResult r : e.metrics()) {
        printSuite(ctx.out(), r);
      }
    }
    if (comparison != null) {
      printComparison(ctx.out(), comparison);
    }
    if (reportDir != null) {
      ctx.out().println();
      ctx.out().println("report: " + reportDir.resolve(EvaluationReport.HTML) + " (metrics.json and the figures "
          + "beside it)");
    }
    return ExitCodes.OK;
  }

  /** The training seed a checkpoint sidecar (or an ensemble's first member's) records, if any. */
  private static Long recordedSeed(ModelSource model) {
    Path weights = model.members().get(0).weightsFile();
    if (weights == null) {
      return null;
    }
    // Ensemble members share their seed (EnsembleFile checks), so the first member's is the ensemble's.
    return ModelCheckpoint.sidecarOf(weights).map(s -> ModelCheckpoint.read(s).seed()).orElse(null);
  }

  private static Provenance provenance(ModelSource model, String engine, String version, CompileOptions options,
      TaskData data, Split split, long seed) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("variant", model.task().config().variant());
    config.put("options", model.sharedOptions());
    if (model.isEnsemble()) {
      List<Object> members = new ArrayList<>();
      for (ModelSource.Member m : model.members()) {
        members.add(Map.of("name", m.name(), "weights", String.valueOf(m.weightsFile()), "sha256", m.sha256(),
            "trainingOptions", new TreeMap<>(m.trainingOptions())));
      }
      config.put("members", members);
    }
    String sha = org.medvision.runtime.Provenance.weightsSha256(model);
    return Provenance.now(model.task().name(), config, model.file().toString(), sha, engine, version,
        options.device().toString(), data.source().toString(), split.id(), seed, Main.version());
  }

  /** A metric suite's scalars with intervals. */
  static void printSuite(PrintStream out, MetricResult r) {
    out.println();
    Table t = new Table(r.suite(), "value", "95% CI");
    for (Map.Entry<String, Double> e : r.scalars().entrySet()) {
      ConfidenceInterval ci = r.intervals().get(e.getKey());
      boolean count = e.getKey().contains("examples");
      t.row(r.labels().getOrDefault(e.getKey(), e.getKey()), count ? Long.toString(Math.round(e.getValue()))
          : number(e.getValue()),
          ci == null ? "" : number(ci.lower()) + " - " + number(ci.upper()));
    }
    t.print(out);
  }

  /** The summary table (metric, value, 95% CI) and the per-class table. */
  static void printSummary(PrintStream out, org.medvision.train.eval.Evaluation e) {
    Table summary = new Table("metric", "value", "95% CI");
    for (SummaryMetric m : e.summaryMetrics()) {
      ConfidenceInterval ci = e.interval(m);
      summary.row(m.label(e.classes()), number(m.of(e.metrics())), number(ci.lower()) + " - " + number(ci.upper()));
    }
    out.println(e.metrics().samples() + " examples; 95% CIs: percentile bootstrap, "
        + Evaluation.BOOTSTRAP_RESAMPLES + " resamples, seed " + e.interval(SummaryMetric.ACCURACY).seed());
    summary.print(out);
    out.println();
    Table classes = new Table("class", "support", "precision", "recall", "specificity", "F1", "AUROC");
    for (ClassScores s : e.metrics().classes()) {
      classes.row(s.name(), s.support(), number(s.precision()), number(s.recall()), number(s.specificity()),
          number(s.f1()), number(s.auroc()));
    }
    classes.print(out);
  }

  private static void printComparison(PrintStream out, Comparison c) {
    McNemar t = c.test();
    out.println();
    out.println("McNemar's test against " + c.nameB() + " on " + t.samples() + " examples: accuracy "
        + number(c.accuracyA()) + " vs " + number(c.accuracyB()) + "; b (only this run right) = " + t.b()
        + ", c (only the other right) = " + t.c() + "; p = " + String.format(Locale.ROOT, "%.4g",
            t.recommendedPValue()) + (t.discordant() < McNemar.EXACT_BELOW ? " (exact binomial)"
            : " (chi-square, continuity-corrected)"));
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "n/a" : Formats.fixed(v, 4);
  }
}
