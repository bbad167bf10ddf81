package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.PythonOracle;

/**
 * {@link ResNet3d} against an independent PyTorch definition of the same networks ({@code resnet3d_reference.py}):
 * parameter counts and state-dict names, and forward outputs of the reference interpreter against PyTorch in
 * float64 on the same weights. Needs {@code /usr/bin/python3} with torch (see {@link ResNet3dTorchScript}).
 */
class ResNet3dTorchParityTest {
  /** Largest allowed |ours − PyTorch| on any feature or logit. */
  private static final double TOLERANCE = 1e-4;

  @TempDir
  Path dir;

  @BeforeEach
  void needsTorch() {
    PythonOracle.requireTorchAndNumpy();
  }

  /** A network with outputs {@code features} and, when {@code classes > 0}, {@code logits}. */
  static Graph graph(ResNet3dConfig config, Shape input, int classes) {
    GraphBuilder b = new GraphBuilder(config.modelName());
    Value x = b.input("volume", DType.FLOAT32, input);
    ResNet3d net = new ResNet3d(config);
    Value features = net.features(b, x);
    b.output("features", features);
    if (classes > 0) {
      b.output("logits", net.classifier(b, features, classes));
    }
    return b.build();
  }

  private static String json(ResNet3dConfig c, int classes, long seed) {
    return String.format(Locale.ROOT, "{\"depth\": %d, \"in_channels\": %d, \"t_size\": %d, \"t_stride\": %d, "
        + "\"no_max_pool\": %s, \"shortcut\": \"%s\", \"dilated\": %s, \"n_classes\": %d, \"seed\": %d}",
        c.depth(), c.inputChannels(), c.conv1TSize(), c.conv1TStride(), c.noMaxPool() ? "true" : "false",
        c.shortcut(), c.dilated() ? "true" : "false", classes, seed);
  }

  private record Counted(String label, ResNet3dConfig config, int classes) {}

  private static List<Counted> countCases() {
    List<Counted> cases = new ArrayList<>();
    for (int depth : ResNet3dConfig.DEPTHS) {
      cases.add(new Counted("hara B", ResNet3dConfig.hara(depth), 0));
      cases.add(new Counted("hara A", ResNet3dConfig.hara(depth).withShortcut("A"), 0));
      cases.add(new Counted("medicalnet", ResNet3dConfig.medicalNet(depth), 0));
    }
    cases.add(new Counted("hara B + fc", ResNet3dConfig.hara(34), 2));
    cases.add(new Counted("hara A + fc", ResNet3dConfig.hara(18).withShortcut("A"), 5));
    cases.add(new Counted("kinetics-700", ResNet3dConfig.hara(50).withInputChannels(3), 700));
    cases.add(new Counted("options", ResNet3dConfig.hara(10).withInputChannels(2).withConv1T(3, 2)
        .withNoMaxPool(true), 4));
    return cases;
  }

  @Test
  void parameterCountsAndStateDictKeysMatchPyTorch() throws IOException {
    List<Counted> cases = countCases();
    StringBuilder configs = new StringBuilder("[");
    for (Counted c : cases) {
      configs.append(configs.length() > 1 ? ",\n" : "").append(json(c.config(), c.classes(), 0));
    }
    Path request = dir.resolve("configs.json");
    Files.writeString(request, configs.append("]").toString());
    long start = System.nanoTime();
    String out = ResNet3dTorchScript.script(dir, "count", request.toString());
    System.out.printf(Locale.ROOT, "resnet3d: PyTorch counted %d models in %.1f s%n", cases.size(),
        (System.nanoTime() - start) / 1e9);

    long[] torchParams = new long[cases.size()];
    List<Map<String, Shape>> torchKeys = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      torchKeys.add(new LinkedHashMap<>());
    }
    for (String line : out.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f[0].equals("model")) {
        torchParams[Integer.parseInt(f[1])] = Long.parseLong(f[3]);
      } else if (f[0].equals("key")) {
        String[] dims = f[3].split(",");
        long[] d = new long[dims.length];
        for (int k = 0; k < d.length; k++) {
          d[k] = Long.parseLong(dims[k]);
        }
        torchKeys.get(Integer.parseInt(f[1])).put(f[2], Shape.of(d));
      }
    }

    List<Executable> checks = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Counted c = cases.get(i);
      Graph g = graph(c.config(), Shape.of(-1, c.config().inputChannels(), 32, 64, 64), c.classes());
      long ours = GraphStats.of(g, 1).parameters();
      Map<String, Shape> ourKeys = new LinkedHashMap<>();
      for (ParameterSpec p : g.parameters()) {
        ourKeys.put(p.name(), p.shape());
      }
      String what = c.config().modelName() + " " + c.label() + " (" + c.config().shortcut() + ", classes "
          + c.classes() + ")";
      System.out.printf(Locale.ROOT, "resnet3d: %-38s ours %,12d  PyTorch %,12d%n", what, ours, torchParams[i]);
      int index = i;
      checks.add(() -> assertEquals(torchParams[index], ours, what + ": parameters()"));
      checks.add(() -> assertEquals(List.copyOf(torchKeys.get(index).keySet()), List.copyOf(ourKeys.keySet()),
          what + ": state-dict keys in order, without num_batches_tracked"));
      checks.add(() -> assertEquals(torchKeys.get(index), ourKeys, what + ": shapes"));
    }
    assertAll(checks);
    // papers.md section 6.3: Hara resnet34, 1 input channel, shortcut B, without fc.
    assertEquals(63_469_632L, torchParams[cases.indexOf(new Counted("hara B", ResNet3dConfig.hara(34), 0))]);
  }

  /** One forward comparison: the network, the input shape, the class count of fc (0: none) and a seed. */
  record Forward(String name, ResNet3dConfig config, long[] input, int classes, long seed) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Forward> forwardCases() {
    return Stream.of(
        new Forward("resnet10 B", ResNet3dConfig.hara(10), new long[] {2, 1, 16, 32, 32}, 3, 11),
        new Forward("resnet34 B (DSA-Net's backbone)", ResNet3dConfig.hara(34), new long[] {2, 1, 16, 32, 32}, 2, 12),
        new Forward("resnet34 A", ResNet3dConfig.hara(34).withShortcut("A"), new long[] {1, 1, 16, 32, 32}, 2, 13),
        new Forward("resnet10 A, 2 channels, conv1 (3,7,7) stride (2,2,2), no max pool",
            ResNet3dConfig.hara(10).withShortcut("A").withInputChannels(2).withConv1T(3, 2).withNoMaxPool(true),
            new long[] {1, 2, 16, 16, 16}, 4, 14),
        new Forward("resnet50 Bottleneck B", ResNet3dConfig.hara(50), new long[] {1, 1, 16, 32, 32}, 3, 15));
  }

  /**
   * Weights at the scale Hara's initialisation gives (uniform with the Kaiming fan-out standard deviation for
   * convolutions, PyTorch's bound for fc) and batch norms with trained-looking affine values and statistics, so that
   * eval-mode BatchNorm is not the identity and activations stay of order 1 through 16 blocks. Uniform rather than
   * normal only because it is quicker to draw 63 M of them.
   */
  static Weights testWeights(Graph g, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      double lo;
      double hi;
      switch (p.role()) {
        case WEIGHT -> {
          double bound = p.shape().rank() == 5 ? Math.sqrt(3.0 * 2.0 / Initializers.fanOut(p.shape()))
              : 1 / Math.sqrt(Initializers.fanIn(p.shape()));
          lo = -bound;
          hi = bound;
        }
        case BIAS -> {
          lo = -0.05;
          hi = 0.05;
        }
        case NORM_SCALE -> {
          lo = 0.5;
          hi = 1.0;
        }
        case NORM_BIAS, RUNNING_MEAN -> {
          lo = -0.2;
          hi = 0.2;
        }
        case RUNNING_VAR -> {
          lo = 0.5;
          hi = 1.5;
        }
        default -> throw new AssertionError(p.name() + " has unexpected role " + p.role());
      }
      float[] v = new float[(int) p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (lo + (hi - lo) * r.nextDouble());
      }
      out.put(p.name(), Tensor.of(p.shape(), v));
    }
    return Weights.of(out, "resnet3d-test(seed=" + seed + ")");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forwardCases")
  void forwardMatchesPyTorch(Forward c) throws IOException {
    Shape inputShape = Shape.of(c.input());
    Graph g = graph(c.config(), inputShape, c.classes());
    Weights w = testWeights(g, c.seed());
    Tensor x = TestNumerics.uniform(new SplittableRandom(c.seed()), inputShape, 1.0);
    Map<String, Tensor> file = new LinkedHashMap<>(w.tensors());
    file.put("input", x);
    Safetensors.write(dir.resolve("weights.safetensors"), Weights.of(file, "test"));
    Files.writeString(dir.resolve("config.json"), json(c.config(), c.classes(), c.seed()));

    long t0 = System.nanoTime();
    ResNet3dTorchScript.script(dir, "forward", dir.toString());
    long t1 = System.nanoTime();
    Map<String, Tensor> ours = ReferenceInterpreter.run(g, w, Map.of("volume", x));
    long t2 = System.nanoTime();
    compare(c.name(), ours, c.classes() > 0, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  /**
   * MedicalNet's layout (stem stride 2, dilated layer3/layer4, shortcut A for depth 18 as published), loaded the way
   * a user loads {@code resnet_18.pth}: PyTorch writes a checkpoint with the {@code module.} prefix,
   * {@code num_batches_tracked} and the {@code conv_seg} decoder, and {@link ResNet3dKeyMaps#medicalNet()} plus
   * {@link Weights#fitTo} must take it as is. The layer4 map is 2×5×5 so that dilation 4 reaches real voxels.
   */
  @Test
  void medicalNetCheckpointLoadsByNameAndMatches() throws IOException {
    ResNet3dConfig config = ResNet3dConfig.medicalNet(18);
    assertEquals(ResNet3dShortcut.A, config.shortcut());
    Shape inputShape = Shape.of(1, 1, 16, 40, 40);
    Graph g = graph(config, inputShape, 0);
    Tensor x = TestNumerics.uniform(new SplittableRandom(16), inputShape, 1.0);
    Safetensors.write(dir.resolve("input.safetensors"), Weights.of(Map.of("input", x), "test"));
    Files.writeString(dir.resolve("config.json"), json(config, 0, 16));

    long t0 = System.nanoTime();
    ResNet3dTorchScript.script(dir, "checkpoint", dir.toString());
    long t1 = System.nanoTime();
    Weights checkpoint = Safetensors.read(dir.resolve("checkpoint.safetensors"));
    assertTrue(checkpoint.find("module.layer4.1.bn2.num_batches_tracked").isPresent(), "MedicalNet-style keys");
    assertTrue(checkpoint.find("module.conv_seg.0.weight").isPresent(), "MedicalNet-style keys");
    Weights w = ResNet3dKeyMaps.medicalNet().apply(checkpoint).fitTo(g);
    assertEquals(g.parameters().size(), w.tensors().size());
    Map<String, Tensor> ours = ReferenceInterpreter.run(g, w, Map.of("volume", x));
    long t2 = System.nanoTime();
    assertEquals(Shape.of(1, 512, 2, 5, 5), ours.get("features").shape());
    compare("medicalnet resnet18 A (checkpoint from PyTorch)", ours, false, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  private void compare(String name, Map<String, Tensor> ours, boolean logits, double torchSeconds,
      double javaSeconds) {
    StringBuilder report = new StringBuilder();
    List<Executable> checks = new ArrayList<>();
    for (String output : logits ? List.of("features", "logits") : List.of("features")) {
      long[] shape = new long[output.equals("features") ? 5 : 2];
      double[] expected = ResNet3dTorchScript.readDoubles(dir, output, shape);
      Tensor actual = ours.get(output);
      float[] a = actual.toFloatArray();
      double maxDiff = 0;
      double maxAbs = 0;
      for (int i = 0; i < Math.min(a.length, expected.length); i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - expected[i]));
        maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
      }
      report.append(String.format(Locale.ROOT, "  %s %s max|diff| %.3g (max|value| %.3g)", output,
          actual.shape(), maxDiff, maxAbs));
      double diff = maxDiff;
      checks.add(() -> assertArrayEquals(shape, actual.shape().dims(), name + ": " + output + " shape"));
      checks.add(() -> assertTrue(diff <= TOLERANCE, name + ": " + output + " max |diff| " + diff + " > "
          + TOLERANCE));
    }
    System.out.printf(Locale.ROOT, "resnet3d parity: %s:%s; PyTorch %.1f s, reference interpreter %.1f s%n", name,
        report, torchSeconds, javaSeconds);
    assertAll(checks);
  }
}
