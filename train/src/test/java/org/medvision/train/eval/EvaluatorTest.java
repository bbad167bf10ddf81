package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.InputSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.io.classify.ImageClassifier;
import org.medvision.io.classify.Prediction;
import org.medvision.io.dataset.Dataset;
import org.medvision.io.dataset.DatasetException;
import org.medvision.io.dataset.Sample;

class EvaluatorTest {
  @TempDir
  Path dir;

  /** Hands out logits from a fixed table in call order and records every feed shape it saw. */
  private static final class ScriptedModel implements Evaluator.Model {
    final float[][] logits;
    final List<Shape> shapes = new ArrayList<>();
    int next;

    ScriptedModel(float[][] logits) {
      this.logits = logits;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
      Shape shape = feeds.values().iterator().next().shape();
      shapes.add(shape);
      int n = (int) shape.dim(0);
      float[] out = new float[n * 3];
      for (int i = 0; i < n; i++) {
        System.arraycopy(logits[next++], 0, out, i * 3, 3);
      }
      return Map.of("logits", Tensor.of(Shape.of(n, 3), out));
    }
  }

  @Test
  void softmaxesLogitsInDatasetOrderAcrossBatches() {
    Task task = TestImages.atto(32);
    Dataset data = TestImages.dataset(dir, 7);
    float[][] logits = new float[7][];
    for (int i = 0; i < 7; i++) {
      logits[i] = new float[] {i * 0.5f, 1f - i, (i % 3) * 2f};
    }
    ScriptedModel model = new ScriptedModel(logits);
    List<long[]> progress = new ArrayList<>();
    List<ImagePrediction> out = new Evaluator(task, model, 3).predict(data, (d, t) -> progress.add(new long[] {d, t}));

    assertEquals(7, out.size());
    // Three runs of 3, 3 and 1 images, each preprocessed to [N, 3, 32, 32] (grayscale replicated to 3 channels).
    assertEquals(List.of(Shape.of(3, 3, 32, 32), Shape.of(3, 3, 32, 32), Shape.of(1, 3, 32, 32)), model.shapes);
    assertEquals(List.of(0L, 3L, 6L, 7L), progress.stream().map(p -> p[0]).toList());
    for (int i = 0; i < 7; i++) {
      // Softmax written out by hand.
      double z = Math.exp(logits[i][0]) + Math.exp(logits[i][1]) + Math.exp(logits[i][2]);
      float[] p = out.get(i).probabilities();
      int best = 0;
      for (int k = 0; k < 3; k++) {
        assertEquals(Math.exp(logits[i][k]) / z, p[k], 1e-6, "image " + i + " class " + k);
        if (logits[i][k] > logits[i][best]) {
          best = k;
        }
      }
      assertEquals(best, out.get(i).predicted(), "image " + i);
      assertEquals(i % 3, out.get(i).label());
      assertEquals(dir.resolve("img" + i + ".png").toAbsolutePath(), out.get(i).path());
    }
  }

  @Test
  void agreesWithTheImageClassifierOnARealEngine() {
    Task task = TestImages.atto(32);
    Dataset data = TestImages.dataset(dir, 5);
    Weights weights = RandomWeights.initialize(task.graph(), 3);
    List<Path> paths = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      paths.add(data.get(i).path());
    }
    try (Engine engine = TestImages.MEDVISION.engine("onnx");
        CompiledModel model = engine.compile(task.graph(), weights, CompileOptions.defaults());
        ImageClassifier classifier = new ImageClassifier(task, engine, weights, CompileOptions.defaults(), 5)) {
      List<ImagePrediction> ours = Evaluator.of(task, model, 2).predict(data, (d, t) -> { });
      List<Prediction> theirs = classifier.classify(paths);
      for (int i = 0; i < 5; i++) {
        float[] p = ours.get(i).probabilities();
        for (int k = 0; k < 3; k++) {
          assertEquals(theirs.get(i).probabilities().get(TestImages.CLASSES.get(k)), p[k], 1e-5,
              "image " + i + " class " + k);
        }
      }
    }
  }

  @Test
  void fillsAFixedBatchByRepeatingTheLastImageAndDropsThosePredictions() {
    // A graph whose batch dimension is fixed at 4: every run gets exactly 4 images.
    GraphBuilder b = new GraphBuilder("fixed");
    Value x = b.input("image", DType.FLOAT32, Shape.of(4, 1, 8, 8));
    b.output("logits", b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, x)));
    ImagePreprocessing prep = new ImagePreprocessing(1, 8, 8, new float[] {0f}, new float[] {1f});
    Task task = Task.of("fixed", new TaskConfig("v", "3class", "none", 8, Map.of()), b.build(),
        List.of(new InputSpec("image", "image", prep)),
        List.of(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, TestImages.CLASSES)));
    Dataset data = TestImages.dataset(dir, 6);
    List<float[]> firstPixels = new ArrayList<>();
    Evaluator.Model model = feeds -> {
      Tensor in = feeds.get("image");
      float[] v = in.toFloatArray();
      int n = (int) in.shape().dim(0);
      float[] out = new float[n * 3];
      for (int i = 0; i < n; i++) {
        // Logits from the image itself: the padding copies must equal the last real image.
        float p = v[i * 64];
        firstPixels.add(new float[] {p});
        out[i * 3] = p;
        out[i * 3 + 1] = -p;
      }
      return Map.of("logits", Tensor.of(Shape.of(n, 3), out));
    };
    Evaluator evaluator = new Evaluator(task, model, 100);
    List<ImagePrediction> out = evaluator.predict(data, (d, t) -> { });
    assertEquals(6, out.size());
    assertEquals(8, firstPixels.size(), "two runs of 4");
    assertEquals(firstPixels.get(5)[0], firstPixels.get(6)[0], "padding repeats image 5");
    assertEquals(firstPixels.get(5)[0], firstPixels.get(7)[0], "padding repeats image 5");
    for (int i = 0; i < 6; i++) {
      double z = Math.exp(firstPixels.get(i)[0]) + Math.exp(-firstPixels.get(i)[0]) + 1;
      assertEquals(Math.exp(firstPixels.get(i)[0]) / z, out.get(i).probabilities()[0], 1e-6, "image " + i);
    }
  }

  @Test
  void namesTheManifestRowOfAnUnreadableImage() throws Exception {
    Task task = TestImages.atto(32);
    Path broken = dir.resolve("broken.png");
    Files.writeString(broken, "not a png");
    Path manifest = dir.resolve("m.csv");
    Dataset data = Dataset.of(List.of(
        new Sample(TestImages.png(dir, "ok.png", 1), "normal", null, null, manifest, 2),
        new Sample(broken, "ischemic", null, null, manifest, 3),
        new Sample(TestImages.png(dir, "ok2.png", 2), "hemorrhagic", null, null, manifest, 4)), TestImages.CLASSES);
    ScriptedModel model = new ScriptedModel(new float[3][3]);
    DatasetException e = assertThrows(DatasetException.class,
        () -> new Evaluator(task, model, 8).predict(data, (d, t) -> { }));
    assertTrue(e.getMessage().contains(manifest + " line 3"), e.getMessage());
  }

  @Test
  void rejectsDataWhoseClassesAreNotTheTasks() {
    Task task = TestImages.atto(32);
    Path manifest = dir.resolve("m.csv");
    Dataset data = Dataset.of(List.of(
        new Sample(TestImages.png(dir, "a.png", 1), "normal", null, null, manifest, 2),
        new Sample(TestImages.png(dir, "b.png", 2), "stroke", null, null, manifest, 3)), List.of("normal", "stroke"));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> new Evaluator(task, new ScriptedModel(new float[2][3]), 4).predict(data, (d, t) -> { }));
    assertTrue(e.getMessage().contains("[normal, stroke]") && e.getMessage().contains("3class"), e.getMessage());
  }

  @Test
  void reportsAMissingOutput() {
    Task task = TestImages.atto(32);
    Dataset data = TestImages.dataset(dir, 2);
    Evaluator.Model wrong = feeds -> Map.of("features", Tensor.of(Shape.of(2, 3), new float[6]));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> new Evaluator(task, wrong, 4).predict(data, (d, t) -> { }));
    assertTrue(e.getMessage().contains("no output 'logits'") && e.getMessage().contains("features"),
        e.getMessage());
  }
}
