package org.medvision.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.engine.Engine;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.api.task.Task;
import org.medvision.engine.djl.DjlEngineProvider;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.tasks.strokenext.StrokeNextTaskProvider;

/**
 * The learning bar: StrokeNeXt-atto trained from scratch with a fixed seed on a small synthetic 3-class brain CT set
 * reaches at least 90% test accuracy. Configuration: 1,000 easy slices of 64x64 in the stroke window (level 40, width
 * 40, where infarcts stand out; 80/10/10 split), 22 epochs of batch 32 at learning rate 3e-3 with the default
 * augmentation, warm-up and label smoothing, on one libtorch thread so the result does not depend on the machine's
 * load. Measured in this test with precise BatchNorm before each validation (the trainer's default since issue 12):
 * test accuracy 0.919 in 380 s on a loaded 2-core machine. Before it, through the CLI with the same settings: test
 * accuracy 0.980 (97 of 99) in about 5 minutes on 2 cores,
 * and 0.960 with seed 11 for both the data and the training. More distinct images helped far more than more steps:
 * 600 slices for 35 epochs reached only 0.900, 1,000 slices for 15 epochs 0.949. System properties
 * {@code learningbar.*} override each setting. The best checkpoint is evaluated on the held-out test split through
 * the runtime (a separately compiled inference model and the task's pipeline), so the check also covers the
 * checkpoint round trip.
 */
class LearningBarTest {
  private static final double BAR = 0.90;

  @TempDir
  Path tmp;

  private static int intProperty(String name, int fallback) {
    return Integer.parseInt(System.getProperty("learningbar." + name, Integer.toString(fallback)));
  }

  private static double doubleProperty(String name, double fallback) {
    return Double.parseDouble(System.getProperty("learningbar." + name, Double.toString(fallback)));
  }

  @Test
  void attoLearnsSyntheticStrokeClassesFromScratch() {
    int count = intProperty("count", 1000);
    int size = intProperty("size", 64);
    int epochs = intProperty("epochs", 22);
    long seed = 7;
    String difficulty = System.getProperty("learningbar.difficulty", "easy");
    BrainCtDataset.Result set = BrainCtDataset.generate(tmp.resolve("data"), count, size, seed,
        Difficulty.parse(difficulty), System.getProperty("learningbar.window", "stroke"));
    StrokeNextTaskProvider provider = new StrokeNextTaskProvider();
    Task task = provider.create(provider.configure(System.getProperty("learningbar.variant", "atto"),
        Map.of("subtask", "3class", "image_size", Integer.toString(size))));
    TaskData data = TaskData.load(set.manifest(), task.data(), seed, ProgressListener.NONE);
    TrainerConfig config = TrainerConfig.builder()
        .epochs(epochs)
        .batchSize(intProperty("batch", 32))
        .learningRate(doubleProperty("lr", 3e-3))
        .warmupEpochs(doubleProperty("warmup", 1))
        .seed(seed)
        .threads(intProperty("threads", 1))
        .augment(Boolean.parseBoolean(System.getProperty("learningbar.augment", "true")))
        .bnRecalibration(intProperty("bnRecalibration", TrainerConfig.DEFAULT_BN_RECALIBRATION))
        // One pass per epoch, the bar's configuration from before passes were repeated (800 training slices would
        // now make three, tripling the run); -Dlearningbar.epochRepeats=0 for the automatic choice.
        .epochRepeats(intProperty("epochRepeats", 1))
        .build();
    List<String> log = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void epochFinished(EpochMetrics m, boolean improved) {
        log.add(String.format(Locale.ROOT, "epoch %d lr %.2e loss %.4f val loss %.4f acc %.3f f1 %.3f %.1f img/s "
            + "%.1f s%s", m.epoch(), m.learningRate(), m.trainLoss(), m.val("loss"), m.val("acc"),
            m.val("macro_f1"), m.examplesPerSecond(), m.seconds(), improved ? " *" : ""));
        System.out.println("learning bar: " + log.get(log.size() - 1));
      }
    };
    long start = System.nanoTime();
    try (Engine engine = new DjlEngineProvider().create()) {
      TrainingResult result = new Trainer(engine, listener).train(new TrainingRequest(task, data, config,
          tmp.resolve("run"), false, "test"));
      assertEquals(TrainingResult.Status.COMPLETED, result.status());
      assertTrue(result.history().get(result.history().size() - 1).trainLoss() < result.history().get(0).trainLoss(),
          "the training loss falls: " + log);
      ClassificationMetrics test = (ClassificationMetrics) BestCheckpointScoring.onTestSplit(engine, task, result,
          data, 16).suites().get(0).result(seed, 0).details();
      System.out.printf(Locale.ROOT, "learning bar: test accuracy %.3f macro-F1 %.3f AUROC %.3f ECE %.3f on %d "
          + "images; %.0f s in all%n", test.accuracy(), test.macro().f1(), test.auroc(),
          test.expectedCalibrationError(), test.samples(), (System.nanoTime() - start) / 1e9);
      StringBuilder cm = new StringBuilder("learning bar: confusion (rows true, columns predicted)");
      for (int t = 0; t < 3; t++) {
        cm.append(t == 0 ? " " : " | ");
        for (int p = 0; p < 3; p++) {
          cm.append(' ').append(test.confusionMatrix().count(t, p));
        }
      }
      System.out.println(cm);
      assertTrue(test.accuracy() >= BAR, "test accuracy " + test.accuracy() + " is below " + BAR + "; " + log);
    }
  }
}
