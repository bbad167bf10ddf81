package org.medvision.train;

import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.Scoring;

/**
 * How the learning bars score a run: its best checkpoint, compiled for inference apart from the training session,
 * through the task's pipeline on the held-out test split, so each bar also covers the checkpoint round trip.
 */
final class BestCheckpointScoring {
  private BestCheckpointScoring() {}

  static Scoring.Scored onTestSplit(Engine engine, Task task, TrainingResult result, TaskData data, int batch) {
    ModelSource best = ModelSource.ofWeights(task, result.bestWeights(), null);
    try (Predictor predictor = new Predictor(engine, best, CompileOptions.defaults(), batch)) {
      return Scoring.score(task, data.split(Split.TEST), ExampleReader.all(task.data(), null), predictor.runner(0),
          batch, ProgressListener.NONE);
    }
  }
}
