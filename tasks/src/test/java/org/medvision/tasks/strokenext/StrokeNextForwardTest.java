package org.medvision.tasks.strokenext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Graph;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.TestNumerics;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * Checks the wiring of whole models through two formulations that must agree: the sum fusion with encoder2 holding
 * encoder1's weights fuses 2·f, so it must give the same logits as the single-encoder model whose first classifier
 * layer has its weight doubled.
 */
class StrokeNextForwardTest {
  private static final StrokeNextTaskProvider PROVIDER = new StrokeNextTaskProvider();

  @Test
  void sumOfTwinEncodersEqualsSingleEncoderWithDoubledClassifierWeight() {
    Graph sum = PROVIDER.create(PROVIDER.configure("atto", Map.of("fusion", "sum", "image_size", "32"))).graph();
    Graph single = PROVIDER.create(PROVIDER.configure("atto", Map.of("fusion", "single", "image_size", "32"))).graph();
    Weights random = RandomWeights.initialize(single, 41);
    Map<String, Tensor> singleWeights = new LinkedHashMap<>(random.tensors());
    Map<String, Tensor> sumWeights = new LinkedHashMap<>(random.tensors());
    random.tensors().forEach((name, t) -> {
      if (name.startsWith("encoder1.")) {
        sumWeights.put("encoder2." + name.substring("encoder1.".length()), t);
      }
    });
    // Layer scale starts at 1e-6, which would hide the blocks; give it unit size so every block matters.
    for (Map<String, Tensor> w : List.of(singleWeights, sumWeights)) {
      w.replaceAll((name, t) -> name.endsWith(".gamma") ? Tensor.of(t.shape(), ones(t.size())) : t);
    }
    float[] w0 = singleWeights.get("classifier.0.weight").toFloatArray();
    for (int i = 0; i < w0.length; i++) {
      w0[i] *= 2;
    }
    singleWeights.put("classifier.0.weight", Tensor.of(Shape.of(256, 320), w0));
    Tensor image = TestNumerics.uniform(new SplittableRandom(42), Shape.of(2, 3, 32, 32), 2);
    float[] viaSum = ReferenceInterpreter.run(sum, Weights.of(sumWeights, "twins"),
        Map.of("image1", image, "image2", image)).get("logits").toFloatArray();
    float[] viaSingle = ReferenceInterpreter.run(single, Weights.of(singleWeights, "doubled"),
        Map.of("image1", image)).get("logits").toFloatArray();
    assertEquals(6, viaSum.length);
    double[] expected = new double[viaSingle.length];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = viaSingle[i];
      assertTrue(Float.isFinite(viaSum[i]), "logit " + i);
    }
    TestNumerics.assertClose(expected, viaSum, 1e-4, "sum-of-twins logits");
  }

  private static float[] ones(long n) {
    float[] v = new float[(int) n];
    Arrays.fill(v, 1f);
    return v;
  }
}
