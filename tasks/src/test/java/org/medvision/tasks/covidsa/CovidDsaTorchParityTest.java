package org.medvision.tasks.covidsa;

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
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.ResNet3dTorchScript;
import org.medvision.tasks.common.TestNumerics;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.PythonOracle;

/**
 * The covid-dsa graph against an independent PyTorch definition ({@code covid_dsa_reference.py}, run through
 * {@code /usr/bin/python3} by {@link ResNet3dTorchScript}): parameter counts and state-dict names and shapes for every
 * variant and layout, and the forward outputs {@code logits}, {@code attention} and {@code attention_logits} of the
 * reference interpreter against PyTorch in float64, on weights PyTorch draws and hands over by name.
 */
class CovidDsaTorchParityTest {
  /** Largest allowed |ours − PyTorch| on any output element. */
  private static final double TOLERANCE = 1e-4;
  private static final String SCRIPT = "covid_dsa_reference.py";
  private static final CovidDsaTaskProvider PROVIDER = new CovidDsaTaskProvider();

  @TempDir
  Path dir;

  @BeforeEach
  void needsTorch() {
    PythonOracle.requireTorchAndNumpy();
  }

  private static Graph graph(String variant, Map<String, String> options) {
    return PROVIDER.create(PROVIDER.configure(variant, options)).graph();
  }

  private static String json(Graph g, long seed) {
    Map<String, String> m = g.metadata();
    String variant = m.get("variant");
    return String.format(Locale.ROOT, "{\"depth\": %s, \"t_stride\": %s, \"shortcut\": \"%s\", \"dilated\": %s, "
        + "\"seed\": %d}", variant.substring("resnet".length()), m.get("conv1_t_stride"), m.get("shortcut"),
        m.get("layout").equals(CovidDsaConfig.MEDICALNET) ? "true" : "false", seed);
  }

  private record Counted(String variant, Map<String, String> options) {
    @Override
    public String toString() {
      return variant + " " + options;
    }
  }

  private static List<Counted> countCases() {
    List<Counted> cases = new ArrayList<>();
    for (String v : PROVIDER.variants()) {
      cases.add(new Counted(v, Map.of()));
    }
    cases.add(new Counted("resnet34", Map.of("shortcut", "A")));
    cases.add(new Counted("resnet34", Map.of("layout", "medicalnet")));
    cases.add(new Counted("resnet50", Map.of("layout", "medicalnet")));
    return cases;
  }

  @Test
  void parameterCountsAndStateDictKeysMatchPyTorch() throws IOException {
    List<Counted> cases = countCases();
    List<Graph> graphs = new ArrayList<>();
    StringBuilder configs = new StringBuilder("[");
    for (Counted c : cases) {
      Graph g = graph(c.variant(), c.options());
      graphs.add(g);
      configs.append(configs.length() > 1 ? ",\n" : "").append(json(g, 0));
    }
    Path request = dir.resolve("configs.json");
    Files.writeString(request, configs.append("]").toString());
    String out = ResNet3dTorchScript.script(dir, getClass(), SCRIPT, "count", request.toString());

    long[] torchParams = new long[cases.size()];
    List<Map<String, Shape>> torchKeys = new ArrayList<>();
    cases.forEach(c -> torchKeys.add(new LinkedHashMap<>()));
    for (String line : out.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f[0].equals("model")) {
        torchParams[Integer.parseInt(f[1])] = Long.parseLong(f[3]);
      } else if (f[0].equals("key")) {
        torchKeys.get(Integer.parseInt(f[1])).put(f[2], Shape.of(java.util.Arrays.stream(f[3].split(","))
            .mapToLong(Long::parseLong).toArray()));
      }
    }
    List<Executable> checks = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      Graph g = graphs.get(i);
      long ours = GraphStats.of(g, 1).parameters();
      Map<String, Shape> ourKeys = new LinkedHashMap<>();
      for (ParameterSpec p : g.parameters()) {
        ourKeys.put(p.name(), p.shape());
      }
      String what = "covid-dsa " + cases.get(i);
      System.out.printf(Locale.ROOT, "covid-dsa: %-40s ours %,12d  PyTorch %,12d%n", cases.get(i), ours,
          torchParams[i]);
      int index = i;
      checks.add(() -> assertEquals(torchParams[index], ours, what + ": parameters()"));
      checks.add(() -> assertEquals(torchKeys.get(index), ourKeys, what + ": state-dict names and shapes"));
    }
    assertAll(checks);
    // The backbone's count is papers.md §6.3's 63,469,632 (Hara resnet34, shortcut B); attention adds 512 + 1, fc
    // 2·512 + 2.
    assertEquals(63_469_632L + 513 + 1026, torchParams[cases.indexOf(new Counted("resnet34", Map.of()))]);
  }

  /** One forward comparison. */
  record Forward(String name, String variant, Map<String, String> options, int batch, long seed) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Forward> forwardCases() {
    return Stream.of(
        new Forward("resnet10 hara B 32x64x64 (2x2x2 attention grid)", "resnet10", Map.of("input", "32x64x64"), 1,
            21),
        new Forward("resnet34 hara B 16x64x64 (the paper's backbone; 1x2x2 grid)", "resnet34",
            Map.of("input", "16x64x64"), 1, 22),
        new Forward("resnet18 medicalnet A 16x16x16 (dilated; 2x2x2 grid)", "resnet18",
            Map.of("input", "16x16x16", "layout", "medicalnet"), 2, 23),
        new Forward("resnet50 hara B 16x32x32 (Bottleneck, C = 2048)", "resnet50", Map.of("input", "16x32x32"), 1,
            24));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forwardCases")
  void forwardMatchesPyTorch(Forward c) throws IOException {
    Graph g = graph(c.variant(), c.options());
    long[] dims = g.inputs().get(0).shape().dims();
    dims[0] = c.batch();
    Tensor x = TestNumerics.uniform(new SplittableRandom(c.seed()), Shape.of(dims), 1.0);
    Safetensors.write(dir.resolve("input.safetensors"), Weights.of(Map.of("input", x), "test input"));
    Files.writeString(dir.resolve("config.json"), json(g, c.seed()));

    long t0 = System.nanoTime();
    ResNet3dTorchScript.script(dir, getClass(), SCRIPT, "forward", dir.toString());
    long t1 = System.nanoTime();
    // fitTo is strict: every graph parameter must come from PyTorch's state dict under its own name, and nothing else.
    Weights w = Safetensors.read(dir.resolve("weights.safetensors")).fitTo(g);
    Map<String, Tensor> ours = ReferenceInterpreter.run(g, w, Map.of(CovidDsaSchema.CT, x));
    long t2 = System.nanoTime();

    StringBuilder report = new StringBuilder();
    List<Executable> checks = new ArrayList<>();
    for (String output : List.of(CovidDsaModel.LOGITS, CovidDsaModel.ATTENTION, CovidDsaModel.ATTENTION_LOGITS)) {
      Tensor actual = ours.get(output);
      long[] shape = new long[actual.shape().rank()];
      double[] expected = ResNet3dTorchScript.readDoubles(dir, output, shape);
      float[] a = actual.toFloatArray();
      double maxDiff = 0;
      double maxAbs = 0;
      for (int i = 0; i < Math.min(a.length, expected.length); i++) {
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - expected[i]));
        maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
      }
      report.append(String.format(Locale.ROOT, "  %s %s max|diff| %.3g (max|value| %.3g)", output, actual.shape(),
          maxDiff, maxAbs));
      double diff = maxDiff;
      checks.add(() -> assertArrayEquals(shape, actual.shape().dims(), c + ": " + output + " shape"));
      checks.add(() -> assertEquals(expected.length, a.length, c + ": " + output + " size"));
      checks.add(() -> assertTrue(diff <= TOLERANCE, c + ": " + output + " max |diff| " + diff + " > " + TOLERANCE));
    }
    System.out.printf(Locale.ROOT, "covid-dsa parity: %s:%s; PyTorch %.1f s, reference interpreter %.1f s%n", c,
        report, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    assertAll(checks);
  }
}
