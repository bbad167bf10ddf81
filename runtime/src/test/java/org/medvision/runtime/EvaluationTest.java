package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.metrics.ConfidenceInterval;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.ExampleSet;
import org.medvision.io.dataset.Sample;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;

/** Evaluation of a two-member StrokeNeXt atto ensemble on a small synthetic brain CT set. */
class EvaluationTest {
  private static final long SEED = 7;
  /** The metrics come from the same float32 probabilities, summed in another order. */
  private static final double TOLERANCE = 1e-6;

  @TempDir static Path shared;
  static Engine engine;
  static TaskData data;
  static ModelSource ensemble;

  @BeforeAll
  static void setUp() {
    engine = Models.MEDVISION.engine("onnx");
    Path manifest = BrainCtDataset.generate(shared.resolve("data"), 12, Models.SIZE, 5, Difficulty.EASY, "brain")
        .manifest();
    Path a = Models.checkpoint(shared.resolve("runs").resolve("a").resolve("best.safetensors"),
        Models.atto("3class"), 31);
    Path b = Models.checkpoint(shared.resolve("runs").resolve("b").resolve("best.safetensors"),
        Models.atto("3class"), 32);
    ensemble = EnsembleFile.write(Models.MEDVISION, shared.resolve("ensemble.json"), List.of(a.getParent(),
        b.getParent()), Models.VERSION);
    data = TaskData.load(manifest, ensemble.task().data(), SEED, ProgressListener.NONE);
  }

  @AfterAll
  static void tearDown() {
    engine.close();
  }

  private static Evaluation.Result evaluate(ModelSource model, long seed) {
    return Evaluation.run(model, engine, CompileOptions.defaults(), data, Split.TRAIN, seed, 4, null,
        ProgressListener.NONE);
  }

  /** Cross-entropy and accuracy computed here from per-example probabilities. */
  private record Expected(double loss, double accuracy) {
    static Expected of(List<float[]> probabilities, List<Integer> labels) {
      double loss = 0;
      int correct = 0;
      for (int i = 0; i < labels.size(); i++) {
        float[] p = probabilities.get(i);
        loss -= Math.log(p[labels.get(i)]);
        int top = 0;
        for (int k = 1; k < p.length; k++) {
          top = p[k] > p[top] ? k : top;
        }
        correct += top == labels.get(i) ? 1 : 0;
      }
      return new Expected(loss / labels.size(), (double) correct / labels.size());
    }
  }

  @Test
  void theEnsembleComesFirstThenEachMemberEachScoredOnItsOwnPredictions() {
    Evaluation.Result result = evaluate(ensemble, SEED);
    assertEquals(List.of("ensemble", "a", "b"), result.models().stream().map(Evaluation.ScoredModel::name).toList());
    assertEquals("ensemble", result.primary().name());
    assertEquals(Split.TRAIN, result.split());
    assertEquals(SEED, result.seed());
    assertEquals("strokenext", result.provenance().get("task"));

    // The same examples predicted here, member by member, and combined by hand.
    ExampleSet set = data.split(Split.TRAIN);
    ExampleReader reader = ExampleReader.all(ensemble.task().data(), null);
    List<Example> examples = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      Example e = reader.read(set.get(i), 0, i);
      examples.add(e);
      labels.add((int) e.tensor("label").toLongArray()[0]);
    }
    assertTrue(examples.size() > 4, "more examples than one batch of 4: " + examples.size());
    List<List<ExampleResult>> members;
    try (Predictor p = new Predictor(engine, ensemble, CompileOptions.defaults(), 5)) {
      members = p.predictMembers(examples);
    }
    List<List<float[]>> probabilities = new ArrayList<>();
    List<float[]> mean = new ArrayList<>();
    for (List<ExampleResult> m : members) {
      probabilities.add(m.stream().map(r -> r.first(ClassProbabilities.class).orElseThrow().probabilities())
          .toList());
    }
    for (int i = 0; i < examples.size(); i++) {
      float[] pa = probabilities.get(0).get(i);
      float[] pb = probabilities.get(1).get(i);
      float[] m = new float[pa.length];
      for (int k = 0; k < m.length; k++) {
        m[k] = (float) ((pa[k] + (double) pb[k]) / 2);
      }
      mean.add(m);
    }
    List<Expected> expected = List.of(Expected.of(mean, labels), Expected.of(probabilities.get(0), labels),
        Expected.of(probabilities.get(1), labels));

    for (int k = 0; k < 3; k++) {
      Evaluation.ScoredModel scored = result.models().get(k);
      MetricResult metrics = scored.metrics().get(0);
      assertEquals("classification", metrics.suite());
      assertEquals(expected.get(k).loss(), metrics.scalar("loss"), TOLERANCE, scored.name() + " loss");
      assertEquals(expected.get(k).accuracy(), metrics.scalar("acc"), TOLERANCE, scored.name() + " accuracy");
      assertEquals(set.size(), scored.scored().results().size(), scored.name());
      for (int i = 0; i < set.size(); i++) {
        Scoring.ExampleRef ref = scored.scored().examples().get(i);
        assertEquals(set.id(i), ref.id());
        assertEquals(labels.get(i), ref.label());
      }
    }
    // The members differ, so the test can tell them (and their mean) apart.
    assertFalse(expected.get(1).loss() == expected.get(2).loss());
  }

  @Test
  void theSameSeedGivesTheSameIntervalsAndAMemberScoresAsItDoesAlone() {
    Evaluation.Result first = evaluate(ensemble, SEED);
    Evaluation.Result again = evaluate(ensemble, SEED);
    for (int k = 0; k < first.models().size(); k++) {
      MetricResult m = first.models().get(k).metrics().get(0);
      assertEquals(m.scalars(), again.models().get(k).metrics().get(0).scalars());
      assertEquals(m.intervals(), again.models().get(k).metrics().get(0).intervals());
      ConfidenceInterval accuracy = m.intervals().get("acc");
      assertEquals(Evaluation.BOOTSTRAP_RESAMPLES, accuracy.resamples());
      assertTrue(accuracy.lower() <= m.scalar("acc") && m.scalar("acc") <= accuracy.upper(), accuracy.toString());
    }

    Evaluation.Result alone = evaluate(ModelSource.load(Models.MEDVISION,
        shared.resolve("runs").resolve("a").resolve("best.safetensors"), ModelRequest.none()), SEED);
    assertEquals(List.of("a"), alone.models().stream().map(Evaluation.ScoredModel::name).toList());
    MetricResult single = alone.primary().metrics().get(0);
    MetricResult asMember = first.models().get(1).metrics().get(0);
    single.scalars().forEach((key, value) -> assertEquals(asMember.scalar(key), value, TOLERANCE, key));
    assertEquals(asMember.intervals().get("acc"), single.intervals().get("acc"));
  }

  @Test
  void scoringReportsProgressAndNeedsAMetricSuite() {
    List<long[]> reports = new ArrayList<>();
    try (Predictor p = new Predictor(engine, ensemble, CompileOptions.defaults(), 4)) {
      Scoring.score(ensemble.task(), data.split(Split.VAL), ExampleReader.all(ensemble.task().data(), null),
          p.runner(0), 2, (done, total) -> reports.add(new long[] {done, total}));
    }
    int n = data.split(Split.VAL).size();
    assertEquals(0, reports.get(0)[0]);
    assertEquals(n, reports.get(reports.size() - 1)[0]);
    assertEquals(n, reports.get(reports.size() - 1)[1]);

    ModelSource noMetrics = ModelSource.random(Models.task(TinySliceTaskProvider.NAME, "tiny", Map.of()), 1);
    ExampleSet rows = new ExampleSet(noMetrics.task().data(), List.of(new Sample("x.png", Map.of("path", "x.png",
        "label", "clear"), "clear", null, Split.TEST, shared, 2)), Map.of());
    try (Predictor p = new Predictor(engine, noMetrics, CompileOptions.defaults(), 1)) {
      MedvisionException e = assertThrows(MedvisionException.class, () -> Scoring.score(noMetrics.task(), rows,
          ExampleReader.all(noMetrics.task().data(), null), p.runner(0), 1, ProgressListener.NONE));
      assertTrue(e.getMessage().contains("task tiny-slice declares no metric suites"), e.getMessage());
    }
  }
}
