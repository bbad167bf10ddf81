package org.medvision.cli;

import java.nio.file.Path;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.dataset.Dataset;
import org.medvision.io.dataset.Split;
import org.medvision.train.TrainingData;
import org.medvision.train.eval.Evaluation;
import org.medvision.train.eval.Evaluator;
import org.medvision.train.report.Provenance;

/**
 * One evaluation as {@code evaluate} and {@code demo} run it: the data split exactly as the trainer made it (same
 * manifest, classes and split seed), the model compiled on the chosen engine, predictions with a progress bar, the
 * metrics and their bootstrap intervals, and the provenance of it all.
 *
 * @param evaluation the scored predictions
 * @param provenance where they come from
 */
record ModelEvaluation(Evaluation evaluation, Provenance provenance) {
  /**
   * Runs it.
   *
   * @param weightsFile the file {@code weights} came from, for the provenance and its SHA-256
   * @param seed the split seed (the training run's seed), also the bootstrap seed
   */
  static ModelEvaluation run(Medvision mv, Task task, Weights weights, Path weightsFile, String engineName,
      CompileOptions options, Path data, Split split, long seed, int batch, CommandContext ctx) {
    TrainingData training = TrainingData.load(data, task.outputs().get(0).labels(), seed);
    Dataset images = training.dataset(split);
    Evaluation evaluation;
    String engineVersion;
    try (Engine engine = mv.engine(engineName)) {
      engineVersion = engine.version();
      try (CompiledModel model = engine.compile(task.graph(), weights, options);
          ProgressBar bar = ctx.progress("evaluate " + split.id(), images.size())) {
        evaluation = Evaluator.of(task, model, batch).evaluate(images, seed, (done, total) -> bar.update(done));
      }
    }
    Provenance provenance = Provenance.now(task.name(), TasksCommand.config(task.config()), weightsFile.toString(),
        WeightsDigest.sha256(weightsFile), engineName, engineVersion, options.device().toString(),
        training.source().toString(), split.id(), seed, Main.version());
    return new ModelEvaluation(evaluation, provenance);
  }
}
