package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.embed.Medvision;
import org.medvision.api.metrics.ClassScores;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.McNemar;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;
import org.medvision.io.dataset.Split;
import org.medvision.train.CheckpointInfo;
import org.medvision.train.eval.Comparison;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.Evaluator;
import org.medvision.train.eval.PredictionSet;
import org.medvision.train.eval.PredictionsFile;
import org.medvision.train.eval.SummaryMetric;
import org.medvision.train.report.EvaluationReport;
import org.medvision.train.report.MetricsDocument;

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
    return "Runs the model over one split of a manifest (or stroke dataset folder) on the chosen engine and prints "
        + "accuracy, macro precision/recall/F1, AUROC, AUPRC, balanced accuracy, MCC, Brier score and ECE (15 bins), "
        + "each with a percentile-bootstrap 95% confidence interval (" + Evaluation.BOOTSTRAP_RESAMPLES
        + " resamples, seeded), then per-class scores. The split is rebuilt exactly as training made it: rows keep a "
        + "split written in the manifest, the others are split with the training run's seed, which is read from the "
        + "checkpoint's sidecar (best.json beside best.safetensors) together with the task, variant, subtask and "
        + "image size; options that contradict the sidecar are an error. --report DIR writes metrics.json, "
        + "predictions.json, PNG plots (ROC, precision-recall, reliability diagram, confusion matrix) and a "
        + "self-contained report.html, atomically. --compare adds McNemar's test against another run's "
        + "predictions.json on the same images.";
  }

  @Override
  public List<String> examples() {
    return List.of("evaluate --weights runs/atto/best.safetensors --data data/brain/manifest.csv --report "
        + "runs/atto/report",
        "evaluate --task strokenext --variant atto --weights runs/atto/best.safetensors --data "
            + "data/brain/manifest.csv --split test --engine onnx --report runs/atto/report",
        "evaluate --weights runs/b/best.safetensors --data data/brain/manifest.csv --compare "
            + "runs/atto/report/predictions.json --json");
  }

  @Override
  public Options options() {
    Options o = WeightsOptions.add(TaskOptions.add(new Options()), false);
    return EngineOptions.add(o)
        .addOption(Args.valued("data", "FILE", "manifest CSV, or a folder in the stroke dataset's "
            + "folder-per-class layout (required)"))
        .addOption(Args.valued("split", "NAME", "train, val or test (default: test)"))
        .addOption(Args.valued("seed", "N", "split and bootstrap seed (default: the checkpoint's training seed, "
            + "else " + DEFAULT_SEED + ")"))
        .addOption(Args.valued("report", "DIR", "write the report files into DIR (default: none)"))
        .addOption(Args.flag("force", "replace a non-empty --report directory"))
        .addOption(Args.valued("compare", "FILE", "another run's predictions.json: add McNemar's test (default: none)"))
        .addOption(Args.valued("batch", "N", "images per engine run (default: " + Evaluator.DEFAULT_BATCH_SIZE
            + ")"))
        .addOption(Args.flag("json", "print metrics.json to stdout instead of tables"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    Path weightsFile = Args.path(line, "weights");
    if (weightsFile == null) {
      throw new UsageException("missing required option --weights (a .safetensors checkpoint)");
    }
    Path data = Args.path(line, "data");
    if (data == null) {
      throw new UsageException("missing required option --data (a manifest CSV or dataset folder)");
    }
    Split split = Split.parse(Args.string(line, "split", "test"), "--split");
    int batch = Args.integer(line, "batch", Evaluator.DEFAULT_BATCH_SIZE, 1);
    Path reportDir = Args.path(line, "report");
    if (line.hasOption("force") && reportDir == null) {
      throw new UsageException("--force needs --report");
    }
    // Read the file to compare with first: a typo there should not cost a whole evaluation.
    PredictionSet other = line.hasOption("compare") ? PredictionsFile.read(Args.path(line, "compare")) : null;
    Medvision mv = medvision.get();
    CheckpointInfo info = CheckpointSidecar.find(weightsFile);
    Task task = CheckpointSidecar.task(line, mv, info, weightsFile);
    long seed = line.hasOption("seed") ? Args.longValue(line, "seed", DEFAULT_SEED)
        : info != null ? info.seed() : DEFAULT_SEED;
    Weights weights = WeightsOptions.load(line, mv, task.graph(), false, ctx.err());
    ctx.err().println("evaluating " + TaskOptions.describe(task) + " from " + weightsFile + " on the " + split.id()
        + " split of " + data + " (seed " + seed + (info != null ? ", from the checkpoint's sidecar" : "") + ")");
    ModelEvaluation run = ModelEvaluation.run(mv, task, weights, weightsFile, EngineOptions.engineName(line),
        EngineOptions.compileOptions(line), data, split, seed, batch, ctx);
    PredictionSet mine = new EvaluationReport(run.evaluation(), run.provenance(), null).predictionSet();
    Comparison comparison = other == null ? null : Comparison.of(mine, other);
    if (reportDir != null) {
      new EvaluationReport(run.evaluation(), run.provenance(), comparison).write(reportDir, line.hasOption("force"));
    }
    if (line.hasOption("json")) {
      Map<String, Object> m = new LinkedHashMap<>(MetricsDocument.toMap(run.evaluation(), run.provenance(),
          comparison));
      if (reportDir != null) {
        m.put("report", reportDir.toAbsolutePath().normalize().toString());
      }
      ctx.out().println(Json.write(m));
      return ExitCodes.OK;
    }
    printSummary(ctx.out(), run.evaluation());
    if (comparison != null) {
      printComparison(ctx.out(), comparison);
    }
    if (reportDir != null) {
      ctx.out().println();
      ctx.out().println("report: " + reportDir.resolve(EvaluationReport.HTML) + " (metrics.json, predictions.json "
          + "and the plots beside it)");
    }
    return ExitCodes.OK;
  }

  /** The summary table (metric, value, 95% CI) and the per-class table. */
  static void printSummary(PrintStream out, Evaluation e) {
    Table summary = new Table("metric", "value", "95% CI");
    for (SummaryMetric m : SummaryMetric.values()) {
      ConfidenceInterval ci = e.interval(m);
      summary.row(m.label(), number(m.of(e.metrics())), number(ci.lower()) + " - " + number(ci.upper()));
    }
    out.println(e.metrics().samples() + " images; 95% CIs: percentile bootstrap, "
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
    out.println("McNemar's test against " + c.nameB() + " on " + t.samples() + " images: accuracy "
        + number(c.accuracyA()) + " vs " + number(c.accuracyB()) + "; b (only this run right) = " + t.b()
        + ", c (only the other right) = " + t.c() + "; p = " + String.format(Locale.ROOT, "%.4g",
            t.recommendedPValue()) + (t.discordant() < McNemar.EXACT_BELOW ? " (exact binomial)"
            : " (chi-square, continuity-corrected)"));
  }

  private static String number(double v) {
    return Double.isNaN(v) ? "n/a" : Formats.fixed(v, 4);
  }
}
