package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.IndexOperands;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.text.TinyBertFolder;
import org.medvision.testkit.ReferenceInterpreter;

/** {@link BertEncoder}'s graph contract and the properties its masks promise, on the reference interpreter. */
class BertEncoderTest {
  private static final BertConfig CONFIG = TinyBertFolder.config();
  private static final Weights WEIGHTS = TinyBertFolder.weights(CONFIG, 3);
  private static final int T = 6;

  /** Two rows: 4 real tokens then 2 pads, and 6 real tokens; pool masks skip [CLS] and [SEP]. */
  private static Map<String, Tensor> inputs(long padId) {
    Map<String, Tensor> in = new HashMap<>();
    in.put(BertInputs.INPUT_IDS, Tensor.ofLongs(Shape.of(2, T), 2, 40, 41, 3, padId, padId, 2, 50, 51, 52, 53, 3));
    in.put(BertInputs.TOKEN_TYPE_IDS, Tensor.ofLongs(Shape.of(2, T), 0, 0, 0, 0, padId % 2, 0, 0, 0, 0, 1, 1, 1));
    in.put(BertInputs.ATTENTION_MASK, Tensor.of(Shape.of(2, T), 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1));
    in.put(BertInputs.POOL_MASK, Tensor.of(Shape.of(2, T), 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0));
    return in;
  }

  @Test
  void prototypeGraphDeclaresHuggingFaceInputsAndOutputs() {
    Graph g = new BertEncoder(CONFIG).prototypeGraph(T, true);
    assertEquals(List.of(new ValueInfo("input_ids", DType.INT64, Shape.of(-1, T)),
        new ValueInfo("token_type_ids", DType.INT64, Shape.of(-1, T)),
        new ValueInfo("attention_mask", DType.FLOAT32, Shape.of(-1, T)),
        new ValueInfo("pool_mask", DType.FLOAT32, Shape.of(-1, T))), g.inputs());
    assertEquals(List.of(new ValueInfo("last_hidden_state", DType.FLOAT32, Shape.of(-1, T, 32)),
        new ValueInfo("pooler_output", DType.FLOAT32, Shape.of(-1, 32)),
        new ValueInfo("mean_pooled", DType.FLOAT32, Shape.of(-1, 32))), g.outputs());
    assertEquals(List.of(), IndexOperands.misuses(g), "the int64 ids feed only gather indices");
    assertTrue(g.parameter("encoder.layer.1.attention.self.query.weight").isPresent());

    Graph plain = new BertEncoder(CONFIG).graph(T, false);
    assertEquals(List.of("last_hidden_state"), plain.outputs().stream().map(ValueInfo::name).toList());
    assertFalse(plain.parameters().stream().anyMatch(p -> p.name().startsWith("pooler.")));
  }

  @Test
  void sequencesLongerThanThePositionTableAreRefused() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> new BertEncoder(CONFIG).graph(CONFIG.maxPositions() + 1, true));
    assertTrue(e.getMessage().contains("sequence length 65 exceeds max_position_embeddings 64"), e.getMessage());
    assertEquals(Shape.of(-1, 64, 32), new BertEncoder(CONFIG).graph(64, false).outputs().get(0).shape());
  }

  @Test
  void paddedPositionsDoNotReachRealTokens() {
    Graph g = new BertEncoder(CONFIG).prototypeGraph(T, true);
    Map<String, Tensor> a = ReferenceInterpreter.run(g, WEIGHTS.fitTo(g), inputs(0));
    Map<String, Tensor> b = ReferenceInterpreter.run(g, WEIGHTS.fitTo(g), inputs(77));
    float[] ha = a.get("last_hidden_state").toFloatArray();
    float[] hb = b.get("last_hidden_state").toFloatArray();
    int h = CONFIG.hiddenSize();
    // Row 0's four real tokens and all of row 1 are identical whatever sits in the padding; the padded rows differ.
    assertArrayEquals(Arrays.copyOfRange(ha, 0, 4 * h), Arrays.copyOfRange(hb, 0, 4 * h));
    assertArrayEquals(Arrays.copyOfRange(ha, T * h, 2 * T * h), Arrays.copyOfRange(hb, T * h, 2 * T * h));
    assertFalse(Arrays.equals(Arrays.copyOfRange(ha, 4 * h, T * h), Arrays.copyOfRange(hb, 4 * h, T * h)),
        "the pad ids changed, so the padded states must");
    assertArrayEquals(a.get("pooler_output").toFloatArray(), b.get("pooler_output").toFloatArray());
    assertArrayEquals(a.get("mean_pooled").toFloatArray(), b.get("mean_pooled").toFloatArray());
  }

  @Test
  void meanPooledIsTheMaskedMeanAndAnEmptyMaskGivesZero() {
    Graph g = new BertEncoder(CONFIG).prototypeGraph(T, true);
    Map<String, Tensor> in = inputs(0);
    float[] pool = in.get(BertInputs.POOL_MASK).toFloatArray();
    Arrays.fill(pool, T, 2 * T, 0f);
    in.put(BertInputs.POOL_MASK, Tensor.of(Shape.of(2, T), pool));
    Map<String, Tensor> out = ReferenceInterpreter.run(g, WEIGHTS.fitTo(g), in);
    float[] hidden = out.get("last_hidden_state").toFloatArray();
    float[] mean = out.get("mean_pooled").toFloatArray();
    int h = CONFIG.hiddenSize();
    for (int c = 0; c < h; c++) {
      double expected = (hidden[h + c] + hidden[2 * h + c]) / 2.0;
      assertEquals(expected, mean[c], 1e-6, "row 0 averages its two word pieces, channel " + c);
      assertEquals(0f, mean[h + c], "row 1 has no pooled token: 0, not NaN");
    }
  }
}
