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
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.task.Task;
import org.medvision.engine.djl.DjlEngineProvider;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.synth.chest.ChestCtDataset;
import org.medvision.runtime.Scoring;
import org.medvision.tasks.covidsa.CovidDsaTaskProvider;

/**
 * DSA-Net's learning bar: covid-dsa trained from scratch with a fixed seed on a small synthetic chest CT set (COVID-19
 * vs CAP, {@code synth --kind chest-ct}) reaches a test AUROC of at least 0.90, and its attention lies on the infection
 * better than chance.
 *
 * <p>Configuration: 160 scans of 64x64x32 voxels ({@code synth --kind chest-ct --count 160 --size 64 --seed 7}; 60/40
 * COVID-19/CAP, split by patient 80/10/10 with the training seed 0), resnet10 in MedicalNet's layout at an input of
 * 24x48x48, uniform sampling, 20 epochs of one pass each, batch 8, AdamW 1e-3 with weight decay 1e-4 and one
 * warm-up epoch (the task's defaults but for 30 epochs), selected by validation AUROC. With 12 epochs this bar passed
 * on machines with full oneDNN kernels (0.957 through the CLI, attention inside/outside 14.1, 95% CI 8.7-26.0, on its
 * 17 test scans) but reached only 0.83-0.87 where oneDNN is capped at AVX or switched off: other kernels, another
 * trajectory, and 12 epochs leave the training loss at 0.35. With 20 epochs: test AUROC 0.943 there (loss 0.21). The
 * bar is a regression guard for this seed, not a property of every seed: training seed 1 (another split too) gave
 * 0.773 with 20 epochs, its validation AUROC never above 0.76, so DSA-Net on 128 synthetic training scans still
 * depends on the draw. The MedicalNet layout keeps layer4 at 1/8, so the attention grid
 * is 3x6x6; Hara's layout would give 2x3x3 here, where no infection fills half a cell and the attention target is
 * empty for every scan. System properties {@code covidbar.*} override each setting.
 *
 * <p>The attention measure: the mean attention over the grid cells the infection mask fills (at least half infected,
 * the cells the attention loss calls positive) divided by the mean over all other cells, pooled over the test scans
 * (MapOverlapSuite's {@code inside_outside}); a map unrelated to the infection scores 1 in expectation. The bar is
 * the lower bound of its 95% bootstrap interval above 1. Dice at a 0.5 threshold is reported too, but says little
 * here: with positive cells rare, the sigmoid attention rarely reaches 0.5.
 */
class CovidDsaLearningBarTest {
  private static final double AUROC_BAR = 0.90;

  @TempDir
  Path tmp;

  private static int intProperty(String name, int fallback) {
    return Integer.parseInt(System.getProperty("covidbar." + name, Integer.toString(fallback)));
  }

  @Test
  void resnet10LearnsCovidVersusCapAndAttendsToTheInfection() {
    long dataSeed = intProperty("dataseed", 7);
    long seed = intProperty("seed", 0);
    ChestCtDataset.Result set = ChestCtDataset.generate(tmp.resolve("chest"), intProperty("count", 160),
        intProperty("size", 64), dataSeed, "nifti", false, ProgressListener.NONE);
    CovidDsaTaskProvider provider = new CovidDsaTaskProvider();
    Task task = provider.create(provider.configure(System.getProperty("covidbar.variant", "resnet10"), Map.of(
        "layout", System.getProperty("covidbar.layout", "medicalnet"),
        "input", System.getProperty("covidbar.input", "24x48x48"),
        "sampler", System.getProperty("covidbar.sampler", "uniform"))));
    TaskData data = TaskData.load(set.manifest(), task.data(), seed, ProgressListener.NONE);
    TrainerConfig config = TrainerConfig.builder()
        .epochs(intProperty("epochs", 20))
        .batchSize(intProperty("batch", 8))
        .learningRate(Double.parseDouble(System.getProperty("covidbar.lr", "1e-3")))
        .weightDecay(1e-4)
        .warmupEpochs(1)
        .seed(seed)
        .threads(intProperty("threads", 2))
        .selectMetric("auroc")
        // Measured with one pass per epoch (automatic repeats would make two of its 16 updates): kept so.
        .epochRepeats(intProperty("epochRepeats", 1))
        .build();
    List<String> log = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void epochFinished(EpochMetrics m, boolean improved) {
        log.add(String.format(Locale.ROOT, "epoch %d loss %.4f (ce %.4f, attention %.4f) val auroc %.3f acc %.3f "
            + "attention in/out %.2f %.1f ex/s %.0f s%s", m.epoch(), m.trainLoss(), m.trainTerms().get("ce"),
            m.trainTerms().get("attention"), m.val("auroc"), m.val("acc"), m.val("attention_inside_outside"),
            m.examplesPerSecond(), m.seconds(), improved ? " *" : ""));
        System.out.println("covid-dsa learning bar: " + log.get(log.size() - 1));
      }
    };
    long start = System.nanoTime();
    try (Engine engine = new DjlEngineProvider().create()) {
      TrainingResult result = new Trainer(engine, listener).train(new TrainingRequest(task, data, config,
          tmp.resolve("run"), false, "test"));
      assertEquals(TrainingResult.Status.COMPLETED, result.status());
      Scoring.Scored scored = BestCheckpointScoring.onTestSplit(engine, task, result, data, 8);
      ClassificationMetrics test = null;
      MetricResult attention = null;
      for (MetricSuite suite : scored.suites()) {
        MetricResult r = suite.result(seed, 1000);
        if (r.details() instanceof ClassificationMetrics c) {
          test = c;
        } else if (suite.name().equals("attention")) {
          attention = r;
        }
      }
      ConfidenceInterval ratio = attention.intervals().get("attention_inside_outside");
      System.out.printf(Locale.ROOT, "covid-dsa learning bar: test AUROC %.3f accuracy %.3f sensitivity %.3f "
          + "specificity %.3f on %d scans; attention inside/outside %.2f (95%% CI %.2f-%.2f) over %d scans, %d with "
          + "mask cells; Dice %.3f; %.0f s in all%n", test.auroc(), test.accuracy(), test.classes().get(1).recall(),
          test.classes().get(1).specificity(), test.samples(), attention.scalar("attention_inside_outside"),
          ratio.lower(), ratio.upper(), Math.round(attention.scalar("attention_examples")),
          Math.round(attention.scalar("attention_examples_with_cells")), attention.scalar("attention_pooled_dice"),
          (System.nanoTime() - start) / 1e9);
      assertTrue(test.auroc() >= AUROC_BAR, "test AUROC " + test.auroc() + " is below " + AUROC_BAR + "; " + log);
      assertTrue(ratio.lower() > 1, "attention is no more inside the infection than outside it: " + ratio + "; "
          + log);
    }
  }
}
