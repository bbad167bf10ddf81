package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.KeyMap;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.text.TinyBertFolder;

class BertKeyMapsTest {
  private static final BertConfig CONFIG = TinyBertFolder.config();
  private static final Weights MODEL = TinyBertFolder.weights(CONFIG, 9);

  @Test
  void prefixesLayerNormNamesHeadsAndBuffersAreHandled() {
    KeyMap map = BertKeyMaps.huggingFace();
    assertEquals(Optional.of("encoder.layer.0.attention.output.LayerNorm.weight"),
        map.targetName("bert.encoder.layer.0.attention.output.LayerNorm.gamma"));
    assertEquals(Optional.of("embeddings.LayerNorm.bias"), map.targetName("bert.embeddings.LayerNorm.beta"));
    assertEquals(Optional.of("embeddings.LayerNorm.bias"), map.targetName("embeddings.LayerNorm.bias"));
    assertEquals(Optional.of("pooler.dense.weight"), map.targetName("bert.pooler.dense.weight"));
    assertEquals(Optional.of("encoder.layer.11.output.dense.bias"),
        map.targetName("encoder.layer.11.output.dense.bias"));
    assertEquals(Optional.empty(), map.targetName("cls.predictions.transform.LayerNorm.gamma"));
    assertEquals(Optional.empty(), map.targetName("classifier.weight"));
    assertEquals(Optional.empty(), map.targetName("bert.embeddings.position_ids"));
    assertEquals(Optional.empty(), map.targetName("embeddings.position_ids"));
  }

  @Test
  void aPrefixedCheckpointFitsTheGraph() {
    Map<String, Tensor> prefixed = new LinkedHashMap<>();
    MODEL.tensors().forEach((k, v) -> prefixed.put("bert." + k.replace("LayerNorm.weight", "LayerNorm.gamma"), v));
    prefixed.put("cls.seq_relationship.weight", Tensor.zeros(DType.FLOAT32, Shape.of(2, 32)));
    Graph g = new BertEncoder(CONFIG).graph(4, true);
    Weights fitted = BertKeyMaps.fit(Weights.of(prefixed, "ckpt"), g, "config.json");
    assertEquals(g.parameters().size(), fitted.tensors().size());
    fitted.tensors().forEach((k, v) -> assertTrue(v.contentEquals(MODEL.tensors().get(k)), k));
  }

  @Test
  void aPoolerIsDroppedForAGraphWithoutOneButNeverInvented() {
    Graph noPooler = new BertEncoder(CONFIG).graph(4, false);
    assertEquals(noPooler.parameters().size(), BertKeyMaps.fit(MODEL, noPooler, "config.json").tensors().size());

    Map<String, Tensor> withoutPooler = new LinkedHashMap<>(MODEL.tensors());
    withoutPooler.keySet().removeIf(k -> k.startsWith("pooler."));
    MedvisionException e = assertThrows(MedvisionException.class, () -> BertKeyMaps.fit(
        Weights.of(withoutPooler, "ckpt"), new BertEncoder(CONFIG).graph(4, true), "config.json"));
    assertTrue(e.getMessage().contains("lacks 2 tensor(s), e.g. [pooler.dense.weight, pooler.dense.bias]"),
        e.getMessage());
  }

  @Test
  void shapesThatDisagreeWithTheConfigNameTheTensorAndBothShapes() {
    BertConfig wider = new BertConfig(CONFIG.vocabSize(), 32, 2, 4, 48, "gelu", 1e-12, 64, 2, 0, 0.02);
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> BertKeyMaps.fit(MODEL, new BertEncoder(wider).graph(4, true), "dir/config.json"));
    assertTrue(e.getMessage().contains("tensor 'encoder.layer.0.intermediate.dense.weight' has shape [64, 32] in "
        + MODEL.source() + " but dir/config.json implies [48, 32]"), e.getMessage());

    Map<String, Tensor> extra = new LinkedHashMap<>(MODEL.tensors());
    extra.put("encoder.layer.2.output.dense.bias", Tensor.zeros(DType.FLOAT32, Shape.of(32)));
    MedvisionException more = assertThrows(MedvisionException.class, () -> BertKeyMaps.fit(Weights.of(extra, "ckpt"),
        new BertEncoder(CONFIG).graph(4, true), "config.json"));
    assertTrue(more.getMessage().contains("has 1 tensor(s) a BERT encoder does not, e.g."
        + " [encoder.layer.2.output.dense.bias]"), more.getMessage());
  }
}
