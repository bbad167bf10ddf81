package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;

/**
 * The whole label-prototype model (ConvNeXt-atto at 64x64, both projections, cosine logits) gives the same logits and
 * similarities on ONNX Runtime, DJL and TensorFlow, within the 1e-4.
 */
class CxrPrototypeCrossEngineParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final List<String> OUTPUTS = List.of("logits", "similarity");

  @Test
  void logitsAndSimilaritiesAgreeOnEveryEngine() {
    Task task = TestImages.MEDVISION.task("cxr-prototype", TestImages.MEDVISION.tasks().get("cxr-prototype")
        .configure("atto", Map.of("image_size", "64", "text_dim", "32", "embed_dim", "64")));
    Weights weights = RandomWeights.initialize(task.graph(), 29);
    SplittableRandom r = new SplittableRandom(4);
    float[] pixels = new float[3 * 3 * 64 * 64];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (float) r.nextGaussian();
    }
    Map<String, Tensor> feeds = Map.of("image", Tensor.of(Shape.of(3, 3, 64, 64), pixels));
    Map<String, Map<String, float[]>> byEngine = new LinkedHashMap<>();
    for (String engine : List.of("onnx", "djl", "tensorflow")) {
      byEngine.put(engine, run(engine, task, weights, feeds));
    }
    Map<String, float[]> reference = byEngine.get("onnx");
    assertTrue(spread(reference.get("logits")) > 0.1, "logits vary, so agreement is not trivial");
    for (Map.Entry<String, Map<String, float[]>> e : byEngine.entrySet()) {
      for (String output : OUTPUTS) {
        double diff = maxAbsDiff(reference.get(output), e.getValue().get(output));
        System.out.printf("cxr-prototype cross-engine: %s vs onnx, %s max |diff| %.2e%n", e.getKey(), output, diff);
        assertTrue(diff <= TOLERANCE, e.getKey() + " vs onnx, " + output + ": max |diff| = " + diff);
      }
    }
  }

  private static Map<String, float[]> run(String engineName, Task task, Weights weights, Map<String, Tensor> feeds) {
    try (Engine engine = TestImages.MEDVISION.engine(engineName);
        CompiledModel model = engine.compile(task.graph(), weights, CompileOptions.defaults())) {
      Map<String, Tensor> out = model.run(feeds);
      Map<String, float[]> values = new LinkedHashMap<>();
      OUTPUTS.forEach(name -> values.put(name, out.get(name).toFloatArray()));
      return values;
    }
  }

  private static double spread(float[] v) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return max - min;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
