package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.medvision.api.data.Batches;
import org.medvision.api.data.Example;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.RandomTensors;

class PredictorTest {
  /** ONNX Runtime against the reference interpreter, float32. */
  private static final double REFERENCE_TOLERANCE = 1e-4;
  /** The same engine on other batch sizes may round differently, but barely. */
  private static final double BATCH_TOLERANCE = 1e-5;

  static Engine engine;

  @TempDir Path dir;

  @BeforeAll
  static void open() {
    engine = Models.MEDVISION.engine("onnx");
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  /** {@code n} examples whose field {@code key} holds seeded normal noise of {@code shape}. */
  private static List<Example> examples(int n, String key, Shape shape, long seed) {
    RandomTensors random = new RandomTensors(seed);
    List<Example> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Example("example " + i, null, "test", Map.of(key, random.normal(shape, 0, 1)), Map.of()));
    }
    return out;
  }

  private static List<ExampleResult> predict(ModelSource model, int batchSize, List<Example> examples) {
    try (Predictor p = new Predictor(engine, model, CompileOptions.defaults(), batchSize)) {
      return p.predict(examples);
    }
  }

  private static float[] probabilities(ExampleResult r) {
    return r.first(ClassProbabilities.class).orElseThrow().probabilities();
  }

  private static double[] softmax(float[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (float z : logits) {
      max = Math.max(max, z);
    }
    double sum = 0;
    double[] p = new double[logits.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.exp(logits[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= sum;
    }
    return p;
  }

  private static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], tolerance, what + " [" + i + "]");
    }
  }

  private static double[] doubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  @Test
  void resultsDoNotDependOnTheBatchSizeAndMatchTheReferenceInterpreter() {
    Task task = Models.atto("3class");
    ModelSource model = ModelSource.random(task, 3);
    List<Example> examples = examples(5, "image", Shape.of(3, Models.SIZE, Models.SIZE), 11);

    List<ExampleResult> one = predict(model, 1, examples);
    List<ExampleResult> three = predict(model, 3, examples);

    Tensor images = Batches.collate(examples).get("image");
    Tensor logits = ReferenceInterpreter.run(task.graph(), model.members().get(0).weights(),
        Map.of("image1", images, "image2", images)).get("logits");
    assertEquals(5, one.size());
    assertEquals(5, three.size());
    for (int i = 0; i < 5; i++) {
      assertEquals("example " + i, one.get(i).id());
      assertEquals("example " + i, three.get(i).id());
      double[] expected = softmax(Batches.row(logits, i).toFloatArray());
      assertClose(expected, probabilities(one.get(i)), REFERENCE_TOLERANCE, "batch 1, example " + i);
      assertClose(expected, probabilities(three.get(i)), REFERENCE_TOLERANCE, "batch 3, example " + i);
      assertClose(doubles(probabilities(one.get(i))), probabilities(three.get(i)), BATCH_TOLERANCE,
          "batch 1 vs 3, example " + i);
    }
  }

  @Test
  void aGraphOfFixedBatchGetsItsLastBatchPaddedAndOnlyTheRealResultsBack() {
    Task fixed = Models.tinyVolume("wide", "batch", "3");
    Task dynamic = Models.tinyVolume("wide");
    ModelSource model = ModelSource.random(fixed, 5);
    List<Example> examples = examples(5, "scan", Shape.of(1, 4, 8, 8), 12);

    // The reference runs all five at once on the same model with a free batch dimension.
    Tensor scans = Batches.collate(examples).get("scan");
    Map<String, Tensor> reference = ReferenceInterpreter.run(dynamic.graph(), model.members().get(0).weights(),
        Map.of("scan", scans));
    for (int batchSize : new int[] {1, 3}) {
      List<ExampleResult> results = predict(model, batchSize, examples);
      assertEquals(5, results.size(), "batch " + batchSize);
      for (int i = 0; i < 5; i++) {
        String where = "batch " + batchSize + ", example " + i;
        assertEquals("example " + i, results.get(i).id(), where);
        assertClose(softmax(Batches.row(reference.get("logits"), i).toFloatArray()), probabilities(results.get(i)),
            REFERENCE_TOLERANCE, where);
        SpatialMap map = results.get(i).first(SpatialMap.class).orElseThrow();
        assertEquals(Shape.of(4, 8, 8), map.values().shape(), where);
        assertClose(doubles(Batches.row(reference.get("map"), i).toFloatArray()), map.values().toFloatArray(),
            REFERENCE_TOLERANCE, where + " map");
      }
    }

    try (Predictor tooMany = new Predictor(engine, model, CompileOptions.defaults(), 4)) {
      MedvisionException e = assertThrows(MedvisionException.class, () -> tooMany.predict(examples));
      assertTrue(e.getMessage().contains("takes batches of 3 but got 4"), e.getMessage());
    }
  }

  @Test
  void anEnsemblePredictsTheMeanOfItsMembersProbabilitiesAndMaps() {
    Task task = Models.tinyVolume("wide");
    Path a = Models.checkpoint(dir.resolve("a").resolve("best.safetensors"), task, 21);
    Path b = Models.checkpoint(dir.resolve("b").resolve("best.safetensors"), task, 22);
    ModelSource ensemble = EnsembleFile.write(Models.MEDVISION, dir.resolve("ensemble.json"), List.of(a, b),
        Models.VERSION);
    List<Example> examples = examples(4, "scan", Shape.of(1, 4, 8, 8), 13);

    List<List<ExampleResult>> alone = new ArrayList<>();
    for (Path member : List.of(a, b)) {
      alone.add(predict(ModelSource.load(Models.MEDVISION, member, ModelRequest.none()), 4, examples));
    }
    List<ExampleResult> combined;
    List<List<ExampleResult>> byMember;
    try (Predictor p = new Predictor(engine, ensemble, CompileOptions.defaults(), 3)) {
      combined = p.predict(examples);
      byMember = p.predictMembers(examples);
    }
    assertEquals(2, byMember.size());
    for (int i = 0; i < examples.size(); i++) {
      ExampleResult ra = alone.get(0).get(i);
      ExampleResult rb = alone.get(1).get(i);
      assertClose(mean(probabilities(ra), probabilities(rb)), probabilities(combined.get(i)), 1e-6,
          "ensemble, example " + i);
      assertClose(mean(map(ra), map(rb)), map(combined.get(i)), 1e-6, "ensemble map, example " + i);
      assertClose(doubles(probabilities(ra)), probabilities(byMember.get(0).get(i)), BATCH_TOLERANCE,
          "member a, example " + i);
      assertClose(doubles(probabilities(rb)), probabilities(byMember.get(1).get(i)), BATCH_TOLERANCE,
          "member b, example " + i);
    }
  }

  private static float[] map(ExampleResult r) {
    return r.first(SpatialMap.class).orElseThrow().values().toFloatArray();
  }

  private static double[] mean(float[] a, float[] b) {
    double[] m = new double[a.length];
    for (int k = 0; k < m.length; k++) {
      m[k] = (a[k] + (double) b[k]) / 2;
    }
    return m;
  }

  @Test
  void aStageTheTaskLacksIsNamedWithTheStagesThereAre() {
    try (Predictor p = new Predictor(engine, ModelSource.random(Models.tinyVolume("narrow"), 1),
        CompileOptions.defaults(), 2)) {
      MedvisionException e = assertThrows(MedvisionException.class,
          () -> p.runner(0).run("decoder", Map.of("scan", Tensor.zeros(org.medvision.api.tensor.DType.FLOAT32,
              Shape.of(1, 1, 4, 8, 8)))));
      assertTrue(e.getMessage().contains("has no stage 'decoder'; stages: [model]"), e.getMessage());
      assertEquals(2, p.batchSize());
      p.close();
      p.close();
    }
    MedvisionException e = assertThrows(MedvisionException.class, () -> new Predictor(engine,
        ModelSource.random(Models.tinyVolume("narrow"), 1), CompileOptions.defaults(), 0));
    assertTrue(e.getMessage().contains("batch size must be at least 1, got 0"), e.getMessage());
  }
}
