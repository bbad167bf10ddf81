package org.medvision.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medvision.testkit.OneNodeGraphs.run;
import static org.medvision.testkit.OneNodeGraphs.t;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/** The loss ops and drop-path at inference against values worked out by hand (the arithmetic is in the comments). */
class LossTest {
  private static final float LN2 = (float) Math.log(2);
  private static final float LN3 = (float) Math.log(3);

  /** Cross-entropy of logits [N, C] against int64 targets, through a graph with an int64 input. */
  private static float crossEntropy(Attributes attributes, float[] logits, int classes, long... targets) {
    GraphBuilder b = new GraphBuilder("ce");
    int n = targets.length;
    Value x = b.input("logits", DType.FLOAT32, Shape.of(n, classes));
    Value y = b.input("target", DType.INT64, Shape.of(n));
    b.output("loss", b.apply(Op.CROSS_ENTROPY, attributes, x, y));
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("logits", t(logits, n, classes));
    in.put("target", Tensor.ofLongs(Shape.of(n), targets));
    Tensor loss = ReferenceInterpreter.run(b.build(), Weights.of(Map.of(), "none"), in).get("loss");
    assertEquals(Shape.scalar(), loss.shape());
    return loss.toFloatArray()[0];
  }

  // Sample 0: logits (0, ln 2, ln 3) give softmax (1/6, 2/6, 3/6), so −log p = (ln 6, ln 3, ln 2); target 2.
  // Sample 1: logits (0, 0, 0) give 1/3 each, −log p = ln 3; target 0.
  private static final float[] LOGITS = {0, LN2, LN3, 0, 0, 0};

  @Test
  void crossEntropyIsTheMeanNegativeLogLikelihood() {
    // (ln 2 + ln 3) / 2 = ln 6 / 2 = 0.89587973
    assertEquals(0.89587973, crossEntropy(Attributes.empty(), LOGITS, 3, 2, 0), 1e-6);
  }

  @Test
  void crossEntropyWithLabelSmoothingAndClassWeightsUsesPyTorchsWeightedMean() {
    // ε = 0.3, w = (1, 2, 4).
    // sample 0: 0.7·w2·ln 2 + (0.3/3)·(1·ln 6 + 2·ln 3 + 4·ln 2) = 1.94081210 + 0.67615728 = 2.61696938
    // sample 1: 0.7·w0·ln 3 + 0.1·(1 + 2 + 4)·ln 3 = 1.4·ln 3 = 1.53805720
    // divided by w[y0] + w[y1] = 4 + 1 = 5: 4.15502658 / 5 = 0.83100532
    Attributes a = Attributes.builder().set("label_smoothing", 0.3f).set("class_weights", new float[] {1, 2, 4})
        .build();
    assertEquals(0.83100532, crossEntropy(a, LOGITS, 3, 2, 0), 1e-6);
  }

  @Test
  void crossEntropyIsStableForLargeLogits() {
    // Logits (1000, 0): log-softmax is (0, −1000) up to e^−1000; target 1 costs 1000.
    assertEquals(1000f, crossEntropy(Attributes.empty(), new float[] {1000, 0}, 2, 1), 1e-3);
  }

  @Test
  void crossEntropyRejectsAClassIndexOutOfRange() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> crossEntropy(Attributes.empty(), LOGITS, 3, 2, 3));
    assertTrue(e.getMessage().contains("target of sample 1 is 3, not a class index in [0, 3)"), e.getMessage());
  }

  @Test
  void int64InputsAreRefusedWhereverTheyFeedAnythingButACrossEntropyTarget() {
    GraphBuilder b = new GraphBuilder("ints");
    Value x = b.input("logits", DType.FLOAT32, Shape.of(1, 2));
    Value y = b.input("target", DType.INT64, Shape.of(1));
    b.output("loss", b.apply(Op.CROSS_ENTROPY, x, y));
    // Returned as it is: no node reads it, so only the index-operand rule can refuse it.
    b.output("target", y);
    Map<String, Tensor> in = Map.of("logits", t(new float[] {0, 0}, 1, 2), "target",
        Tensor.ofLongs(Shape.of(1), 0));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> ReferenceInterpreter.run(b.build(), Weights.of(Map.of(), "none"), in));
    assertTrue(e.getMessage().contains("int64 input 'target' is a graph output"), e.getMessage());
  }

  @Test
  void bceWithLogitsInTheStableForm() {
    // x = 0, t = 1: ln 2 = 0.69314718
    // x = 2, t = 0: 2 + ln(1 + e^−2) = 2.12692801   (= −ln(1 − σ(2)))
    // x = −3, t = 0.5: −1.5 + ln(1 + e^−3) + 3 = 1.54858735
    // mean: 4.36866254 / 3 = 1.45622085
    Tensor loss = run(Op.BCE_WITH_LOGITS, t(new float[] {0, 2, -3}, 1, 3), t(new float[] {1, 0, 0.5f}, 1, 3));
    assertEquals(1.45622085, loss.toFloatArray()[0], 1e-6);
  }

  @Test
  void bceWithLogitsWeighsPositivesByPosWeightPerClass() {
    // pos_weight (2, 1, 3):
    // x = 0, t = 1: −2·ln σ(0) = 2 ln 2 = 1.38629436
    // x = 2, t = 0: unchanged, 2.12692801
    // x = −3, t = 0.5: 1.5·ln(1 + e^3) + 0.5·ln(1 + e^−3) = 4.57288 + 0.02429 = 4.59717470
    // mean: 8.11039707 / 3 = 2.70346569
    Attributes a = Attributes.builder().set("pos_weight", new float[] {2, 1, 3}).build();
    Tensor loss = run(Op.BCE_WITH_LOGITS, a, t(new float[] {0, 2, -3}, 1, 3), t(new float[] {1, 0, 0.5f}, 1, 3));
    assertEquals(2.70346569, loss.toFloatArray()[0], 1e-6);
  }

  @Test
  void bceWithLogitsDoesNotOverflow() {
    // x = 100, t = 0 costs 100; x = −100, t = 1 costs 100 (each plus ln(1 + e^−100) ≈ 0).
    Tensor loss = run(Op.BCE_WITH_LOGITS, t(new float[] {100, -100}, 1, 2), t(new float[] {0, 1}, 1, 2));
    assertEquals(100f, loss.toFloatArray()[0], 1e-4);
  }

  @Test
  void l1AndMseAreMeansOverAllElements() {
    Tensor a = t(new float[] {1, -2, 3, 0.5f}, 2, 2);
    Tensor b = t(new float[] {0, 1, 3, -0.5f}, 2, 2);
    // |d| = (1, 3, 0, 1): 5 / 4; d² = (1, 9, 0, 1): 11 / 4
    assertArrayEquals(new float[] {1.25f}, run(Op.L1_LOSS, a, b).toFloatArray());
    assertArrayEquals(new float[] {2.75f}, run(Op.MSE_LOSS, a, b).toFloatArray());
  }

  @Test
  void softDiceAveragesOverSamplesAndChannels() {
    // [1, 2, 1, 2], smooth 1e-5 (the default).
    // map 0: p = (0.5, 0.5), t = (1, 1): Σpt = 1, Σp = 1, Σt = 2: 1 − (2 + s)/(3 + s) = 1/(3 + s) = 0.33333222
    // map 1: x = (ln 3, −ln 3) gives p = (0.75, 0.25), t = (1, 0): Σpt = 0.75, Σp = 1, Σt = 1:
    //        1 − (1.5 + s)/(2 + s) = 0.5/(2 + s) = 0.24999875
    // mean: 0.29166549
    Tensor x = t(new float[] {0, 0, LN3, -LN3}, 1, 2, 1, 2);
    Tensor target = t(new float[] {1, 1, 1, 0}, 1, 2, 1, 2);
    assertEquals(0.29166549, run(Op.SOFT_DICE, x, target).toFloatArray()[0], 1e-6);
  }

  @Test
  void softDiceWithSmoothOne() {
    // p = 0.5 everywhere, t = (1, 0, 1, 0): 1 − (2·1 + 1)/(2 + 2 + 1) = 0.4
    Attributes a = Attributes.builder().set("smooth", 1f).build();
    Tensor loss = run(Op.SOFT_DICE, a, t(new float[] {0, 0, 0, 0}, 1, 1, 2, 2), t(new float[] {1, 0, 1, 0}, 1, 1, 2,
        2));
    assertEquals(0.4, loss.toFloatArray()[0], 1e-7);
  }

  @Test
  void lossesRejectOperandsOfDifferentShapes() {
    GraphBuilder b = new GraphBuilder("mismatch");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 3));
    Value y = b.input("y", DType.FLOAT32, Shape.of(-1, 3));
    b.output("loss", b.apply(Op.MSE_LOSS, x, y));
    MedvisionException e = assertThrows(MedvisionException.class, () -> ReferenceInterpreter.run(b.build(),
        Weights.of(Map.of(), "none"), Map.of("x", t(new float[6], 2, 3), "y", t(new float[3], 1, 3))));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[1, 3]"), e.getMessage());
  }

  @Test
  void dropPathIsTheIdentityAtInference() {
    float[] v = {1, -2, 3, 4, 5, -6};
    Tensor y = run(Op.DROP_PATH, Attributes.builder().set("ratio", 0.5f).build(), t(v, 2, 3));
    assertArrayEquals(v, y.toFloatArray());
  }
}
