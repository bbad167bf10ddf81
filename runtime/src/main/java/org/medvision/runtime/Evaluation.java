package org.medvision.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medvision.api.data.Windowing;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.ExampleSet;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;

/**
 * Scores a trained model on one split of a data set: every example through the task's pipeline on the chosen engine,
 * every metric suite of the task with percentile-bootstrap confidence intervals over examples, for each member of an
 * ensemble and for the ensemble (the mean of its members), each example decoded once.
 */
public final class Evaluation {
  /** Bootstrap resamples behind each reported interval. */
  public static final int BOOTSTRAP_RESAMPLES = 1000;

  private Evaluation() {}

  /**
   * One scored model.
   *
   * @param name the member's name, or {@code ensemble}, or the model's name for a single model
   * @param scored its per-example results
   * @param metrics every suite's metrics with confidence intervals, in the task's suite order
   */
  public record ScoredModel(String name, Scoring.Scored scored, List<MetricResult> metrics) {
    /** Copies the metrics. */
    public ScoredModel {
      metrics = List.copyOf(metrics);
    }
  }

  /**
   * The outcome.
   *
   * @param models the scored models: for an ensemble the ensemble first, then each member; else the one model
   * @param data where the examples came from
   * @param split the split scored
   * @param seed the split and bootstrap seed
   * @param provenance the model, engine and device (see {@link Provenance})
   */
  public record Result(List<ScoredModel> models, TaskData data, Split split, long seed,
      Map<String, Object> provenance) {
    /** Copies the models. */
    public Result {
      models = List.copyOf(models);
    }

    /** The model the evaluation is about: the ensemble, or the single model. */
    public ScoredModel primary() {
      return models.get(0);
    }
  }

  /**
   * Evaluates {@code model} on {@code split} of {@code data}.
   *
   * @param window windowing of DICOM inputs instead of the task's, or null
   * @param batchSize examples per engine run
   * @param progress told after each batch, and what the files read warn about (DICOM rules read past)
   */
  public static Result run(ModelSource model, Engine engine, CompileOptions options, TaskData data, Split split,
      long seed, int batchSize, Windowing window, ProgressListener progress) {
    ExampleSet set = data.split(split);
    ExampleReader reader = ExampleReader.all(model.task().data(), window).withWarnings(progress::warning);
    List<Scoring.Scored> scored;
    try (Predictor predictor = new Predictor(engine, model, options, batchSize)) {
      List<StageRunner> runners = new ArrayList<>();
      for (int m = 0; m < model.members().size(); m++) {
        runners.add(predictor.runner(m));
      }
      scored = Scoring.scoreMembers(model.task(), set, reader, runners, batchSize, progress);
    }
    List<ScoredModel> models = new ArrayList<>();
    if (model.isEnsemble()) {
      models.add(scoredModel("ensemble", scored.get(scored.size() - 1), seed));
      for (int m = 0; m < model.members().size(); m++) {
        models.add(scoredModel(model.members().get(m).name(), scored.get(m), seed));
      }
    } else {
      models.add(scoredModel(model.members().get(0).name(), scored.get(0), seed));
    }
    return new Result(models, data, split, seed, Provenance.of(model, engine, options));
  }

  private static ScoredModel scoredModel(String name, Scoring.Scored s, long seed) {
    List<MetricResult> metrics = new ArrayList<>();
    for (MetricSuite suite : s.suites()) {
      metrics.add(suite.result(seed, BOOTSTRAP_RESAMPLES));
    }
    return new ScoredModel(name, s, metrics);
  }
}
