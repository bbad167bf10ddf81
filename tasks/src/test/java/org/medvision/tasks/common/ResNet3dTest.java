package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;

/** {@link ResNet3d} without PyTorch: shapes, names, counts, initialisation, errors and checkpoint key maps. */
class ResNet3dTest {
  private static Graph graph(ResNet3dConfig config, Shape input, int classes) {
    return ResNet3dTorchParityTest.graph(config, input, classes);
  }

  private static Value features(ResNet3dConfig config, Shape input) {
    GraphBuilder b = new GraphBuilder("net");
    return new ResNet3d(config).features(b, b.input("volume", DType.FLOAT32, input));
  }

  private static Node nodeReading(Graph g, String parameter) {
    return g.nodes().stream().filter(n -> n.inputs().contains(parameter)).findFirst().orElseThrow();
  }

  static Stream<Arguments> layouts() {
    return Stream.of(
        Arguments.of(ResNet3dConfig.hara(10), new int[] {16, 32, 32}),
        Arguments.of(ResNet3dConfig.hara(34), new int[] {16, 32, 32}),
        Arguments.of(ResNet3dConfig.hara(50), new int[] {16, 32, 32}),
        Arguments.of(ResNet3dConfig.hara(18).withNoMaxPool(true), new int[] {8, 16, 16}),
        Arguments.of(ResNet3dConfig.hara(10).withConv1T(3, 2).withShortcut("A"), new int[] {32, 32, 32}),
        Arguments.of(ResNet3dConfig.medicalNet(34), new int[] {8, 8, 8}),
        Arguments.of(ResNet3dConfig.medicalNet(50), new int[] {8, 8, 8}));
  }

  /**
   * The layer4 map is [N, 512·expansion, ⌈D/sD⌉, ⌈H/sH⌉, ⌈W/sW⌉] with total strides (16, 32, 32) for Hara's defaults
   * and 8 on every axis for MedicalNet's layout, also for sizes that are not multiples; featureShape agrees.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("layouts")
  void featureMapHasTheDocumentedShape(ResNet3dConfig config, int[] stride) {
    assertArrayEquals(stride, config.totalStride(), "total stride");
    long[][] inputs = {{2, 128, 224, 224}, {1, 40, 50, 70}, {-1, 33, 65, 97}};
    for (long[] in : inputs) {
      Shape input = Shape.of(in[0], config.inputChannels(), in[1], in[2], in[3]);
      long[] expected = {in[0], 512L * config.expansion(), 0, 0, 0};
      for (int axis = 0; axis < 3; axis++) {
        expected[axis + 2] = (in[axis + 1] + stride[axis] - 1) / stride[axis];
      }
      Value f = features(config, input);
      assertEquals(Shape.of(expected), f.shape(), config + " on " + input);
      assertEquals(f.shape(), new ResNet3d(config).featureShape(input));
    }
  }

  @Test
  void dsaNetsBackboneGivesAnEightBySevenBySevenMap() {
    ResNet3d net = new ResNet3d(ResNet3dConfig.hara(34));
    assertEquals(512, net.featureChannels());
    assertEquals(Shape.of(-1, 512, 8, 7, 7), features(net.config(), Shape.of(-1, 1, 128, 224, 224)).shape());
    assertEquals(2048, new ResNet3d(ResNet3dConfig.hara(50)).featureChannels());
  }

  /** Hara's and MedicalNet's parameters() as counted by PyTorch (ResNet3dTorchParityTest checks them live). */
  @Test
  void parameterCountsMatchPyTorchsWithoutFc() {
    long[] shortcutB = {14_355_520L, 33_160_000L, 63_469_632L, 46_155_072L};
    long[] shortcutA = {14_181_696L, 32_986_176L, 63_295_808L, 43_378_496L};
    for (int i = 0; i < 4; i++) {
      int depth = ResNet3dConfig.DEPTHS.get(i);
      Shape in = Shape.of(1, 1, 32, 64, 64);
      assertEquals(shortcutB[i], GraphStats.of(graph(ResNet3dConfig.hara(depth), in, 0), 1).parameters(),
          "resnet" + depth + " B");
      assertEquals(shortcutA[i],
          GraphStats.of(graph(ResNet3dConfig.hara(depth).withShortcut("A"), in, 0), 1).parameters(),
          "resnet" + depth + " A");
    }
    // papers.md section 6.3; fc adds 512·n + n.
    Graph withFc = graph(ResNet3dConfig.hara(34), Shape.of(1, 1, 16, 32, 32), 2);
    assertEquals(63_469_632L + 512 * 2 + 2, GraphStats.of(withFc, 1).parameters());
  }

  @Test
  void parameterNamesAreHarasStateDictNames() {
    Graph g = graph(ResNet3dConfig.hara(34), Shape.of(1, 1, 16, 32, 32), 2);
    List<String> names = new ArrayList<>();
    Map<String, Shape> shapes = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      names.add(p.name());
      shapes.put(p.name(), p.shape());
    }
    assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
        "layer1.0.conv1.weight", "layer1.0.bn1.weight"), names.subList(0, 7));
    assertEquals(List.of("fc.weight", "fc.bias"), names.subList(names.size() - 2, names.size()));
    assertEquals(Shape.of(64, 1, 7, 7, 7), shapes.get("conv1.weight"));
    assertEquals(Shape.of(64, 64, 3, 3, 3), shapes.get("layer1.2.conv2.weight"));
    assertEquals(Shape.of(128, 64, 3, 3, 3), shapes.get("layer2.0.conv1.weight"));
    assertEquals(Shape.of(512, 512, 3, 3, 3), shapes.get("layer4.2.conv2.weight"));
    assertEquals(Shape.of(2, 512), shapes.get("fc.weight"));
    List<String> downsample = names.stream().filter(n -> n.contains("downsample")).toList();
    assertEquals(List.of("layer2.0.downsample.0.weight", "layer2.0.downsample.1.weight",
        "layer2.0.downsample.1.bias", "layer2.0.downsample.1.running_mean", "layer2.0.downsample.1.running_var"),
        downsample.subList(0, 5));
    assertEquals(15, downsample.size(), "layers 2-4, first block only: " + downsample);
    assertEquals(Shape.of(512, 256, 1, 1, 1), shapes.get("layer4.0.downsample.0.weight"));
    // 1 stem conv + 16 blocks x 2 convs + 3 downsample convs, each with a BN of 4 tensors, plus fc.
    assertEquals(36 * 5 + 2, names.size());
    assertTrue(names.stream().noneMatch(n -> n.contains("num_batches_tracked")));
  }

  @Test
  void resnet50UsesBottlenecksAndProjectsInLayer1() {
    Graph g = graph(ResNet3dConfig.hara(50), Shape.of(1, 1, 16, 32, 32), 0);
    assertEquals(Shape.of(64, 64, 1, 1, 1), g.parameter("layer1.0.conv1.weight").orElseThrow().shape());
    assertEquals(Shape.of(64, 64, 3, 3, 3), g.parameter("layer1.0.conv2.weight").orElseThrow().shape());
    assertEquals(Shape.of(256, 64, 1, 1, 1), g.parameter("layer1.0.conv3.weight").orElseThrow().shape());
    assertEquals(Shape.of(256), g.parameter("layer1.0.bn3.running_var").orElseThrow().shape());
    assertEquals(Shape.of(256, 64, 1, 1, 1), g.parameter("layer1.0.downsample.0.weight").orElseThrow().shape());
    assertTrue(g.parameter("layer1.1.downsample.0.weight").isEmpty());
    // The stride sits on the 3x3x3 convolution, as in Hara's Bottleneck.
    assertArrayEquals(new long[] {2, 2, 2}, nodeReading(g, "layer2.0.conv2.weight").attributes().getInts("strides"));
    assertArrayEquals(new long[] {1, 1, 1}, nodeReading(g, "layer2.0.conv1.weight").attributes().getInts("strides"));
  }

  @Test
  void shortcutAIsAConstantZeroPaddingConvolution() {
    Graph g = graph(ResNet3dConfig.hara(34).withShortcut("A"), Shape.of(1, 1, 16, 32, 32), 0);
    assertTrue(g.parameters().stream().noneMatch(p -> p.name().contains("downsample")));
    List<Node> constants = g.nodes().stream().filter(n -> n.op() == Op.CONSTANT).toList();
    assertEquals(3, constants.size(), "layers 2-4");
    Node layer2 = constants.get(0);
    assertArrayEquals(new long[] {128, 64, 1, 1, 1}, layer2.attributes().getInts("shape"));
    float[] w = (float[]) layer2.attributes().raw("value").orElseThrow();
    for (int o = 0; o < 128; o++) {
      for (int i = 0; i < 64; i++) {
        assertEquals(o == i ? 1f : 0f, w[o * 64 + i], "weight[" + o + ", " + i + "]");
      }
    }
    Node conv = g.nodes().stream().filter(n -> n.inputs().contains(layer2.output())).findFirst().orElseThrow();
    assertEquals(Op.CONV, conv.op());
    assertArrayEquals(new long[] {2, 2, 2}, conv.attributes().getInts("strides"));
    // Bottleneck layer1 widens 64 -> 256 at stride 1, so it needs a shortcut too.
    Graph g50 = graph(ResNet3dConfig.hara(50).withShortcut("A"), Shape.of(1, 1, 16, 32, 32), 0);
    assertEquals(4, g50.nodes().stream().filter(n -> n.op() == Op.CONSTANT).count());
  }

  @Test
  void medicalNetLayoutDilatesLayer3And4() {
    ResNet3dConfig c = ResNet3dConfig.medicalNet(18);
    assertEquals(ResNet3dShortcut.A, c.shortcut());
    assertEquals(ResNet3dShortcut.B, ResNet3dConfig.medicalNet(10).shortcut());
    assertEquals(ResNet3dShortcut.A, ResNet3dConfig.medicalNet(34).shortcut());
    assertEquals(ResNet3dShortcut.B, ResNet3dConfig.medicalNet(50).shortcut());
    Graph g = graph(c, Shape.of(1, 1, 64, 64, 64), 0);
    assertArrayEquals(new long[] {2, 2, 2}, nodeReading(g, "conv1.weight").attributes().getInts("strides"));
    assertEquals(Shape.of(64, 1, 7, 7, 7), g.parameter("conv1.weight").orElseThrow().shape());
    String[][] convs = {{"layer2.0.conv1.weight", "2", "1"}, {"layer3.0.conv1.weight", "1", "2"},
        {"layer3.1.conv2.weight", "1", "2"}, {"layer4.0.conv1.weight", "1", "4"}, {"layer4.1.conv2.weight", "1", "4"}};
    for (String[] conv : convs) {
      Node n = nodeReading(g, conv[0]);
      long s = Long.parseLong(conv[1]);
      long d = Long.parseLong(conv[2]);
      assertArrayEquals(new long[] {s, s, s}, n.attributes().getInts("strides"), conv[0]);
      assertArrayEquals(new long[] {d, d, d}, n.attributes().findInts("dilations").orElse(new long[] {1, 1, 1}),
          conv[0]);
      assertArrayEquals(new long[] {d, d, d, d, d, d}, n.attributes().getInts("pads"), conv[0]);
    }
    // Shortcut B of a dilated layer is a stride-1 projection.
    Graph g50 = graph(ResNet3dConfig.medicalNet(50), Shape.of(1, 1, 64, 64, 64), 0);
    assertEquals(Shape.of(1024, 512, 1, 1, 1), g50.parameter("layer3.0.downsample.0.weight").orElseThrow().shape());
    assertArrayEquals(new long[] {1, 1, 1},
        nodeReading(g50, "layer3.0.downsample.0.weight").attributes().getInts("strides"));
    assertArrayEquals(new long[] {4, 4, 4},
        nodeReading(g50, "layer4.2.conv2.weight").attributes().getInts("dilations"));
  }

  @Test
  void initialisationIsHaras() {
    Graph g = graph(ResNet3dConfig.hara(10), Shape.of(1, 1, 16, 32, 32), 3);
    Weights w = RandomWeights.initialize(g, 42);
    // kaiming_normal_(mode='fan_out', nonlinearity='relu'): std sqrt(2 / (out * kernel volume)).
    assertMoments(w, "conv1.weight", 0, Math.sqrt(2.0 / (64 * 343)));
    assertMoments(w, "layer4.0.conv2.weight", 0, Math.sqrt(2.0 / (512 * 27)));
    assertMoments(w, "layer3.0.downsample.0.weight", 0, Math.sqrt(2.0 / 256));
    // nn.Linear's default: uniform in ±1/sqrt(512), standard deviation bound/sqrt(3).
    double bound = 1 / Math.sqrt(512);
    assertMoments(w, "fc.weight", 0, bound / Math.sqrt(3));
    for (float v : w.find("fc.bias").orElseThrow().toFloatArray()) {
      assertTrue(Math.abs(v) <= bound, "fc.bias " + v);
    }
    for (ParameterSpec p : g.parameters()) {
      float expected;
      switch (p.role()) {
        case NORM_SCALE, RUNNING_VAR -> expected = 1f;
        case NORM_BIAS, RUNNING_MEAN -> expected = 0f;
        default -> {
          continue;
        }
      }
      for (float v : w.find(p.name()).orElseThrow().toFloatArray()) {
        assertEquals(expected, v, p.name());
      }
    }
    // BatchNorm3d defaults: eps 1e-5 and momentum 0.1, which is 0.9 in the IR's ONNX convention.
    List<Node> norms = g.nodes().stream().filter(n -> n.op() == Op.BATCH_NORM).toList();
    assertEquals(1 + 8 + 3, norms.size());
    for (Node n : norms) {
      assertEquals(1e-5f, n.attributes().getFloat("epsilon"), n.name());
      assertEquals(0.9f, n.attributes().getFloat("momentum"), 1e-7f, n.name());
    }
  }

  private static void assertMoments(Weights w, String name, double mean, double std) {
    float[] v = w.find(name).orElseThrow().toFloatArray();
    double sum = 0;
    double sq = 0;
    for (float x : v) {
      sum += x;
      sq += (double) x * x;
    }
    double m = sum / v.length;
    double s = Math.sqrt(sq / v.length - m * m);
    // Sampling error of the standard deviation is about std / sqrt(2n); 5 of those is a safe bound.
    double tol = 5 * std / Math.sqrt(2.0 * v.length);
    assertEquals(mean, m, 5 * std / Math.sqrt(v.length), name + " mean");
    assertEquals(std, s, tol, name + " std");
  }

  @Test
  void badDepthAndShortcutNamesListTheChoices() {
    UnknownNameException depth = assertThrows(UnknownNameException.class, () -> ResNet3dConfig.hara(20));
    assertEquals(List.of("10", "18", "34", "50"), depth.available());
    assertTrue(depth.getMessage().contains("'20'"), depth.getMessage());
    assertThrows(UnknownNameException.class, () -> ResNet3dConfig.medicalNet(101));
    UnknownNameException shortcut = assertThrows(UnknownNameException.class,
        () -> ResNet3dConfig.hara(34).withShortcut("C"));
    assertEquals(List.of("A", "B"), shortcut.available());
    assertTrue(shortcut.getMessage().contains("'C'"), shortcut.getMessage());
    assertEquals(ResNet3dShortcut.A, ResNet3dShortcut.of("a"));
    assertThrows(IllegalArgumentException.class, () -> ResNet3dConfig.hara(34).withInputChannels(0));
    assertThrows(IllegalArgumentException.class, () -> ResNet3dConfig.hara(34).withConv1T(7, 0));
    assertThrows(IllegalArgumentException.class, () -> ResNet3dConfig.hara(34).withShortcut((ResNet3dShortcut) null));
  }

  @Test
  void inputsThatDoNotFitAreRejectedWithTheReason() {
    ResNet3dConfig c = ResNet3dConfig.hara(34);
    MedvisionException small = assertThrows(MedvisionException.class,
        () -> features(c, Shape.of(1, 1, 8, 32, 32)));
    assertTrue(small.getMessage().contains("too small") && small.getMessage().contains("[16, 32, 32]"),
        small.getMessage());
    assertThrows(MedvisionException.class, () -> features(c, Shape.of(1, 1, 16, 31, 32)));
    assertThrows(MedvisionException.class, () -> new ResNet3d(c).featureShape(Shape.of(1, 1, 16, 32, 16)));
    MedvisionException channels = assertThrows(MedvisionException.class,
        () -> features(c, Shape.of(1, 3, 16, 32, 32)));
    assertTrue(channels.getMessage().contains("[N, 1, D, H, W]"), channels.getMessage());
    assertThrows(MedvisionException.class, () -> features(c, Shape.of(1, 1, 32, 32)));
    // MedicalNet's layout only needs 8 voxels per axis.
    assertEquals(Shape.of(1, 512, 1, 1, 1), features(ResNet3dConfig.medicalNet(34), Shape.of(1, 1, 8, 8, 8))
        .shape());
    GraphBuilder b = new GraphBuilder("head");
    Value wrong = b.input("f", DType.FLOAT32, Shape.of(1, 256, 1, 1, 1));
    assertThrows(MedvisionException.class, () -> new ResNet3d(c).classifier(b, wrong, 2));
    Value f = b.input("g", DType.FLOAT32, Shape.of(1, 512, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new ResNet3d(c).classifier(b, f, 0));
  }

  /** A MedicalNet-style state dict of {@code g}: DataParallel prefix, BatchNorm counters, conv_seg decoder. */
  private static Weights medicalNetStyleCheckpoint(Graph g) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      t.put("module." + p.name(), Tensor.zeros(DType.FLOAT32, p.shape()));
      if (p.name().endsWith("running_var")) {
        String counter = p.name().substring(0, p.name().length() - "running_var".length()) + "num_batches_tracked";
        t.put("module." + counter, Tensor.ofLongs(Shape.scalar(), 1000));
      }
    }
    t.put("module.conv_seg.0.weight", Tensor.zeros(DType.FLOAT32, Shape.of(512, 32, 2, 2, 2)));
    t.put("module.conv_seg.1.num_batches_tracked", Tensor.ofLongs(Shape.scalar(), 1000));
    return Weights.of(t, "medicalnet-style");
  }

  @Test
  void keyMapsLoadMedicalNetAndHaraCheckpointsByName() {
    Graph g = graph(ResNet3dConfig.medicalNet(10), Shape.of(1, 1, 16, 16, 16), 0);
    Weights ckpt = medicalNetStyleCheckpoint(g);
    WeightMismatchException raw = assertThrows(WeightMismatchException.class, () -> ckpt.fitTo(g));
    assertFalse(raw.unexpected().isEmpty());
    Weights loaded = ResNet3dKeyMaps.medicalNet().apply(ckpt).fitTo(g);
    assertEquals(g.parameters().size(), loaded.tensors().size());
    assertEquals(List.of("conv1.weight", "bn1.weight"), List.copyOf(loaded.tensors().keySet()).subList(0, 2));

    // Hara's checkpoints keep fc for a classifier graph, or drop it for a backbone.
    Graph withFc = graph(ResNet3dConfig.hara(10), Shape.of(1, 1, 16, 32, 32), 400);
    Weights hara = ResNet3dKeyMaps.hara().apply(medicalNetStyleCheckpoint(withFc));
    assertTrue(hara.find("fc.weight").isPresent() && hara.find("conv_seg.0.weight").isPresent());
    assertTrue(hara.find("bn1.num_batches_tracked").isEmpty());
    assertEquals(withFc.parameters().size(), ResNet3dKeyMaps.hara().apply(withoutConvSeg(withFc)).fitTo(withFc)
        .tensors().size());
    Graph backbone = graph(ResNet3dConfig.hara(10), Shape.of(1, 1, 16, 32, 32), 0);
    Weights dropped = ResNet3dKeyMaps.haraBackbone().apply(withoutConvSeg(withFc));
    assertTrue(dropped.find("fc.weight").isEmpty());
    assertEquals(backbone.parameters().size(), dropped.fitTo(backbone).tensors().size());
  }

  private static Weights withoutConvSeg(Graph g) {
    Map<String, Tensor> t = new LinkedHashMap<>(medicalNetStyleCheckpoint(g).tensors());
    t.keySet().removeIf(k -> k.contains("conv_seg"));
    return Weights.of(t, "hara-style");
  }
}
