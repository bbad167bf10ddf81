package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Encoder;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

class ConvNextEncoderTest {
  private static final ConvNextEncoder ENCODER = new ConvNextEncoder();

  static Graph encoderGraph(String variant, int size, boolean timmHead) {
    GraphBuilder b = new GraphBuilder("convnext_" + variant);
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, size, size));
    Value f = ENCODER.encode(b, x, variant);
    if (timmHead) {
      int d = ENCODER.featureDim(variant);
      f = new LayerNorm(d, 1e-6f).apply(b, "head.norm", f);
      f = new Linear(d, 1000, true, LayerInit.truncatedNormal(0.02f)).apply(b, "head.fc", f);
    }
    b.output("out", f);
    return b.build();
  }

  /** timm's convnext_tiny state dict, names and shapes in order, written out from papers.md §6.1. */
  private static Map<String, Shape> timmTinyStateDict() {
    int[] depths = {3, 3, 9, 3};
    int[] dims = {96, 192, 384, 768};
    Map<String, Shape> m = new LinkedHashMap<>();
    m.put("stem.0.weight", Shape.of(96, 3, 4, 4));
    m.put("stem.0.bias", Shape.of(96));
    m.put("stem.1.weight", Shape.of(96));
    m.put("stem.1.bias", Shape.of(96));
    for (int i = 0; i < 4; i++) {
      int c = dims[i];
      if (i > 0) {
        int cin = dims[i - 1];
        m.put("stages." + i + ".downsample.0.weight", Shape.of(cin));
        m.put("stages." + i + ".downsample.0.bias", Shape.of(cin));
        m.put("stages." + i + ".downsample.1.weight", Shape.of(c, cin, 2, 2));
        m.put("stages." + i + ".downsample.1.bias", Shape.of(c));
      }
      for (int j = 0; j < depths[i]; j++) {
        String p = "stages." + i + ".blocks." + j + ".";
        m.put(p + "gamma", Shape.of(c));
        m.put(p + "conv_dw.weight", Shape.of(c, 1, 7, 7));
        m.put(p + "conv_dw.bias", Shape.of(c));
        m.put(p + "norm.weight", Shape.of(c));
        m.put(p + "norm.bias", Shape.of(c));
        m.put(p + "mlp.fc1.weight", Shape.of(4 * c, c));
        m.put(p + "mlp.fc1.bias", Shape.of(4 * c));
        m.put(p + "mlp.fc2.weight", Shape.of(c, 4 * c));
        m.put(p + "mlp.fc2.bias", Shape.of(c));
      }
    }
    m.put("head.norm.weight", Shape.of(768));
    m.put("head.norm.bias", Shape.of(768));
    m.put("head.fc.weight", Shape.of(1000, 768));
    m.put("head.fc.bias", Shape.of(1000));
    return m;
  }

  @Test
  void timmConvnextTinyHasTheTimmStateDictAndParameterCount() {
    Graph g = encoderGraph("tiny", 224, true);
    Map<String, Shape> actual = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      actual.put(p.name(), p.shape());
    }
    Map<String, Shape> expected = timmTinyStateDict();
    assertEquals(182, expected.size());
    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()), "names in state-dict order");
    assertEquals(expected, actual);
    GraphStats stats = GraphStats.of(g, 1);
    assertEquals(28_589_128L, stats.parameters(), "timm/torchvision convnext_tiny num_params");
    assertEquals(182, stats.parameterTensors());
    assertEquals(0, stats.buffers());
    assertEquals(Shape.of(-1, 1000), g.outputs().get(0).shape());
  }

  @Test
  void encoderAloneDropsTheHead() {
    GraphStats tiny = GraphStats.of(encoderGraph("tiny", 224, false), 1);
    // torchvision total minus classifier (LayerNorm2d 2·768, Linear 768·1000 + 1000), papers.md §1.3.
    assertEquals(27_818_592L, tiny.parameters());
    assertEquals(178, tiny.parameterTensors());
  }

  /** Closed-form ConvNeXt parameter count: stem, downsamples, and 8C² + 58C per block. */
  private static long closedFormParameters(ConvNextVariant v) {
    long p = 3L * 16 * v.dim(0) + 3L * v.dim(0);
    for (int i = 0; i < v.stages(); i++) {
      long c = v.dim(i);
      if (i > 0) {
        long cin = v.dim(i - 1);
        p += 2 * cin + 4 * cin * c + c;
      }
      p += v.depth(i) * (8 * c * c + 58 * c);
    }
    return p;
  }

  @Test
  void everyVariantMatchesTheClosedFormCount() {
    for (ConvNextVariant v : ConvNextVariant.values()) {
      GraphStats s = GraphStats.of(encoderGraph(v.variantName(), 64, false), 1);
      assertEquals(closedFormParameters(v), s.parameters(), v.variantName());
    }
    // timm lists convnext_atto at 3.7 M parameters with its 1000-class head.
    GraphStats atto = GraphStats.of(encoderGraph("atto", 224, true), 1);
    assertEquals(3_695_520L, atto.parameters());
  }

  @Test
  void multiplyAddsPerEncoderMatchThePublishedValues() {
    Map<String, Double> expectedG = new LinkedHashMap<>();
    expectedG.put("tiny", 4.455);
    expectedG.put("small", 8.683);
    expectedG.put("base", 15.354);
    expectedG.put("large", 34.360);
    for (Map.Entry<String, Double> e : expectedG.entrySet()) {
      long macs = GraphStats.of(encoderGraph(e.getKey(), 224, false), 1).multiplyAdds();
      double g = macs / 1e9;
      System.out.printf("convnext-%s encoder at 224: %,d multiply-adds (%.3f G)%n", e.getKey(), macs, g);
      assertEquals(e.getValue(), g, e.getValue() * 1e-3, e.getKey());
    }
  }

  @Test
  void smallVariantsUseTimmConvMlpLayouts() {
    Graph g = encoderGraph("atto", 32, false);
    assertEquals(Shape.of(160, 40, 1, 1), g.parameter("stages.0.blocks.1.mlp.fc1.weight").orElseThrow().shape());
    assertEquals(Shape.of(40, 160, 1, 1), g.parameter("stages.0.blocks.1.mlp.fc2.weight").orElseThrow().shape());
    assertEquals(Shape.of(40), g.parameter("stages.0.blocks.1.gamma").orElseThrow().shape());
    assertEquals(Shape.of(320, 160, 2, 2), g.parameter("stages.3.downsample.1.weight").orElseThrow().shape());
    assertTrue(g.parameter("stages.0.downsample.0.weight").isEmpty(), "stage 0 has no downsample");
    assertEquals(Shape.of(-1, 320), g.outputs().get(0).shape());
  }

  @Test
  void isDiscoverableAndRejectsUnknownVariants() {
    List<String> names = new ArrayList<>();
    for (Encoder e : ServiceLoader.load(Encoder.class)) {
      names.add(e.name());
    }
    assertTrue(names.contains("convnext"), names.toString());
    assertEquals(List.of("atto", "femto", "pico", "nano", "tiny", "small", "base", "large"), ENCODER.variants());
    assertEquals(1536, ENCODER.featureDim("large"));
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> encoderGraph("huge", 224, false));
    assertTrue(e.getMessage().contains("huge") && e.available().contains("tiny"), e.getMessage());
  }

  @Test
  void stochasticDepthFollowsTorchvisionsLinearRulePerBlock() {
    GraphBuilder b = new GraphBuilder("tiny");
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 3, 64, 64));
    b.output("f", new ConvNextEncoder().encode(b, x, "tiny"));
    Graph g = b.build();
    Map<String, Float> rates = new LinkedHashMap<>();
    g.nodes().stream().filter(n -> n.op() == Op.DROP_PATH)
        .forEach(n -> rates.put(n.name().substring(0, n.name().indexOf('/')), n.attributes().getFloat("ratio")));
    // torchvision convnext_tiny: stochastic_depth_prob 0.1 over 18 blocks, block k gets 0.1 * k / 17; block 0 none.
    assertEquals(17, rates.size(), rates.toString());
    assertEquals(0.1f * 1 / 17, rates.get("stages.0.blocks.1"), 1e-7f);
    assertEquals(0.1f * 6 / 17, rates.get("stages.2.blocks.0"), 1e-7f);
    assertEquals(0.1f, rates.get("stages.3.blocks.2"), 1e-7f);
    // Drop-path adds no parameters.
    assertEquals(27_818_592, GraphStats.of(g, 1).parameters());
    GraphBuilder none = new GraphBuilder("atto");
    Value y = none.input("x", DType.FLOAT32, Shape.of(-1, 3, 64, 64));
    none.output("f", new ConvNextEncoder().encode(none, y, "atto"));
    assertTrue(none.build().nodes().stream().noneMatch(n -> n.op() == Op.DROP_PATH));
  }
}
