package org.medvision.api.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class KeyMapTest {
  private static Weights checkpoint() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("features.0.0.weight", Tensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
    t.put("features.1.0.layer_scale", Tensor.ofFloats(new float[] {0.5f, 0.25f}, 2, 1, 1));
    t.put("features.1.0.norm.num_batches_tracked", Tensor.ofLongs(Shape.scalar(), 3));
    t.put("classifier.2.bias", Tensor.ofFloats(new float[] {9f}, 1));
    return new Weights(t, Map.of("format", "pt"), "tv.safetensors");
  }

  private static KeyMap torchvisionLike() {
    return KeyMap.builder()
        .drop("num_batches_tracked$")
        .rename("^features\\.0\\.(\\d+)\\.", "stem.$1.")
        .rename("^features\\.(\\d+)\\.(\\d+)\\.layer_scale$", "stages.$1.blocks.$2.gamma")
        .rename("^features\\.", "never.used.")
        .rename("^classifier\\.2\\.", "head.fc.")
        .squeeze("\\.gamma$")
        .build();
  }

  @Test
  void renamesDropsAndReshapesInOrder() {
    Weights out = torchvisionLike().apply(checkpoint());
    assertEquals(List.of("stem.0.weight", "stages.1.blocks.0.gamma", "head.fc.bias"),
        List.copyOf(out.tensors().keySet()));
    Tensor gamma = out.tensors().get("stages.1.blocks.0.gamma");
    assertEquals(Shape.of(2), gamma.shape());
    assertArrayEquals(new float[] {0.5f, 0.25f}, gamma.toFloatArray());
    assertTrue(out.tensors().get("stem.0.weight").contentEquals(checkpoint().tensors().get("features.0.0.weight")));
    assertEquals("tv.safetensors", out.source());
    assertEquals(Map.of("format", "pt"), out.metadata());
  }

  @Test
  void firstMatchingRenameWinsAndUnmatchedNamesStay() {
    KeyMap map = torchvisionLike();
    assertEquals(Optional.of("stem.3.bias"), map.targetName("features.0.3.bias"));
    assertEquals(Optional.of("never.used.5.x"), map.targetName("features.5.x"));
    assertEquals(Optional.of("other.weight"), map.targetName("other.weight"));
    assertEquals(Optional.empty(), map.targetName("features.1.0.norm.num_batches_tracked"));
    Weights in = checkpoint();
    assertEquals(List.copyOf(in.tensors().keySet()), List.copyOf(KeyMap.identity().apply(in).tensors().keySet()));
    assertSame(in.tensors().get("classifier.2.bias"), KeyMap.identity().apply(in).tensors().get("classifier.2.bias"));
  }

  @Test
  void mappedWeightsFitTheGraph() {
    List<ParameterSpec> params = List.of(
        new ParameterSpec("stem.0.weight", DType.FLOAT32, Shape.of(2, 2), ParamRole.WEIGHT, Initializers.zeros()),
        new ParameterSpec("stages.1.blocks.0.gamma", DType.FLOAT32, Shape.of(2), ParamRole.LAYER_SCALE,
            Initializers.ones()),
        new ParameterSpec("head.fc.bias", DType.FLOAT32, Shape.of(1), ParamRole.BIAS, Initializers.zeros()));
    Graph g = new Graph("g", 1, List.of(), params, List.of(), List.of(), Map.of());
    Weights fitted = torchvisionLike().apply(checkpoint()).fitTo(g);
    assertEquals(3, fitted.tensors().size());
    assertThrows(WeightMismatchException.class, () -> checkpoint().fitTo(g));
  }

  @Test
  void twoKeysOntoOneNameIsAnErrorNamingBoth() {
    KeyMap map = KeyMap.builder().rename("^module\\.", "").build();
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("fc.weight", Tensor.ofFloats(new float[] {1f}, 1));
    t.put("module.fc.weight", Tensor.ofFloats(new float[] {2f}, 1));
    MedvisionException e = assertThrows(MedvisionException.class, () -> map.apply(Weights.of(t, "ckpt")));
    assertTrue(e.getMessage().contains("'fc.weight'") && e.getMessage().contains("'module.fc.weight'")
        && e.getMessage().contains("ckpt"), e.getMessage());
  }

  @Test
  void reshapeThatChangesTheElementCountNamesTheKey() {
    KeyMap map = KeyMap.builder().rename("^a$", "b").reshapeTo("^b$", Shape.of(3)).build();
    Weights in = Weights.of(Map.of("a", Tensor.ofFloats(new float[] {1, 2}, 2)), "ckpt");
    MedvisionException e = assertThrows(MedvisionException.class, () -> map.apply(in));
    assertTrue(e.getMessage().contains("'b'") && e.getMessage().contains("'a'")
        && e.getMessage().contains("[3]"), e.getMessage());
    Weights ok = KeyMap.builder().reshape("^a$", s -> Shape.of(1, s.dim(0))).build().apply(in);
    assertEquals(Shape.of(1, 2), ok.tensors().get("a").shape());
  }

  @Test
  void badPatternsAndReplacementsAreClearErrors() {
    MedvisionException pattern = assertThrows(MedvisionException.class, () -> KeyMap.builder().drop("(unclosed"));
    assertTrue(pattern.getMessage().contains("(unclosed"), pattern.getMessage());
    KeyMap badGroup = KeyMap.builder().rename("^x\\.(\\w+)$", "y.$2").build();
    MedvisionException group = assertThrows(MedvisionException.class, () -> badGroup.targetName("x.weight"));
    assertTrue(group.getMessage().contains("'x.weight'"), group.getMessage());
    KeyMap empty = KeyMap.builder().rename("^.*$", "").build();
    assertThrows(MedvisionException.class, () -> empty.targetName("x"));
  }
}
