package org.medvision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.TaskData;

class TrainerTest {
  @TempDir
  Path tmp;

  private Task task;
  private TaskData data;
  private final List<FakeSession> sessions = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    task = TrainerFixture.task();
    Path images = Files.createDirectory(tmp.resolve("data"));
    // 12 training images (4 per class), 6 validation, 3 test.
    data = TaskData.load(TrainerFixture.dataset(images, 4, 2, 1), task.data(), 0, ProgressListener.NONE);
  }

  private Engine engine(FakeSession.LossScript losses, IntPredicate goodEpoch, double norm) {
    Engine engine = mock(Engine.class);
    when(engine.name()).thenReturn("fake");
    when(engine.version()).thenReturn("fake 1.0");
    when(engine.train(any(), any(), any(), any())).thenAnswer(inv -> {
      FakeSession s = new FakeSession(inv.getArgument(0, Graph.class), inv.getArgument(1, Weights.class), losses,
          goodEpoch);
      s.gradientNorm(norm);
      sessions.add(s);
      return s;
    });
    return engine;
  }

  private Engine engine() {
    return engine(call -> 1f / (call + 1), epoch -> true, 1);
  }

  /** Settings whose epoch is one pass, so that counts of batches and rates are easy to work out. */
  private static TrainerConfig.Builder config() {
    return TrainerConfig.builder().epochs(1).batchSize(2).warmupEpochs(0).augment(false).seed(11).epochRepeats(1);
  }

  private TrainingRequest request(TrainerConfig config, Path dir, boolean resume, boolean force) {
    return new TrainingRequest(task, data, config, dir, null, null, resume, force, "test-version", Map.of());
  }

  private TrainingResult train(Engine engine, TrainerConfig config, Path dir) {
    return new Trainer(engine, TrainingListener.NONE).train(request(config, dir, false, false));
  }

  private static List<String> trainingCalls(FakeSession s) {
    return s.calls.subList(0, s.calls.indexOf("infer"));
  }

  @Test
  void accumulatedGradientsAreAveragedOverTheirMicroBatches() {
    // 12 images in batches of 2 give 6 micro-batches; accumulating 4 gives updates of 4 and then 2.
    train(engine(), config().accumulationSteps(4).build(), tmp.resolve("run"));
    assertEquals(List.of("fb", "fb", "fb", "fb", "scale 0.250000", "step", "fb", "fb", "scale 0.500000", "step"),
        trainingCalls(sessions.get(0)));
  }

  @Test
  void clippingScalesByMaxNormOverNormOnlyAboveTheLimit() {
    train(engine(call -> 1f, e -> true, 4.0), config().batchSize(6).clipNorm(1).build(), tmp.resolve("a"));
    assertEquals(List.of("fb", "norm", "scale 0.250000", "step", "fb", "norm", "scale 0.250000", "step"),
        trainingCalls(sessions.get(0)));
    train(engine(call -> 1f, e -> true, 0.5), config().batchSize(6).clipNorm(1).build(), tmp.resolve("b"));
    assertEquals(List.of("fb", "norm", "step", "fb", "norm", "step"), trainingCalls(sessions.get(1)));
    // Averaging comes before the norm is measured.
    train(engine(call -> 1f, e -> true, 3.0), config().batchSize(6).accumulationSteps(2).clipNorm(1.5).build(),
        tmp.resolve("c"));
    assertEquals(List.of("fb", "fb", "scale 0.500000", "norm", "scale 0.500000", "step"),
        trainingCalls(sessions.get(2)));
  }

  @Test
  void learningRatesFollowWarmupThenCosinePerUpdate() {
    // 2 updates per epoch, 2 epochs, 1 warm-up epoch: warm-up 0.5e-3, 1e-3; cosine over 2 steps: 1e-3, 0.5e-3.
    train(engine(), config().epochs(2).batchSize(6).learningRate(1e-3).warmupEpochs(1).build(), tmp.resolve("r"));
    List<Double> rates = sessions.get(0).rates;
    assertEquals(4, rates.size());
    double[] expected = {0.5e-3, 1e-3, 1e-3, 0.5e-3};
    for (int i = 0; i < 4; i++) {
      assertEquals(expected[i], rates.get(i), 1e-15, "step " + i);
    }
  }

  @Test
  void aSmallTrainingSplitIsPassedOverSeveralTimesPerEpochInTheSamplersOrder() {
    // 12 images at batch 2 are 6 updates a pass; 64 updates would take 11 passes, more than the automatic cap of 8.
    AtomicReference<TrainingPlan> plan = new AtomicReference<>();
    TrainerConfig auto = config().epochRepeats(TrainerConfig.AUTO_REPEATS).build();
    assertEquals(8, auto.repeatsFor(6));
    new Trainer(engine(), new TrainingListener() {
      @Override
      public void started(TrainingPlan p) {
        plan.set(p);
      }
    }).train(request(auto, tmp.resolve("auto"), false, false));
    assertEquals(96, plan.get().trainExamples());
    assertEquals(48, plan.get().updatesPerEpoch());
    assertTrue(plan.get().notes().stream().anyMatch(n -> n.startsWith("each epoch makes 8 passes over the 12 "
        + "training examples")), plan.get().notes().toString());
    // Pass p of epoch 1 is what single-pass training feeds in epoch p.
    train(engine(), config().epochs(8).build(), tmp.resolve("single"));
    assertEquals(sessions.get(1).batches, sessions.get(0).batches);
    // Rounded to the nearest whole number of passes, at least one: 64 / 12 = 5.3, 64 / 15 = 4.3, 64 / 25 = 2.6,
    // 64 / 43 = 1.49.
    assertEquals(5, auto.repeatsFor(12));
    assertEquals(4, auto.repeatsFor(15));
    assertEquals(3, auto.repeatsFor(25));
    assertEquals(1, auto.repeatsFor(43));
    assertEquals(1, auto.repeatsFor(400));
    assertEquals(3, config().epochRepeats(3).build().repeatsFor(400));
  }

  @Test
  void theRangeTestStepsThroughRisingRatesUntilTheLossExplodesAndWritesNothing() {
    // Falling loss for 8 updates, then 50.
    Engine engine = engine(call -> call < 8 ? 1f - 0.05f * call : 50f, e -> true, 1);
    double[] rates = LearningRateSweep.schedule(1e-5, 1, 30);
    Path dir = tmp.resolve("sweep");
    LearningRateSweep sweep = new Trainer(engine, TrainingListener.NONE).findLearningRate(
        request(config().build(), dir, false, false), rates);
    List<Double> applied = sessions.get(0).rates;
    assertTrue(sweep.stopReason().startsWith("the loss exploded"), sweep.stopReason());
    // One loss of 50 lifts the smoothed loss (about 0.8 before) past four times its minimum at once.
    assertEquals(8, applied.size(), "stops at the first exploding batch");
    for (int i = 0; i < applied.size(); i++) {
      assertEquals(rates[i], applied.get(i), 1e-15, "update " + i + " runs at the i-th rate");
    }
    // The batches of 2 from 12 images wrapped into a second epoch after 6 updates.
    assertEquals(applied.size() + 1, sweep.rates().length, "the exploding batch is recorded but not applied");
    assertEquals(rates[7], sweep.rateAtMinimum(), 1e-15, "the lowest smoothed loss is at the last falling batch");
    assertEquals(rates[7] / 10, sweep.suggested(), 1e-15);
    assertFalse(Files.exists(dir), "a range test writes no run directory");
  }

  @Test
  void aTrainingLossThatDoesNotFallIsReportedOnceWithWhatToTry() {
    List<String> notices = new ArrayList<>();
    TrainingListener listener = new TrainingListener() {
      @Override
      public void notice(String message) {
        notices.add(message);
      }
    };
    // 6 batches per epoch: the check comes after 50 batches, in epoch 9.
    new Trainer(engine(call -> 1.1f, e -> true, 1), listener).train(request(config().epochs(10).build(),
        tmp.resolve("flat"), false, false));
    List<String> stalled = notices.stream().filter(n -> n.contains("has not fallen")).toList();
    assertEquals(1, stalled.size(), notices.toString());
    assertTrue(stalled.get(0).contains("in 50 batches") && stalled.get(0).contains("--find-lr"), stalled.get(0));

    notices.clear();
    new Trainer(engine(call -> 2f / (1 + call), e -> true, 1), listener).train(request(config().epochs(10).build(),
        tmp.resolve("falling"), false, false));
    assertTrue(notices.stream().noneMatch(n -> n.contains("has not fallen")), notices.toString());
  }

  @Test
  void earlyStoppingKeepsTheBestEpoch() {
    Path dir = tmp.resolve("early");
    TrainingResult r = train(engine(call -> 1f, epoch -> epoch == 2, 1),
        config().epochs(6).batchSize(6).patience(2).build(), dir);
    assertEquals(TrainingResult.Status.EARLY_STOPPED, r.status());
    assertEquals(4, r.epochsCompleted());
    assertEquals(2, r.bestEpoch());
    assertEquals(1.0, r.bestValue(), 1e-12);
    assertEquals(1.0 / 3, r.history().get(0).val("acc"), 1e-12);
    assertEquals(2, Checkpoints.readInfo(dir.resolve(RunFiles.BEST_SIDECAR)).epoch());
    CheckpointInfo last = Checkpoints.readInfo(dir.resolve(RunFiles.LAST_SIDECAR));
    assertEquals(4, last.epoch());
    assertEquals(2, last.epochsWithoutImprovement());
  }

  @Test
  void nanLossStopsAndKeepsTheLastGoodCheckpoint() {
    Path dir = tmp.resolve("nan");
    // Batches of 4: 3 micro-batches per epoch; the 5th call is epoch 2, batch 2.
    Engine engine = engine(call -> call == 4 ? Float.NaN : 1f, e -> true, 1);
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> train(engine, config().epochs(3).batchSize(4).learningRate(1e-3).finalLearningRate(1e-3).build(), dir));
    assertTrue(e.getMessage().contains("loss is NaN at epoch 2, batch 2 of 3"), e.getMessage());
    assertTrue(e.getMessage().contains("--out " + dir.toAbsolutePath() + " --resume"), e.getMessage());
    CheckpointInfo last = Checkpoints.readInfo(dir.resolve(RunFiles.LAST_SIDECAR));
    assertEquals(1, last.epoch());
    Weights saved = Checkpoints.readVerified(dir.resolve(RunFiles.LAST_WEIGHTS), last.weightsSha256());
    // Three steps at the constant rate 1e-3 moved every weight by 3e-3 from its initial value.
    float[] initial = org.medvision.api.weights.RandomWeights.initialize(task.graph(), 11).tensors()
        .get("head.weight").toFloatArray();
    float[] after = saved.tensors().get("head.weight").toFloatArray();
    for (int i = 0; i < initial.length; i++) {
      assertEquals(initial[i] + 3e-3f, after[i], 1e-6f);
    }
    assertTrue(sessions.get(0).closed);
  }

  @Test
  void failureBeforeTheFirstCheckpointRemovesTheRunDirectory() {
    Path dir = tmp.resolve("gone");
    Engine engine = engine(call -> Float.POSITIVE_INFINITY, e -> true, 1);
    TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
        () -> train(engine, config().build(), dir));
    assertTrue(e.getMessage().contains("loss is Infinity at epoch 1, batch 1"), e.getMessage());
    assertTrue(e.getMessage().contains("removed the run directory"), e.getMessage());
    assertFalse(Files.exists(dir));
  }

  @Test
  void checkpointsAndSidecarsDescribeTheRun() throws IOException {
    Path dir = tmp.resolve("ckpt");
    train(engine(), config().epochs(2).batchSize(6).build(), dir);
    for (String f : RunFiles.ALL) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    CheckpointInfo best = Checkpoints.readInfo(dir.resolve(RunFiles.BEST_SIDECAR));
    assertEquals(CheckpointInfo.FORMAT, best.format());
    assertEquals("best", best.kind());
    assertEquals("fake", best.task());
    assertEquals(task.config(), best.taskConfig());
    assertEquals("acc", best.selectMetric());
    assertEquals(TrainerFixture.CLASSES, best.classes());
    assertEquals(11, best.seed());
    assertEquals(1, best.epoch()); // every epoch scores 1.0; the first keeps the title
    assertEquals("fake", best.engine());
    assertEquals("fake 1.0", best.engineVersion());
    assertEquals("cpu", best.device());
    assertEquals(WeightsDigest.sha256(data.source()), best.dataSha256());
    assertEquals(WeightsDigest.sha256(dir.resolve(RunFiles.BEST_WEIGHTS)), best.weightsSha256());
    assertEquals("test-version", best.medvisionVersion());
    assertEquals(1.0, best.metrics().val("acc"), 1e-12);
    assertEquals(best.metrics().trainLoss(), best.metrics().trainTerms().get("ce"), 1e-6);
    assertEquals(config().epochs(2).batchSize(6).build(), best.trainer());
    Weights w = Safetensors.read(dir.resolve(RunFiles.BEST_WEIGHTS));
    assertEquals("1", w.metadata().get("epoch"));
    assertEquals("fake", w.metadata().get("task"));
    CheckpointInfo last = Checkpoints.readInfo(dir.resolve(RunFiles.LAST_SIDECAR));
    assertEquals(2, last.epoch());
    assertEquals(4, last.optimizerSteps());
    assertEquals(2, last.history().size());
    assertEquals(WeightsDigest.sha256(dir.resolve(RunFiles.LAST_OPTIMIZER)), last.optimizerSha256());
    List<String> log = Files.readAllLines(dir.resolve(RunFiles.LOG));
    assertEquals(3, log.size());
    assertEquals("epoch,lr,train_loss,train_ce,val_loss,val_acc,val_macro_f1,val_auroc,examples_per_s,seconds",
        log.get(0));
    String[] row = log.get(2).split(",", -1);
    assertEquals("2", row[0]);
    assertEquals(row[2], row[3]); // one loss term of weight 1: the total
    assertEquals("1.000000", row[5]);
    // The sidecar is strict JSON: an unmeasured value would be null, never NaN.
    assertFalse(Files.readString(dir.resolve(RunFiles.BEST_SIDECAR)).contains("NaN"));
  }

  @Test
  void resumeContinuesWithTheSameShufflesRatesAndWeights() {
    TrainerConfig cfg = config().epochs(3).batchSize(4).learningRate(1e-2).warmupEpochs(1).build();
    Path whole = tmp.resolve("whole");
    train(engine(), cfg, whole);
    FakeSession reference = sessions.get(0);

    Path split = tmp.resolve("split");
    AtomicReference<Trainer> trainer = new AtomicReference<>();
    List<String> notices = new ArrayList<>();
    TrainingListener stopInEpoch2 = new TrainingListener() {
      @Override
      public void batchFinished(BatchProgress p) {
        if (p.epoch() == 2 && p.batch() == 1) {
          trainer.get().requestStop();
        }
      }

      @Override
      public void notice(String message) {
        notices.add(message);
      }
    };
    Engine engine = engine();
    trainer.set(new Trainer(engine, stopInEpoch2));
    TrainingResult first = trainer.get().train(request(cfg, split, false, false));
    assertEquals(TrainingResult.Status.INTERRUPTED, first.status());
    assertEquals(1, first.epochsCompleted());
    assertTrue(notices.get(0).contains("medvision train --out " + split.toAbsolutePath() + " --resume"),
        notices.toString());
    CheckpointInfo saved = Checkpoints.readInfo(split.resolve(RunFiles.LAST_SIDECAR));
    assertEquals(1, saved.epoch());
    assertEquals(1, saved.batchesDone());
    FakeSession before = sessions.get(1);

    TrainingResult second = new Trainer(engine, TrainingListener.NONE).train(request(cfg, split, true, false));
    FakeSession after = sessions.get(2);
    assertEquals(TrainingResult.Status.COMPLETED, second.status());
    assertEquals(3, second.history().size());
    List<List<Float>> replayed = new ArrayList<>(before.batches);
    replayed.addAll(after.batches);
    assertEquals(reference.batches, replayed);
    List<Double> rates = new ArrayList<>(before.rates);
    rates.addAll(after.rates);
    assertEquals(reference.rates, rates);
    assertEquals(4L, after.loadedOptimizerState.get("step").toLongArray()[0]);
    for (String name : List.of("head.weight", "head.bias")) {
      Tensor a = Safetensors.read(whole.resolve(RunFiles.LAST_WEIGHTS)).tensors().get(name);
      Tensor b = Safetensors.read(split.resolve(RunFiles.LAST_WEIGHTS)).tensors().get(name);
      assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f, name);
    }
    // The shuffles differ between epochs.
    assertFalse(reference.batches.subList(0, 3).equals(reference.batches.subList(3, 6)));
  }

  @Test
  void refusesToOverwriteARunDirectoryWithoutForce() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("taken"));
    Files.writeString(dir.resolve("notes.txt"), "keep me");
    MedvisionException e = assertThrows(MedvisionException.class, () -> train(engine(), config().build(), dir));
    assertTrue(e.getMessage().contains("--force"), e.getMessage());
    assertTrue(sessions.isEmpty());
    new Trainer(engine(), TrainingListener.NONE).train(request(config().build(), dir, false, true));
    assertTrue(Files.isRegularFile(dir.resolve(RunFiles.BEST_WEIGHTS)));
    assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
  }

  @Test
  void refusesToResumeACheckpointOfAnotherModelOrSettings() {
    Path dir = tmp.resolve("other");
    train(engine(), config().epochs(2).build(), dir);
    Task other = TrainerFixture.task("w");
    MedvisionException e = assertThrows(MedvisionException.class, () -> new Trainer(engine(), TrainingListener.NONE)
        .train(new TrainingRequest(other, data, config().epochs(2).build(), dir, null, null, true, false, "x",
            Map.of())));
    assertTrue(e.getMessage().contains("is for task fake v image_size=8"), e.getMessage());
    e = assertThrows(MedvisionException.class, () -> new Trainer(engine(), TrainingListener.NONE)
        .train(request(config().epochs(3).batchSize(3).build(), dir, true, false)));
    assertTrue(e.getMessage().contains("only epochs and patience may change"), e.getMessage());
    e = assertThrows(MedvisionException.class, () -> new Trainer(engine(), TrainingListener.NONE)
        .train(request(config().epochs(2).build(), dir, true, false)));
    assertTrue(e.getMessage().contains("already finished its 2 epochs"), e.getMessage());
    assertTrue(Files.isRegularFile(dir.resolve(RunFiles.LAST_WEIGHTS)));
  }

  @Test
  void thePlanNamesTheSamplerAndTheSelectionMetric() {
    AtomicReference<TrainingPlan> plan = new AtomicReference<>();
    new Trainer(engine(), new TrainingListener() {
      @Override
      public void started(TrainingPlan p) {
        plan.set(p);
      }
    }).train(request(config().selectMetric("val-macro-f1").build(), tmp.resolve("w"), false, false));
    assertNotNull(plan.get());
    assertEquals("uniform", plan.get().sampler());
    assertEquals("macro_f1", plan.get().selectMetric());
    assertEquals(12, plan.get().trainExamples());
    MedvisionException e = assertThrows(MedvisionException.class, () -> train(engine(),
        config().selectMetric("dice").build(), tmp.resolve("x")));
    assertTrue(e.getMessage().contains("unknown selection metric 'dice'") && e.getMessage().contains("auroc"),
        e.getMessage());
  }

  @Test
  void configAcceptsExplicitMixedPrecisionOnEveryDeviceAndRejectsBadValues() {
    assertEquals(org.medvision.api.training.Precision.FLOAT32, config().build().precision(), "float32 is the default");
    config().precision(org.medvision.api.training.Precision.BF16_MIXED).build();
    config().precision(org.medvision.api.training.Precision.FP16_MIXED).device("cuda:0").build();
    assertThrows(MedvisionException.class, () -> config().warmupEpochs(-1).build());
    assertThrows(MedvisionException.class, () -> config().accumulationSteps(0).build());
  }
}
