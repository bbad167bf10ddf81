package org.medvision.io.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.graph.Graph;
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
import org.medvision.api.weights.Weights;
import org.medvision.io.ProgressListener;
import org.medvision.io.image.ImageReadException;

/**
 * Runs the classifier on real PNG files with an engine whose model computes, per image, the mean of each channel of
 * input {@code image1} as the three logits. Flat gray images make every logit a hand-computable normalised value.
 */
class ImageClassifierTest {
  private static final List<String> LABELS = List.of("normal", "ischemic", "hemorrhagic");

  @TempDir Path dir;

  /** An engine whose logits are the per-channel means of input image1. */
  private static RecordingEngine channelMeanEngine() {
    return new RecordingEngine(inputs -> {
      Tensor x = inputs.get("image1");
      int n = (int) x.shape().dim(0);
      int c = (int) x.shape().dim(1);
      int plane = (int) (x.shape().dim(2) * x.shape().dim(3));
      float[] v = x.toFloatArray();
      float[] logits = new float[n * c];
      for (int i = 0; i < n * c; i++) {
        double s = 0;
        for (int j = 0; j < plane; j++) {
          s += v[i * plane + j];
        }
        logits[i] = (float) (s / plane);
      }
      return Map.of("logits", Tensor.ofFloats(logits, n, c));
    });
  }

  private static Task task(long batch) {
    GraphBuilder b = new GraphBuilder("two-input");
    Value x1 = b.input("image1", DType.FLOAT32, Shape.of(batch, 3, 4, 4));
    Value x2 = b.input("image2", DType.FLOAT32, Shape.of(batch, 3, 4, 4));
    Value pooled = b.apply(Op.GLOBAL_AVG_POOL, b.apply(Op.ADD, x1, x2));
    b.output("logits", b.apply(Op.FLATTEN, pooled));
    Graph graph = b.build();
    ImagePreprocessing prep = ImagePreprocessing.imagenet(4);
    List<InputSpec> inputs = List.of(new InputSpec("image1", "image", prep), new InputSpec("image2", "image", prep));
    List<OutputSpec> outputs = List.of(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, LABELS));
    TaskConfig config = new TaskConfig("test", "3class", "sum", 4, Map.of());
    return Task.of("two-input", config, graph, inputs, outputs);
  }

  private Path flatGray(String name, int level, int size) throws IOException {
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    int[] v = new int[size * size];
    Arrays.fill(v, level);
    img.getRaster().setPixels(0, 0, size, size, v);
    Path file = dir.resolve(name);
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  /** Softmax written directly from its definition, for comparison. */
  private static double[] expectedProbabilities(int level) {
    double g = level / 255.0;
    double[] logits = {(g - 0.485) / 0.229, (g - 0.456) / 0.224, (g - 0.406) / 0.225};
    double z = Math.exp(logits[0]) + Math.exp(logits[1]) + Math.exp(logits[2]);
    return new double[] {Math.exp(logits[0]) / z, Math.exp(logits[1]) / z, Math.exp(logits[2]) / z};
  }

  @Test
  void classifiesInBatchesFeedingOneTensorToBothInputs() throws IOException {
    RecordingEngine engine = channelMeanEngine();
    List<Path> files = List.of(flatGray("a.png", 0, 8), flatGray("b.png", 255, 4), flatGray("c.png", 100, 6));
    List<long[]> progress = new ArrayList<>();
    List<Prediction> predictions;
    try (ImageClassifier classifier = new ImageClassifier(task(-1), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults(), 2)) {
      predictions = classifier.classify(files, (done, total) -> progress.add(new long[] {done, total}));
    }
    assertTrue(engine.modelClosed());
    assertEquals(2, engine.feeds().size());
    assertEquals(Shape.of(2, 3, 4, 4), engine.feeds().get(0).get("image1").shape());
    assertEquals(Shape.of(1, 3, 4, 4), engine.feeds().get(1).get("image1").shape());
    for (Map<String, Tensor> feed : engine.feeds()) {
      assertSame(feed.get("image1"), feed.get("image2"));
    }
    assertEquals(List.of("0/3", "2/3", "3/3"), progress.stream().map(p -> p[0] + "/" + p[1]).toList());

    int[] levels = {0, 255, 100};
    for (int i = 0; i < 3; i++) {
      Prediction p = predictions.get(i);
      double[] expected = expectedProbabilities(levels[i]);
      assertEquals(files.get(i), p.image());
      assertEquals(LABELS, List.copyOf(p.probabilities().keySet()));
      int best = 0;
      for (int j = 0; j < 3; j++) {
        assertEquals(expected[j], p.probabilities().get(LABELS.get(j)), 1e-6, "image " + i + " label " + j);
        best = expected[j] > expected[best] ? j : best;
      }
      assertEquals(LABELS.get(best), p.topLabel());
      assertEquals(expected[best], p.topProbability(), 1e-6);
    }
  }

  @Test
  void fixedBatchGraphsGetFullPaddedBatches() throws IOException {
    RecordingEngine engine = channelMeanEngine();
    List<Path> files = List.of(flatGray("a.png", 10, 4), flatGray("b.png", 20, 4), flatGray("c.png", 30, 4));
    List<Prediction> predictions;
    try (ImageClassifier classifier = new ImageClassifier(task(2), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults(), 8)) {
      assertEquals(2, classifier.batchSize());
      predictions = classifier.classify(files);
    }
    assertEquals(3, predictions.size());
    assertEquals(Shape.of(2, 3, 4, 4), engine.feeds().get(1).get("image1").shape());
    assertEquals(expectedProbabilities(30)[2], predictions.get(2).probabilities().get("hemorrhagic"), 1e-6);
  }

  @Test
  void imagesInMemoryTakeTheFilePathAndFixedBatchPadding() throws IOException {
    int[] levels = {10, 20, 30};
    List<Map<String, Tensor>> images = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int level : levels) {
      float[] gray = new float[6 * 6];
      Arrays.fill(gray, level / 255f);
      images.add(Map.of("image", Tensor.ofFloats(gray, 1, 6, 6)));
      files.add(flatGray("m" + level + ".png", level, 6));
    }
    RecordingEngine engine = channelMeanEngine();
    List<Classification> inMemory;
    List<Prediction> fromFiles;
    try (ImageClassifier classifier = new ImageClassifier(task(2), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults(), 8)) {
      inMemory = classifier.classifyImages(images, ProgressListener.NONE);
      fromFiles = classifier.classify(files);
    }
    // Two padded runs of 2 for each path.
    assertEquals(4, engine.feeds().size());
    engine.feeds().forEach(feed -> assertEquals(Shape.of(2, 3, 4, 4), feed.get("image1").shape()));
    assertEquals(3, inMemory.size());
    for (int i = 0; i < 3; i++) {
      double[] expected = expectedProbabilities(levels[i]);
      Classification c = inMemory.get(i);
      for (int j = 0; j < 3; j++) {
        assertEquals(expected[j], c.probabilities().get(LABELS.get(j)), 1e-6, "image " + i + " label " + j);
      }
      assertEquals(fromFiles.get(i).probabilities(), c.probabilities());
      assertEquals(fromFiles.get(i).topLabel(), c.topLabel());
      assertEquals(c.topLabel(), LABELS.get(c.topIndex()));
    }
    List<Map<String, Tensor>> wrongSource = List.of(Map.of("other", images.get(0).get("image")));
    try (ImageClassifier classifier = new ImageClassifier(task(-1), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults())) {
      MedvisionException e = assertThrows(MedvisionException.class,
          () -> classifier.classifyImages(wrongSource, ProgressListener.NONE));
      assertTrue(e.getMessage().contains("'image'"), e.getMessage());
    }
  }

  @Test
  void missingImageIsNamed() throws IOException {
    RecordingEngine engine = channelMeanEngine();
    Path missing = dir.resolve("missing.png");
    try (ImageClassifier classifier = new ImageClassifier(task(-1), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults())) {
      List<Path> files = List.of(flatGray("a.png", 10, 4), missing);
      ImageReadException e = assertThrows(ImageReadException.class, () -> classifier.classify(files));
      assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
  }

  @Test
  void softmaxIsStableForLargeLogits() {
    double[] p = Probabilities.softmax(new float[] {9, 1000f, 1000f, 0f}, 1, 3);
    assertEquals(0.5, p[0], 1e-12);
    assertEquals(0.5, p[1], 1e-12);
    assertEquals(0.0, p[2], 1e-12);
  }
}
