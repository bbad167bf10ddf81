package org.medvision.tasks.strokenext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.data.ImageField;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.Shape;

class StrokeNextTaskProviderTest {
  private static final StrokeNextTaskProvider PROVIDER = new StrokeNextTaskProvider();

  private static TaskConfig config(String variant, String subtask, String fusion, int size) {
    return config(variant, subtask, fusion, size, Map.of());
  }

  private static TaskConfig config(String variant, String subtask, String fusion, int size,
      Map<String, String> extra) {
    Map<String, String> options = new LinkedHashMap<>(extra);
    options.put("subtask", subtask);
    options.put("fusion", fusion);
    options.put("image_size", Integer.toString(size));
    return PROVIDER.configure(variant, options);
  }

  private static Shape shape(Graph g, String parameter) {
    return g.parameter(parameter).orElseThrow(() -> new AssertionError("no parameter " + parameter)).shape();
  }

  @Test
  void parameterCountsMatchThePaperTable() {
    // papers.md §1.3: 2 × encoder + fusion (3d² + 4d) + head (256d + 256 + 512 + 256·2 + 2), n_classes = 2.
    Map<String, Long> expected = new LinkedHashMap<>();
    expected.put("tiny", 57_607_618L);
    expected.put("small", 100_876_738L);
    expected.put("base", 178_542_082L);
    expected.put("large", 399_933_058L);
    Map<String, Double> encoderMacsG = Map.of("tiny", 4.455, "small", 8.683, "base", 15.354, "large", 34.360);
    for (Map.Entry<String, Long> e : expected.entrySet()) {
      String v = e.getKey();
      Graph g = PROVIDER.create(config(v, "presence", "conv1d", 224)).graph();
      GraphStats s = GraphStats.of(g, 1);
      assertEquals(e.getValue(), s.parameters(), "StrokeNeXt-" + v + " parameters");
      long d = shape(g, "fusion.conv_point.weight").dim(0);
      // Multiply-adds: two encoders, conv_reduce 2d² + conv_point d², head 256d + 256·2.
      long fusionAndHead = 3 * d * d + 256 * d + 512;
      double perEncoderG = (s.multiplyAdds() - fusionAndHead) / 2.0 / 1e9;
      System.out.printf("StrokeNeXt-%s conv1d 2 classes at 224: %,d parameters, %,d multiply-adds (%.3f G; per"
          + " encoder %.3f G)%n", v, s.parameters(), s.multiplyAdds(), s.multiplyAdds() / 1e9, perEncoderG);
      assertEquals(encoderMacsG.get(v), perEncoderG, encoderMacsG.get(v) * 1e-3, v);
    }
  }

  @Test
  void parametersUseTheAuthorsModuleNames() {
    Task t = PROVIDER.create(PROVIDER.defaultConfig());
    Graph g = t.graph();
    assertEquals(Shape.of(96, 3, 4, 4), shape(g, "encoder1.stem.0.weight"));
    assertEquals(Shape.of(96, 3, 4, 4), shape(g, "encoder2.stem.0.weight"));
    assertEquals(Shape.of(3072, 768), shape(g, "encoder2.stages.3.blocks.2.mlp.fc1.weight"));
    assertEquals(Shape.of(768, 768, 2), shape(g, "fusion.conv_reduce.weight"));
    assertEquals(Shape.of(768, 768, 1), shape(g, "fusion.conv_point.weight"));
    assertEquals(Shape.of(768), shape(g, "fusion.bn_point.running_var"));
    assertEquals(Shape.of(256, 768), shape(g, "classifier.0.weight"));
    assertEquals(Shape.of(256), shape(g, "classifier.2.running_mean"));
    assertEquals(Shape.of(3, 256), shape(g, "classifier.4.weight"));
    assertEquals(Shape.of(3), shape(g, "classifier.4.bias"));
    for (ParameterSpec p : g.parameters()) {
      assertTrue(p.name().matches("(encoder[12]|fusion|classifier)\\..+"), p.name());
      assertTrue(!p.name().contains("head."), "no timm head in the encoder: " + p.name());
    }
  }

  @Test
  void defaultConfigDescribesInputsOutputsAndMetadata() {
    TaskConfig c = PROVIDER.defaultConfig();
    assertEquals("tiny", c.variant());
    assertEquals(Map.of("subtask", "3class", "fusion", "conv1d", "image_size", "224", "fusion_hidden", "auto",
        "drop_path", "auto", "label_smoothing", "0.1", "class_weights", "none"), c.options());
    Task t = PROVIDER.create(c);
    assertEquals("strokenext", t.name());
    assertEquals(c, t.config());
    assertEquals(Map.of("image1", "image", "image2", "image"), t.data().graphInputs());
    ImageField image = (ImageField) t.data().field("image").orElseThrow();
    assertEquals("path", image.column());
    assertEquals(224, image.preprocessing().height());
    assertEquals(3, image.preprocessing().channels());
    assertEquals(StrokeNextTaskProvider.BRAIN_WINDOW, image.windowing());
    Graph g = t.graph();
    assertEquals(Shape.of(-1, 3, 224, 224), g.inputs().get(0).shape());
    assertEquals(List.of(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS,
        List.of("normal", "ischemic", "hemorrhagic"))), t.outputs());
    assertEquals(Shape.of(-1, 3), g.outputs().get(0).shape());
    assertEquals("logits", g.outputs().get(0).name());
    Map<String, String> m = g.metadata();
    assertEquals("strokenext", m.get("task"));
    assertEquals("tiny", m.get("variant"));
    assertEquals("3class", m.get("subtask"));
    assertEquals("conv1d", m.get("fusion"));
    assertEquals("224", m.get("image_size"));
    assertEquals("normal,ischemic,hemorrhagic", m.get("labels"));
    assertEquals("0.485,0.456,0.406", m.get("preprocessing.mean"));
    assertEquals("0.229,0.224,0.225", m.get("preprocessing.std"));
    assertTrue(PROVIDER.citation().contains("2602.15087") && PROVIDER.citation().contains("Ramos"));
  }

  @Test
  void subtasksSetTheLabels() {
    assertEquals(List.of("3class", "presence", "subtype"), PROVIDER.options().get(0).choices());
    Function<String, List<String>> labels = s -> PROVIDER.create(config("atto", s, "conv1d", 32)).outputs().get(0)
        .labels();
    assertEquals(List.of("normal", "stroke"), labels.apply("presence"));
    assertEquals(List.of("ischemic", "hemorrhagic"), labels.apply("subtype"));
    assertEquals(Shape.of(2, 256), shape(PROVIDER.create(config("atto", "subtype", "conv1d", 32)).graph(),
        "classifier.4.weight"));
  }

  @Test
  void ablationFusionsAndTheSingleEncoderBaseline() {
    Graph concat = PROVIDER.create(config("atto", "presence", "concat", 32)).graph();
    assertEquals(Shape.of(256, 640), shape(concat, "classifier.0.weight"));
    Graph sum = PROVIDER.create(config("atto", "presence", "sum", 32)).graph();
    assertEquals(Shape.of(256, 320), shape(sum, "classifier.0.weight"));
    Task single = PROVIDER.create(config("atto", "presence", "single", 32));
    assertEquals(Map.of("image1", "image"), single.data().graphInputs());
    assertEquals("image1", single.graph().inputs().get(0).name());
    for (ParameterSpec p : single.graph().parameters()) {
      assertTrue(p.name().startsWith("encoder1.") || p.name().startsWith("classifier."), p.name());
    }
    // Encoder (3,373,880 for atto, closed form in ConvNextEncoderTest) + head 256·320 + 256 + 512 + 256·2 + 2.
    assertEquals(3_373_880L + 256 * 320 + 256 + 512 + 512 + 2, GraphStats.of(single.graph(), 1).parameters());
    assertEquals(List.of("conv1d", "concat", "sum", "single"), PROVIDER.options().get(1).choices());
  }

  @Test
  void unknownNamesListTheValidOnes() {
    UnknownNameException v = assertThrows(UnknownNameException.class,
        () -> PROVIDER.create(config("huge", "3class", "conv1d", 224)));
    assertEquals(PROVIDER.variants(), v.available());
    assertEquals(List.of("atto", "femto", "pico", "nano", "tiny", "small", "base", "large"), v.available());
    MedvisionException s = assertThrows(MedvisionException.class,
        () -> PROVIDER.create(config("tiny", "4class", "conv1d", 224)));
    assertTrue(s.getMessage().contains("4class") && s.getMessage().contains("3class, presence, subtype"),
        s.getMessage());
    MedvisionException f = assertThrows(MedvisionException.class,
        () -> PROVIDER.create(config("tiny", "3class", "attention", 224)));
    assertTrue(f.getMessage().contains("attention") && f.getMessage().contains("conv1d, concat, sum, single"),
        f.getMessage());
  }

  @Test
  void optionsAndImageSizeAreChecked() {
    Graph h = PROVIDER.create(config("atto", "3class", "conv1d", 32, Map.of("fusion_hidden", "160")))
        .graph();
    assertEquals(Shape.of(160, 320, 1), shape(h, "fusion.conv_point.weight"));
    assertEquals(Shape.of(320, 160, 1), shape(h, "fusion.conv_expand.weight"));
    MedvisionException unknown = assertThrows(MedvisionException.class,
        () -> PROVIDER.create(config("atto", "3class", "conv1d", 32, Map.of("dropout", "0.2"))));
    assertTrue(unknown.getMessage().contains("dropout"), unknown.getMessage());
    assertThrows(MedvisionException.class,
        () -> PROVIDER.create(config("atto", "3class", "sum", 32, Map.of("fusion_hidden", "160"))));
    MedvisionException bad = assertThrows(MedvisionException.class,
        () -> PROVIDER.create(config("atto", "3class", "conv1d", 32, Map.of("fusion_hidden", "-3"))));
    assertTrue(bad.getMessage().contains("-3"), bad.getMessage());
    MedvisionException small = assertThrows(MedvisionException.class,
        () -> PROVIDER.create(config("atto", "3class", "conv1d", 16)));
    assertTrue(small.getMessage().contains("16"), small.getMessage());
  }

  @Test
  void providerIsDiscoverable() {
    List<String> names = new ArrayList<>();
    for (TaskProvider p : ServiceLoader.load(TaskProvider.class)) {
      names.add(p.name());
    }
    assertTrue(names.contains("strokenext"), names.toString());
  }

  @Test
  void dropPathOptionOverridesTheVariantRateAndIsChecked() {
    StrokeNextTaskProvider p = new StrokeNextTaskProvider();
    TaskConfig atto = config("atto", "3class", "conv1d", 32);
    long none = p.create(atto).graph().nodes().stream().filter(n -> n.op() == Op.DROP_PATH).count();
    TaskConfig withRate = config("atto", "3class", "conv1d", 32, Map.of("drop_path", "0.2"));
    List<Float> rates = p.create(withRate).graph().nodes().stream().filter(n -> n.op() == Op.DROP_PATH)
        .map(n -> n.attributes().getFloat("ratio")).toList();
    assertEquals(0, none);
    assertEquals(2 * 11, rates.size(), "11 of atto's 12 blocks per encoder, in both encoders");
    assertEquals(0.2f, rates.stream().max(Float::compare).orElseThrow(), 1e-7f);
    MedvisionException bad = assertThrows(MedvisionException.class,
        () -> p.create(config("atto", "3class", "conv1d", 32, Map.of("drop_path", "1.5"))));
    assertTrue(bad.getMessage().contains("drop_path") && bad.getMessage().contains("1.5"), bad.getMessage());
  }
}
