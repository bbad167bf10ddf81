package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medvision.testkit.engine.EngineTestModels.SUPPLIED_WEIGHTS;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.engine.EngineTestModels;

/**
 * Mixed-precision training on the CPU against float32 on the same weights and data: a small conv + linear +
 * layer-norm classifier, in bfloat16 and float16.
 *
 * <p>Tolerance of the first-step comparison. Let u be the dtype's unit roundoff (half its machine epsilon):
 * 2<sup>−9</sup> for bfloat16 (8 significand bits), 2<sup>−12</sup> for float16 (11 bits). A low-precision product
 * rounds both operands (relative error u each) and its result (u) and accumulates in float32, so each product
 * carries a relative error of about 3u; the model has three products (conv, two gemms) in the forward pass, and the
 * backward pass rounds the incoming gradient and recomputes each product's two gradients in low precision, about
 * 3u more per product. Summed over the 3 × 2 passes this is 18u; we allow 32u, relative to each tensor's L2 norm
 * (norm-wise, so that cancellation in single elements does not matter). The error must also be at least u/64, far
 * above float32's own rounding (2<sup>−24</sup>), which shows that the products did run in low precision.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlMixedPrecisionTest {
  private static final int BATCH = 16;
  private static final int CLASSES = 3;

  private DjlEngine engine;

  @BeforeAll
  void start() {
    engine = (DjlEngine) new DjlEngineProvider().create();
  }

  @AfterAll
  void stop() {
    engine.close();
  }

  /**
   * x[N,3,8,8] → Conv 3×3 (6 out, pads 1) → Relu → GlobalAveragePool → Flatten → Gemm (8) → LayerNorm → Relu →
   * Gemm (3) = "logits".
   */
  static Graph model() {
    GraphBuilder b = new GraphBuilder("amp-model");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 3, 8, 8));
    Value h = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x,
        b.parameter("conv.weight", Shape.of(6, 3, 3, 3), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("conv.bias", Shape.of(6), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    h = b.apply(Op.RELU, h);
    h = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, h));
    h = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), h,
        b.parameter("fc1.weight", Shape.of(8, 6), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("fc1.bias", Shape.of(8), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    h = b.apply(Op.LAYER_NORM, Attributes.builder().set("axis", -1L).build(), h,
        b.parameter("norm.weight", Shape.of(8), ParamRole.NORM_SCALE, SUPPLIED_WEIGHTS),
        b.parameter("norm.bias", Shape.of(8), ParamRole.NORM_BIAS, SUPPLIED_WEIGHTS));
    h = b.apply(Op.RELU, h);
    h = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), h,
        b.parameter("fc2.weight", Shape.of(CLASSES, 8), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("fc2.bias", Shape.of(CLASSES), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    b.output("logits", h);
    return b.build();
  }

  /** A learnable batch: x uniform(−1, 1) plus 0.5 on one channel, whose index is the label. */
  private static Map<String, Tensor> batch(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = EngineTestModels.uniform(Shape.of(BATCH, 3, 8, 8), r).toFloatArray();
    long[] labels = new long[BATCH];
    for (int n = 0; n < BATCH; n++) {
      labels[n] = r.nextInt(CLASSES);
      for (int i = 0; i < 64; i++) {
        x[(n * 3 + (int) labels[n]) * 64 + i] += 0.5f;
      }
    }
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    feeds.put("x", Tensor.of(Shape.of(BATCH, 3, 8, 8), x));
    feeds.put(TrainingGraph.LABELS, Tensor.ofLongs(Shape.of(BATCH), labels));
    return feeds;
  }

  private static Graph trainingGraph() {
    return TrainingGraph.classification(model(), "logits", 0f, null);
  }

  /** Weights with fan-in-scaled uniform values, LayerNorm scale 1 and bias 0. */
  private static Weights weights(Graph g) {
    Map<String, Tensor> m = new LinkedHashMap<>(EngineTestModels.randomWeights(g, 21).tensors());
    m.put("conv.weight", scaled(m.get("conv.weight"), 1 / Math.sqrt(27)));
    m.put("fc1.weight", scaled(m.get("fc1.weight"), 1 / Math.sqrt(6)));
    m.put("fc2.weight", scaled(m.get("fc2.weight"), 1 / Math.sqrt(8)));
    m.put("norm.weight", Tensor.of(Shape.of(8), 1, 1, 1, 1, 1, 1, 1, 1));
    m.put("norm.bias", Tensor.of(Shape.of(8), new float[8]));
    return Weights.of(m, "amp test weights");
  }

  private static Tensor scaled(Tensor t, double factor) {
    float[] v = t.toFloatArray();
    for (int i = 0; i < v.length; i++) {
      v[i] *= (float) factor;
    }
    return Tensor.of(t.shape(), v);
  }

  private DjlTrainingSession open(Graph g, Precision precision, OptimizerSpec optimizer, int growthInterval) {
    return engine.open(g, weights(g), optimizer, new TrainingOptions(Device.CPU, 3, 0, precision), growthInterval);
  }

  private static double unitRoundoff(Precision p) {
    return p == Precision.BF16_MIXED ? Math.scalb(1.0, -9) : Math.scalb(1.0, -12);
  }

  @ParameterizedTest
  @EnumSource(value = Precision.class, names = {"BF16_MIXED", "FP16_MIXED"})
  void firstStepLossAndGradientsAgreeWithFloat32WithinTheDtypeBound(Precision precision) {
    Graph g = trainingGraph();
    double u = unitRoundoff(precision);
    Map<String, Tensor> feeds = batch(5);
    try (DjlTrainingSession ref = open(g, Precision.FLOAT32, OptimizerSpec.adamW(0), 2000);
        DjlTrainingSession amp = open(g, precision, OptimizerSpec.adamW(0), 2000)) {
      float lossRef = ref.forwardBackward(feeds);
      float lossAmp = amp.forwardBackward(feeds);
      double lossError = Math.abs(lossAmp - lossRef) / Math.abs(lossRef);
      assertTrue(lossError <= 32 * u, precision + ": loss " + lossAmp + " vs " + lossRef + ", relative " + lossError);
      assertTrue(lossError > 0, precision + ": the loss is bit-identical to float32, so nothing ran in low precision");
      Map<String, Tensor> gRef = ref.gradients();
      Map<String, Tensor> gAmp = amp.gradients();
      double largest = 0;
      for (String name : gRef.keySet()) {
        double error = relativeL2(gAmp.get(name).toFloatArray(), gRef.get(name).toFloatArray());
        assertTrue(error <= 32 * u, precision + ": gradient of " + name + " has norm-wise relative error " + error
            + " > 32u = " + 32 * u);
        largest = Math.max(largest, error);
      }
      assertTrue(largest >= u / 64, precision + ": largest gradient error " + largest + " < u/64: the products did "
          + "not run in low precision");
      assertEquals(LossScaler.INITIAL_SCALE * (precision == Precision.FP16_MIXED ? 1 : 0),
          amp.lossScaler() == null ? 0 : amp.lossScaler().scale());
    }
  }

  private static double relativeL2(float[] a, float[] ref) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - (double) ref[i]) * (a[i] - (double) ref[i]);
      norm += (double) ref[i] * ref[i];
    }
    return Math.sqrt(diff / norm);
  }

  @ParameterizedTest
  @EnumSource(value = Precision.class, names = {"BF16_MIXED", "FP16_MIXED"})
  void trainingLowersTheLossLikeFloat32(Precision precision) {
    Graph g = trainingGraph();
    List<Map<String, Tensor>> batches = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batches.add(batch(100 + i));
    }
    float[] ref = train(g, Precision.FLOAT32, batches);
    float[] amp = train(g, precision, batches);
    // Mean over the last pass through the four batches against the first pass.
    double startRef = mean(ref, 0);
    double endRef = mean(ref, ref.length - 4);
    double endAmp = mean(amp, amp.length - 4);
    assertTrue(endRef < 0.5 * startRef, "float32 itself must learn: " + startRef + " -> " + endRef);
    assertTrue(endAmp < 0.5 * mean(amp, 0), precision + " did not learn: " + mean(amp, 0) + " -> " + endAmp);
    assertTrue(Math.abs(endAmp - endRef) <= 0.1 * startRef, precision + " ends at " + endAmp + ", float32 at "
        + endRef + " (from " + startRef + ")");
  }

  private float[] train(Graph g, Precision precision, List<Map<String, Tensor>> batches) {
    float[] losses = new float[40];
    try (DjlTrainingSession s = open(g, precision, OptimizerSpec.adamW(0.01), 2000)) {
      for (int step = 0; step < losses.length; step++) {
        losses[step] = s.forwardBackward(batches.get(step % batches.size()));
        s.step(0.02);
      }
      assertEquals(losses.length, s.steps() + (s.lossScaler() == null ? 0 : s.lossScaler().skippedSteps()));
    }
    return losses;
  }

  private static double mean(float[] v, int from) {
    double sum = 0;
    for (int i = from; i < from + 4; i++) {
      sum += v[i];
    }
    return sum / 4;
  }

  /** The training graph with its loss multiplied by the scalar input "boost", to force float16 overflow. */
  private static Graph boostedGraph() {
    Graph model = model();
    GraphBuilder b = new GraphBuilder("amp-boosted");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 3, 8, 8));
    Value labels = b.input(TrainingGraph.LABELS, DType.INT64, Shape.of(-1));
    Value boost = b.input("boost", DType.FLOAT32, Shape.scalar());
    Value h = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build(), x,
        b.parameter("conv.weight", Shape.of(6, 3, 3, 3), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("conv.bias", Shape.of(6), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    h = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, b.apply(Op.RELU, h)));
    h = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), h,
        b.parameter("fc1.weight", Shape.of(8, 6), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("fc1.bias", Shape.of(8), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    h = b.apply(Op.LAYER_NORM, Attributes.builder().set("axis", -1L).build(), h,
        b.parameter("norm.weight", Shape.of(8), ParamRole.NORM_SCALE, SUPPLIED_WEIGHTS),
        b.parameter("norm.bias", Shape.of(8), ParamRole.NORM_BIAS, SUPPLIED_WEIGHTS));
    h = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), b.apply(Op.RELU, h),
        b.parameter("fc2.weight", Shape.of(CLASSES, 8), ParamRole.WEIGHT, SUPPLIED_WEIGHTS),
        b.parameter("fc2.bias", Shape.of(CLASSES), ParamRole.BIAS, SUPPLIED_WEIGHTS));
    b.output(TrainingGraph.LOSS, b.apply(Op.MUL, b.apply(Op.CROSS_ENTROPY, h, labels), boost));
    Graph g = b.build();
    assertEquals(model.parameters(), g.parameters());
    return g;
  }

  private static Map<String, Tensor> boosted(float boost) {
    Map<String, Tensor> feeds = new LinkedHashMap<>(batch(7));
    feeds.put("boost", Tensor.of(Shape.scalar(), boost));
    return feeds;
  }

  @Test
  void float16OverflowSkipsTheStepHalvesTheScaleAndGrowthFollowsFiniteSteps() {
    Graph g = boostedGraph();
    try (DjlTrainingSession s = open(g, Precision.FP16_MIXED, OptimizerSpec.adamW(0.01), 3)) {
      Map<String, Tensor> before = s.weights().tensors();
      // Scaled by 2^16, a loss gradient of 1e4/N per logit is about 4e7 in float16, past its largest value 65504.
      float loss = s.forwardBackward(boosted(1e4f));
      assertTrue(Float.isFinite(loss), "the loss itself stays finite: " + loss);
      assertEquals(0.0, s.gradientNorm(), "an overflowed step's gradients are discarded");
      s.step(0.1);
      Map<String, Tensor> after = s.weights().tensors();
      before.forEach((name, t) -> assertTrue(t.contentEquals(after.get(name)), name + " changed in a skipped step"));
      assertEquals(LossScaler.INITIAL_SCALE / 2, s.lossScaler().scale());
      assertEquals(1, s.lossScaler().skippedSteps());
      assertEquals(0, s.steps(), "a skipped step is no optimiser step (AdamW's bias correction counts real ones)");
      assertTrue(s.optimizerState().keySet().stream().noneMatch(k -> k.startsWith("exp_avg")),
          "no moments were created by the skipped step");

      for (int i = 1; i <= 3; i++) {
        s.forwardBackward(boosted(1f));
        assertTrue(s.gradientNorm() > 0);
        s.step(0.1);
        assertEquals(i, s.steps());
        assertEquals(i == 3 ? LossScaler.INITIAL_SCALE : LossScaler.INITIAL_SCALE / 2, s.lossScaler().scale(),
            "scale after " + i + " finite step(s) with growth interval 3");
        assertEquals(i % 3, s.lossScaler().growthTracker());
      }
      Map<String, Tensor> trained = s.weights().tensors();
      assertTrue(before.entrySet().stream().anyMatch(e -> !e.getValue().contentEquals(trained.get(e.getKey()))),
          "finite steps update the weights");
    }
  }

  @Test
  void overflowInOneMicroBatchSkipsTheWholeAccumulatedStep() {
    Graph g = boostedGraph();
    try (DjlTrainingSession s = open(g, Precision.FP16_MIXED, OptimizerSpec.sgd(0, 0, false), 2000)) {
      Map<String, Tensor> before = s.weights().tensors();
      s.forwardBackward(boosted(1f));
      assertTrue(s.gradientNorm() > 0);
      s.forwardBackward(boosted(1e4f));
      s.forwardBackward(boosted(1f));
      assertEquals(0.0, s.gradientNorm(), "later micro-batches of an overflowed step are not added");
      s.step(0.1);
      Map<String, Tensor> after = s.weights().tensors();
      before.forEach((name, t) -> assertTrue(t.contentEquals(after.get(name)), name + " changed"));
      assertEquals(1, s.lossScaler().skippedSteps());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Precision.class, names = {"BF16_MIXED", "FP16_MIXED"})
  void masterWeightsAndSavedWeightsStayFloat32(Precision precision) {
    Graph g = trainingGraph();
    try (DjlTrainingSession s = open(g, precision, OptimizerSpec.adamW(0.01), 2000)) {
      for (int i = 0; i < 3; i++) {
        s.forwardBackward(batch(i));
        s.step(0.01);
      }
      s.parameterArrays().forEach((name, a) -> assertEquals(DataType.FLOAT32, a.getDataType(), name));
      Weights saved = Safetensors.fromBytes(Safetensors.toBytes(s.weights()), "saved");
      saved.tensors().forEach((name, t) -> assertEquals(DType.FLOAT32, t.dtype(), name));
      s.optimizerState().forEach((name, t) -> assertTrue(t.dtype() == DType.FLOAT32 || t.dtype() == DType.INT64,
          name + " is " + t.dtype()));
    }
  }

  @Test
  void optimizerStateRoundTripKeepsTheLossScaler() {
    Graph g = boostedGraph();
    Map<String, Tensor> state;
    try (DjlTrainingSession s = open(g, Precision.FP16_MIXED, OptimizerSpec.adamW(0.01), 5)) {
      s.forwardBackward(boosted(1e4f));
      s.step(0.1);
      s.forwardBackward(boosted(1f));
      s.step(0.1);
      state = s.optimizerState();
      assertEquals(LossScaler.INITIAL_SCALE / 2, state.get(OptimizerStateCodec.LOSS_SCALE).toFloatArray()[0]);
      assertEquals(1, state.get(OptimizerStateCodec.SKIPPED_STEPS).toLongArray()[0]);
      assertEquals(1, state.get(OptimizerStateCodec.GROWTH_TRACKER).toLongArray()[0]);
    }
    try (DjlTrainingSession resumed = open(g, Precision.FP16_MIXED, OptimizerSpec.adamW(0.01), 5)) {
      resumed.loadOptimizerState(state);
      assertEquals(LossScaler.INITIAL_SCALE / 2, resumed.lossScaler().scale());
      assertEquals(1, resumed.lossScaler().skippedSteps());
      assertEquals(1, resumed.lossScaler().growthTracker());
      assertEquals(1, resumed.steps());
      resumed.forwardBackward(boosted(1e4f));
      resumed.step(0.1);
      assertEquals(LossScaler.INITIAL_SCALE / 4, resumed.lossScaler().scale(), "the resumed scale keeps backing off");
      assertEquals(2, resumed.lossScaler().skippedSteps());
    }
    try (DjlTrainingSession other = open(g, Precision.BF16_MIXED, OptimizerSpec.adamW(0.01), 5)) {
      other.loadOptimizerState(state);
      assertNull(other.lossScaler(), "bfloat16 has no scaler and ignores the saved one");
      assertTrue(other.optimizerState().keySet().stream().noneMatch(k -> k.startsWith("amp.")));
    }
    Map<String, Tensor> partial = new LinkedHashMap<>(state);
    partial.remove(OptimizerStateCodec.GROWTH_TRACKER);
    try (DjlTrainingSession s = open(g, Precision.FP16_MIXED, OptimizerSpec.adamW(0.01), 5)) {
      MedvisionException e = assertThrows(MedvisionException.class, () -> s.loadOptimizerState(partial));
      assertTrue(e.getMessage().contains(OptimizerStateCodec.GROWTH_TRACKER), e.getMessage());
    }
  }

  @Test
  void lossScalerBacksOffGrowsAndValidatesRestoredState() {
    LossScaler s = new LossScaler(4);
    assertEquals(65536f, s.scale());
    s.update(true);
    s.update(true);
    assertEquals(16384f, s.scale());
    for (int i = 0; i < 3; i++) {
      s.update(false);
    }
    assertEquals(16384f, s.scale());
    s.update(false);
    assertEquals(32768f, s.scale());
    assertEquals(0, s.growthTracker());
    s.update(false);
    s.update(true);
    assertEquals(0, s.growthTracker(), "a backoff restarts the count towards growth");
    assertEquals(3, s.skippedSteps());
    assertThrows(MedvisionException.class, () -> s.restore(0f, 0, 0));
    assertThrows(MedvisionException.class, () -> s.restore(Float.POSITIVE_INFINITY, 0, 0));
    assertThrows(MedvisionException.class, () -> new LossScaler(0));
    s.restore(8f, 100, 2);
    assertEquals(3, s.growthTracker(), "a tracker from a longer interval is capped below this one");
  }

  @ParameterizedTest
  @EnumSource(value = Precision.class, names = {"BF16_MIXED", "FP16_MIXED"})
  void productsRunInTheLowPrecisionDtypeAndComeBackAsFloat32(Precision precision) {
    MixedPrecision amp = MixedPrecision.of(precision, ai.djl.Device.cpu());
    try (NDManager m = ai.djl.engine.Engine.getEngine(DjlRuntime.PYTORCH).newBaseManager()) {
      NDArray a = m.create(new float[] {1 + 1f / 1024, 1}, new ai.djl.ndarray.types.Shape(1, 2));
      NDArray b = m.create(new float[] {1, 0}, new ai.djl.ndarray.types.Shape(2, 1));
      NDArray y = amp.compute(m, "test product", () -> a.matMul(b));
      assertEquals(DataType.FLOAT32, y.getDataType());
      // 1 + 2^-10 is exact in float16 (10 fraction bits) and rounds to 1 in bfloat16 (7 fraction bits).
      float expected = precision == Precision.FP16_MIXED ? 1 + 1f / 1024 : 1f;
      assertEquals(expected, y.getFloat(0, 0));
      amp.endForward();
      EngineException e = assertThrows(EngineException.class, () -> amp.compute(m, "node 'c' (conv)", () -> {
        throw new IllegalStateException("\"slow_conv2d_cpu\" not implemented for 'Half'");
      }));
      assertTrue(e.getMessage().contains("node 'c' (conv)") && e.getMessage().contains(amp.dtypeName())
          && e.getMessage().contains("cpu") && e.getMessage().contains("not implemented"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(value = Precision.class, names = {"BF16_MIXED", "FP16_MIXED"})
  void theKernelProbeAcceptsEveryKindThisCpuSupports(Precision precision) {
    GraphBuilder b = new GraphBuilder("kinds");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 4, 9, 9));
    Value dw = b.apply(Op.CONV, Attributes.builder().set("group", 4L).set("pads", 3L, 3L, 3L, 3L).build(), x,
        b.parameter("dw", Shape.of(4, 1, 7, 7), ParamRole.WEIGHT, SUPPLIED_WEIGHTS));
    Value grouped = b.apply(Op.CONV, Attributes.builder().set("group", 2L).set("strides", 2L, 2L)
        .set("dilations", 2L, 2L).build(), dw,
        b.parameter("gw", Shape.of(4, 2, 3, 3), ParamRole.WEIGHT, SUPPLIED_WEIGHTS));
    Value flat = b.apply(Op.FLATTEN, grouped);
    Value mm = b.apply(Op.MATMUL, flat, b.parameter("m", Shape.of(36, 3), ParamRole.WEIGHT, SUPPLIED_WEIGHTS));
    b.output("y", mm);
    Graph g = b.build();
    MixedPrecision amp = MixedPrecision.of(precision, ai.djl.Device.cpu());
    try (NDManager m = ai.djl.engine.Engine.getEngine(DjlRuntime.PYTORCH).newBaseManager()) {
      KernelProbe.check(g, amp, m);
    }
  }
}
