package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.cxrprototype.DualWeightedMetricLoss;
import org.medvision.testkit.training.FiniteDifferences;

/**
 * The dual-weighted metric loss differentiated by each training engine: with respect to the similarities, against
 * central finite differences of the reference interpreter (the image weights depend on the logits only, so they stay
 * put while a similarity moves); with respect to the logits, exactly zero, because the image weights see them
 * through a stop-gradient.
 */
class DualWeightedMetricLossGradientTest {
  private static final int N = 5;
  private static final int K = 4;
  private static final float[] BETA = {0.6f, 1.4f, 0.8f, 1.2f};
  private static final float MARGIN = 0.2f;
  /** Float32 engines against a float64 central difference with step 1e-3: the suite's usual bar. */
  private static final double TOLERANCE = 2e-3;

  @ParameterizedTest
  @ValueSource(strings = {"djl", "tensorflow"})
  void similarityGradientsMatchFiniteDifferences(String engineName) {
    Graph graph = lossGraph(false);
    Weights weights = Weights.of(Map.of("s", uniform(1, -1f, 1f)), "test");
    Map<String, Tensor> batch = batch(true);
    Tensor gradient = gradients(engineName, graph, weights, batch).get("s");
    FiniteDifferences fd = new FiniteDifferences(graph, weights, batch);
    float[] g = gradient.toFloatArray();
    double largest = 0;
    for (int i = 0; i < g.length; i++) {
      double expected = fd.derivative("s", i, 1e-3);
      largest = Math.max(largest, Math.abs(expected));
      assertEquals(expected, g[i], TOLERANCE * Math.max(1, Math.abs(expected)), engineName + ": d loss / d s[" + i
          + "]");
    }
    assertTrue(largest > 0.05, "the case has gradients large enough to tell right from wrong");
  }

  @ParameterizedTest
  @ValueSource(strings = {"djl", "tensorflow"})
  void noGradientReachesTheLogitsThroughTheImageWeights(String engineName) {
    Graph graph = lossGraph(true);
    Weights weights = Weights.of(Map.of("s", uniform(1, -1f, 1f), "z", uniform(2, -3f, 3f)), "test");
    Map<String, Tensor> out = gradients(engineName, graph, weights, batch(false));
    for (float v : out.get("z").toFloatArray()) {
      assertEquals(0f, v, 0f, engineName + ": d loss / d z");
    }
    assertTrue(Math.abs(out.get("s").toFloatArray()[0]) > 0, "the similarities still get a gradient");
  }

  /** Similarities s are a parameter; logits z a parameter too when {@code logitsTrained}, else an input. */
  private static Graph lossGraph(boolean logitsTrained) {
    GraphBuilder m = new GraphBuilder("metric-loss-model");
    Value s = m.parameter("s", Shape.of(N, K), ParamRole.WEIGHT, (out, shape, random) -> { });
    Value z = logitsTrained ? m.parameter("z", Shape.of(N, K), ParamRole.WEIGHT, (out, shape, random) -> { })
        : m.input("z", DType.FLOAT32, Shape.of(N, K));
    m.output("similarity", m.apply(Op.IDENTITY, s));
    m.output("logits", m.apply(Op.IDENTITY, z));
    TrainingGraph.Builder t = TrainingGraph.builder(m.build());
    GraphBuilder g = t.graph();
    Value truth = t.target("labels", DType.FLOAT32, Shape.of(N, K));
    t.loss("metric", DualWeightedMetricLoss.apply(g, g.value("similarity"), g.value("logits"), truth, BETA,
        MARGIN));
    return t.build();
  }

  private static Map<String, Tensor> batch(boolean withLogits) {
    Map<String, Tensor> batch = new LinkedHashMap<>();
    if (withLogits) {
      batch.put("z", uniform(2, -3f, 3f));
    }
    float[] truth = new float[N * K];
    SplittableRandom r = new SplittableRandom(3);
    for (int i = 0; i < truth.length; i++) {
      truth[i] = r.nextDouble() < 0.4 ? 1 : 0;
    }
    batch.put("labels", Tensor.of(Shape.of(N, K), truth));
    batch.put(TrainingGraph.LOSS_WEIGHT_PREFIX + "metric", Tensor.of(Shape.scalar(), 1f));
    return batch;
  }

  private static Map<String, Tensor> gradients(String engineName, Graph graph, Weights weights,
      Map<String, Tensor> batch) {
    try (Engine engine = TestImages.MEDVISION.engine(engineName);
        TrainingSession s = engine.train(graph, weights, OptimizerSpec.adamW(0), TrainingOptions.cpu(1))) {
      s.forwardBackward(batch);
      return s.gradients();
    }
  }

  private static Tensor uniform(long seed, float low, float high) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[N * K];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextDouble(low, high);
    }
    return Tensor.of(Shape.of(N, K), v);
  }
}
