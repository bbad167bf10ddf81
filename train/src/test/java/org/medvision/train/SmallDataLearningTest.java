package org.medvision.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medvision.api.engine.Engine;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.api.task.Task;
import org.medvision.engine.djl.DjlEngineProvider;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.TaskData;
import org.medvision.tasks.strokenext.StrokeNextTaskProvider;
import org.medvision.testkit.fixtures.StrokeLikeFixtures;

/**
 * Training with the default settings learns small data sets it has never seen: StrokeNeXt-atto from scratch on each
 * of {@link StrokeLikeFixtures}' two sets (made independently of {@code medvision synth}: other anatomy, lesions,
 * contrast, noise, sizes and file layouts) reaches at least {@value #BAR} test accuracy within the default
 * {@value TrainerConfig#DEFAULT_EPOCHS} epochs, and once warm-up is over the validation accuracy never falls by more
 * than {@value #MAX_FALL} from one epoch to the next (the symptom of BatchNorm statistics that lag the weights: the
 * evaluation-mode model collapsing to one class on some epochs). Only the data-set size, the image size and the
 * engine threads are chosen here; everything else is {@link TrainerConfig#builder()}'s default. System properties
 * {@code smalldata.count} (images per class), {@code smalldata.size} and {@code smalldata.epochs} override the sizes
 * for longer runs, and {@code smalldata.fixture} runs one fixture.
 *
 * <p>Opt-in ({@code -Dsmalldata=true}): about 10 minutes for both fixtures on 2 cores, too long for every build (an
 * epoch of 240 training images makes 8 passes); README, "Small data, from scratch", has the figures.
 */
@EnabledIfSystemProperty(named = "smalldata", matches = "true")
class SmallDataLearningTest {
  private static final double BAR = 0.90;
  private static final double MAX_FALL = 0.15;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"ellipse-heads", "wedges-and-crescents"})
  void defaultsLearnAnUnfamiliarSmallDataSet(String fixture) {
    String only = System.getProperty("smalldata.fixture");
    Assumptions.assumeTrue(only == null || only.equals(fixture), "smalldata.fixture=" + only);
    int perClass = Integer.getInteger("smalldata.count", 100);
    int size = Integer.getInteger("smalldata.size", 64);
    long seed = 3;
    BiFunction<Path, Long, Path> make = fixture.equals("ellipse-heads")
        ? (dir, s) -> StrokeLikeFixtures.ellipseHeads(dir, perClass, size, s)
        : (dir, s) -> StrokeLikeFixtures.wedgesAndCrescents(dir, perClass, 100, s);
    Path data = make.apply(tmp.resolve("data"), 11L);
    StrokeNextTaskProvider provider = new StrokeNextTaskProvider();
    Task task = provider.create(provider.configure("atto", Map.of("subtask", "3class",
        "image_size", Integer.toString(size))));
    TaskData split = TaskData.load(data, task.data(), seed, ProgressListener.NONE);
    TrainerConfig.Builder builder = TrainerConfig.builder().seed(seed).threads(1);
    if (Integer.getInteger("smalldata.epochs") != null) {
      builder.epochs(Integer.getInteger("smalldata.epochs"));
    }
    TrainerConfig config = builder.build();
    List<EpochMetrics> epochs = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void epochFinished(EpochMetrics m, boolean improved) {
        epochs.add(m);
        System.out.printf(Locale.ROOT, "small data %s: epoch %d lr %.2e loss %.4f val loss %.4f acc %.3f%s%n",
            fixture, m.epoch(), m.learningRate(), m.trainLoss(), m.val("loss"), m.val("acc"), improved ? " *" : "");
      }

      @Override
      public void notice(String message) {
        System.out.println("small data " + fixture + ": " + message);
      }
    };
    try (Engine engine = new DjlEngineProvider().create()) {
      TrainingResult result = new Trainer(engine, listener).train(new TrainingRequest(task, split, config,
          tmp.resolve("run"), false, "test"));
      assertEquals(TrainingResult.Status.COMPLETED, result.status());
      ClassificationMetrics test = (ClassificationMetrics) BestCheckpointScoring.onTestSplit(engine, task, result,
          split, 16).suites().get(0).result(seed, 0).details();
      // From the first epoch after warm-up (with one warm-up epoch: from epoch 1 to 2, 2 to 3, ...).
      double fall = largestStep(epochs, Math.max(1, (int) Math.ceil(config.warmupEpochs())), -1);
      System.out.printf(Locale.ROOT, "small data %s: test accuracy %.3f on %d images; validation accuracy after "
          + "warm-up: largest fall %.3f, largest rise %.3f%n", fixture, test.accuracy(), test.samples(), fall,
          largestStep(epochs, 1, 1));
      assertTrue(test.accuracy() >= BAR, fixture + ": test accuracy " + test.accuracy() + " is below " + BAR);
      assertTrue(fall <= MAX_FALL, fixture + ": validation accuracy fell by " + fall + " from one epoch to the next "
          + "after warm-up");
    }
  }

  /**
   * The largest step of validation accuracy from one epoch to the next in {@code direction} (-1: a fall, the symptom
   * of an evaluation-mode model that collapses to one class on some epochs; +1: a rise, which is learning: a network
   * from scratch that finds a lesion can gain 0.2 in one epoch), over steps into epoch index {@code from} and later.
   */
  private static double largestStep(List<EpochMetrics> epochs, int from, int direction) {
    double largest = 0;
    for (int i = from; i < epochs.size(); i++) {
      largest = Math.max(largest, direction * (epochs.get(i).val("acc") - epochs.get(i - 1).val("acc")));
    }
    return largest;
  }
}
