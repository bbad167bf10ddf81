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
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.task.Task;
import org.medvision.engine.djl.DjlEngineProvider;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.synth.cxr.ChestXrayDataset;
import org.medvision.runtime.Scoring;
import org.medvision.tasks.common.text.TinyBertFolder;
import org.medvision.tasks.cxrprototype.CxrPrototypeTaskProvider;

/**
 * The label-prototype task's learning bar: cxr-prototype trained from scratch with a fixed seed on a small synthetic
 * ChestX-ray14 set ({@code synth --kind chest-xray}) reaches a mean test AUROC over the findings of at least
 * {@value #MEAN_AUROC_BAR} with the prototype loss.
 *
 * <p>Measured here: 0.853 (95% CI 0.834-0.870), the 0.85; at 20 epochs 0.818. The bar sits below the
 * measured value so that the last digits of another CPU's kernels cannot fail the build, as the other learning bars
 * do. A ConvNeXt from scratch needs many updates on small data (README, "Small data, from scratch"): the 1,400 or so
 * training images make 44 updates a pass at batch 32, one pass per epoch, so 40 epochs give it 1,760. Earlier
 * measurements (1,200 images, 20 epochs): 0.76 at learning rate 3e-3, 0.79 at 3e-4, 0.77 at 1e-4.
 *
 * <p>Configuration: {@value #COUNT} radiographs of 64x64 from seed 7 in the ChestX-ray14 layout (its official-style
 * split by patient, validation carved from train_val by patient with the run seed 0), ConvNeXt-atto at 64x64 from
 * scratch (encoder at the projections' learning rate, no stochastic depth), a tiny random BERT for the label texts,
 * {@value #EPOCHS} epochs of batch 32 at AdamW 3e-4, weight decay 1e-4, one warm-up epoch, the task's default of no
 * random shift, selected by validation mean AUROC. Labels without positives in the test split are left out of the
 * mean, as the suite reports. System properties {@code cxrbar.*} override the settings; {@code cxrbar.loss=bce} runs
 * the ablation.
 */
class CxrPrototypeLearningBarTest {
  private static final double MEAN_AUROC_BAR = 0.83;
  private static final int COUNT = 2000;
  private static final int EPOCHS = 40;

  @TempDir
  Path tmp;

  private static String property(String name, Object fallback) {
    return System.getProperty("cxrbar." + name, fallback.toString());
  }

  @Test
  void attoLearnsTheFindingsWithLabelPrototypes() {
    long seed = Long.parseLong(property("seed", 0));
    int size = Integer.parseInt(property("size", 64));
    ChestXrayDataset.Result set = ChestXrayDataset.generate(tmp.resolve("cxr"), Integer.parseInt(property("count",
        COUNT)), size, Long.parseLong(property("dataseed", 7)), "flat", false, ProgressListener.NONE);
    Path bert = TinyBertFolder.write(tmp.resolve("bert"), 3);
    CxrPrototypeTaskProvider provider = new CxrPrototypeTaskProvider();
    Task task = provider.create(provider.configure(property("variant", "atto"), Map.of(
        "image_size", Integer.toString(size), "text_encoder", bert.toString(), "loss", property("loss", "prototype"),
        "backbone_lr_scale", property("backbone_lr_scale", "1"), "drop_path", property("drop_path", "0"))));
    TaskData data = TaskData.load(set.out(), task.data(), seed, ProgressListener.NONE);
    TrainerConfig config = TrainerConfig.builder()
        .epochs(Integer.parseInt(property("epochs", EPOCHS)))
        .batchSize(Integer.parseInt(property("batch", 32)))
        .learningRate(Double.parseDouble(property("lr", "3e-4")))
        .weightDecay(1e-4)
        .warmupEpochs(1)
        .seed(seed)
        .threads(2)
        .selectMetric("mean_auroc")
        .maxShift(Double.parseDouble(property("shift", task.training().orElseThrow().trainerDefaults().get("shift"))))
        .build();
    List<String> log = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void epochFinished(EpochMetrics m, boolean improved) {
        log.add(String.format(Locale.ROOT, "epoch %d loss %.4f %s val mean_auroc %.3f %.1f ex/s %.0f s%s",
            m.epoch(), m.trainLoss(), m.trainTerms(), m.val("mean_auroc"), m.examplesPerSecond(), m.seconds(),
            improved ? " *" : ""));
        System.out.println("cxr-prototype learning bar: " + log.get(log.size() - 1));
      }
    };
    long start = System.nanoTime();
    try (Engine engine = new DjlEngineProvider().create()) {
      TrainingResult result = new Trainer(engine, listener).train(new TrainingRequest(task, data, config,
          tmp.resolve("run"), false, "test"));
      assertEquals(TrainingResult.Status.COMPLETED, result.status());
      Scoring.Scored scored = BestCheckpointScoring.onTestSplit(engine, task, result, data, 32);
      MetricSuite suite = scored.suites().get(0);
      MetricResult test = suite.result(seed, 200);
      StringBuilder perLabel = new StringBuilder();
      test.scalars().forEach((k, v) -> {
        if (k.startsWith("auroc_")) {
          perLabel.append(String.format(Locale.ROOT, " %s %.3f", k.substring(6), v));
        }
      });
      double mean = test.scalar("mean_auroc");
      System.out.printf(Locale.ROOT, "cxr-prototype learning bar (%s loss): test mean AUROC %.3f (95%% CI %s) over "
          + "%d images; per label:%s; %.0f s in all%n", property("loss", "prototype"), mean,
          test.intervals().get("mean_auroc"), data.split(Split.TEST).size(), perLabel, (System.nanoTime() - start)
          / 1e9);
      assertTrue(mean >= MEAN_AUROC_BAR, "test mean AUROC " + mean + " is below " + MEAN_AUROC_BAR + "; " + log);
    }
  }
}
