package org.medvision.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
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
import org.medvision.io.classify.Classification;
import org.medvision.io.classify.RecordingEngine;

/**
 * Slices through an engine whose model answers logits {@code [0, 10 * x(0, 0)]}, where {@code x(0, 0)} is the first
 * pixel of the (identity-preprocessed) slice, so every probability and the occlusion map follow by hand.
 */
class SliceClassifierTest {
  private static final int SIZE = 8;
  private static final List<String> LABELS = List.of("absent", "present");

  /** An engine whose logits are {@code [0, 10 * x(0, 0)]} per image of input "image". */
  private static RecordingEngine firstPixelEngine() {
    return new RecordingEngine(inputs -> {
      Tensor x = inputs.get("image");
      int n = (int) x.shape().dim(0);
      int plane = (int) (x.shape().dim(1) * x.shape().dim(2) * x.shape().dim(3));
      float[] v = x.toFloatArray();
      float[] logits = new float[2 * n];
      for (int i = 0; i < n; i++) {
        logits[2 * i + 1] = 10 * v[i * plane];
      }
      return Map.of("logits", Tensor.ofFloats(logits, n, 2));
    });
  }

  /** The batch shapes the engine was fed, in order. */
  private static List<Shape> shapes(RecordingEngine engine) {
    return engine.feeds().stream().map(feed -> feed.get("image").shape()).toList();
  }

  private static Task task(String... sources) {
    GraphBuilder b = new GraphBuilder("first-pixel");
    ImagePreprocessing identity = new ImagePreprocessing(1, SIZE, SIZE, new float[] {0}, new float[] {1});
    List<InputSpec> inputs = new ArrayList<>();
    Value sum = null;
    for (int i = 0; i < sources.length; i++) {
      Value x = b.input("image" + (i == 0 ? "" : i), DType.FLOAT32, Shape.of(-1, 1, SIZE, SIZE));
      inputs.add(new InputSpec("image" + (i == 0 ? "" : i), sources[i], identity));
      sum = sum == null ? x : b.apply(Op.ADD, sum, x);
    }
    b.output("logits", b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, sum)));
    List<OutputSpec> outputs = List.of(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, LABELS));
    return Task.of("first-pixel", new TaskConfig("test", "2class", "none", SIZE, Map.of()), b.build(), inputs,
        outputs);
  }

  /** A slice that is 0 everywhere but {@code corner} at pixel (0, 0). */
  private static WindowedSlice slice(float corner) {
    float[] values = new float[SIZE * SIZE];
    values[0] = corner;
    return new WindowedSlice(values, SIZE, SIZE);
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  @Test
  void slicesAreClassifiedInBatchesWithSoftmaxProbabilities() {
    RecordingEngine engine = firstPixelEngine();
    List<Classification> out;
    List<String> progress = new ArrayList<>();
    try (SliceClassifier classifier = new SliceClassifier(task("image"), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults(), 2)) {
      assertEquals(LABELS, classifier.labels());
      out = classifier.classify(List.of(slice(0), slice(0.5f), slice(-0.25f)),
          (done, total) -> progress.add(done + "/" + total));
    }
    assertTrue(engine.modelClosed());
    assertEquals(List.of(Shape.of(2, 1, SIZE, SIZE), Shape.of(1, 1, SIZE, SIZE)), shapes(engine));
    assertEquals(List.of("0/3", "2/3", "3/3"), progress);
    // Two-class softmax of [0, z] is [1 - sigmoid(z), sigmoid(z)]; a tie goes to the first label.
    float[] corners = {0, 0.5f, -0.25f};
    for (int i = 0; i < 3; i++) {
      double present = sigmoid(10 * corners[i]);
      Classification c = out.get(i);
      assertEquals(present, c.probabilities().get("present"), 1e-6, "slice " + i);
      assertEquals(1 - present, c.probabilities().get("absent"), 1e-6, "slice " + i);
      int top = present > 0.5 ? 1 : 0;
      assertEquals(top, c.topIndex(), "slice " + i);
      assertEquals(LABELS.get(top), c.topLabel());
    }
  }

  @Test
  void occlusionMapCreditsOnlyThePatchesOverTheDecisivePixel() {
    RecordingEngine engine = firstPixelEngine();
    float[] heat;
    try (SliceClassifier classifier = new SliceClassifier(task("image"), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults(), 16)) {
      heat = classifier.occlusionMap(slice(1), 1);
    }
    // 2 x 2 patches with stride 1 on 8 x 8: only the patch at (0, 0) covers pixel (0, 0), lowering "present" by d;
    // every other patch leaves the logit alone. Pixel (0, 0) is covered once, (0, 1) and (1, 0) twice, (1, 1) four
    // times, so their mean credits are d, d/2, d/2, d/4, which the maximum d scales to 1, 0.5, 0.5, 0.25.
    float[] expected = new float[SIZE * SIZE];
    expected[0] = 1;
    expected[1] = 0.5f;
    expected[SIZE] = 0.5f;
    expected[SIZE + 1] = 0.25f;
    assertArrayEquals(expected, heat, 1e-6f);
    // The original and 49 occluded copies, 16 per run.
    assertEquals(50, shapes(engine).stream().mapToLong(s -> s.dim(0)).sum());
  }

  @Test
  void badLabelAndMultiSourceTasksAreRefused() {
    RecordingEngine engine = firstPixelEngine();
    try (SliceClassifier classifier = new SliceClassifier(task("image"), engine, Weights.of(Map.of(), "none"),
        CompileOptions.defaults(), 4)) {
      MedvisionException e = assertThrows(MedvisionException.class, () -> classifier.occlusionMap(slice(1), 2));
      assertTrue(e.getMessage().contains("label index 2"), e.getMessage());
    }
    RecordingEngine twoSources = firstPixelEngine();
    MedvisionException e = assertThrows(MedvisionException.class, () -> new SliceClassifier(task("pre", "post"),
        twoSources, Weights.of(Map.of(), "none"), CompileOptions.defaults(), 4));
    assertTrue(e.getMessage().contains("single-source") && e.getMessage().contains("[pre, post]"), e.getMessage());
    assertTrue(twoSources.modelClosed(), "the compiled model is released when the task is refused");
  }
}
