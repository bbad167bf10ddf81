package org.medvision.tasks.covidsa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.FitReport;
import org.medvision.api.weights.Weights;

class CovidDsaTaskProviderTest {
  private static final CovidDsaTaskProvider PROVIDER = new CovidDsaTaskProvider();

  private static Task task(String variant, Map<String, String> options) {
    return PROVIDER.create(PROVIDER.configure(variant, options));
  }

  private static Shape shape(Graph g, String parameter) {
    return g.parameter(parameter).orElseThrow(() -> new AssertionError("no parameter " + parameter)).shape();
  }

  private static Shape output(Graph g, String name) {
    return g.outputs().stream().filter(o -> o.name().equals(name)).map(ValueInfo::shape).findFirst().orElseThrow();
  }

  @Test
  void registeredAndDescribed() {
    assertTrue(ServiceLoader.load(TaskProvider.class).stream().anyMatch(p -> p.type() == CovidDsaTaskProvider.class));
    assertEquals("covid-dsa", PROVIDER.name());
    assertEquals(List.of("resnet10", "resnet18", "resnet34", "resnet50"), PROVIDER.variants());
    assertEquals("resnet34", PROVIDER.defaultVariant());
    assertTrue(PROVIDER.citation().contains("Ouyang") && PROVIDER.citation().contains("2005.02690"));
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("attention_weight", "0.5");
    defaults.put("conv1_t_stride", "auto");
    defaults.put("input", "128x224x224");
    defaults.put("layout", "hara");
    defaults.put("sampler", "uniform");
    defaults.put("shortcut", "auto");
    defaults.put("size_bins", "5");
    assertEquals(defaults, PROVIDER.defaultConfig().options());
    for (OptionSpec o : PROVIDER.options()) {
      boolean training = List.of("attention_weight", "sampler", "size_bins").contains(o.name());
      assertEquals(training ? OptionSpec.Scope.TRAINING : OptionSpec.Scope.MODEL, o.scope(), o.name());
    }
  }

  @Test
  void thePapersModelAtTheDefaultInput() {
    Task t = PROVIDER.create(PROVIDER.defaultConfig());
    Graph g = t.graph();
    assertEquals(Shape.of(Shape.DYNAMIC, 1, 128, 224, 224), g.inputs().get(0).shape());
    assertEquals(Shape.of(64, 1, 7, 7, 7), shape(g, "conv1.weight"));
    assertEquals(Shape.of(64, 64, 3, 3, 3), shape(g, "layer1.2.conv2.weight"));
    assertEquals(Shape.of(512, 256, 1, 1, 1), shape(g, "layer4.0.downsample.0.weight"));
    assertEquals(Shape.of(512), shape(g, "layer4.0.downsample.1.running_var"));
    assertEquals(Shape.of(1, 512, 1, 1, 1), shape(g, "attention.weight"));
    assertEquals(Shape.of(1), shape(g, "attention.bias"));
    assertEquals(Shape.of(2, 512), shape(g, "fc.weight"));
    assertEquals(Shape.of(2), shape(g, "fc.bias"));
    assertEquals(Shape.of(Shape.DYNAMIC, 2), output(g, "logits"));
    assertEquals(Shape.of(Shape.DYNAMIC, 1, 8, 7, 7), output(g, "attention"));
    assertEquals(Shape.of(Shape.DYNAMIC, 1, 8, 7, 7), output(g, "attention_logits"));
    assertEquals("1", g.metadata().get("conv1_t_stride"));
    assertEquals("B", g.metadata().get("shortcut"));
    assertEquals(List.of(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, List.of("cap", "covid")),
        OutputSpec.over("attention", OutputSpec.Kind.SPATIAL_MAP, "ct")), t.outputs());
    Pattern backbone = Pattern.compile(t.backbone().orElseThrow());
    for (ParameterSpec p : g.parameters()) {
      assertTrue(p.name().matches("(conv1|bn1|layer[1-4]|attention|fc)\\..+"), p.name());
      assertEquals(!p.name().startsWith("attention.") && !p.name().startsWith("fc."),
          backbone.matcher(p.name()).matches(), "backbone covers exactly the ResNet: " + p.name());
    }
    assertEquals(List.of("classification", "attention"), t.metrics().stream().map(s -> s.get().name()).toList());
    assertEquals("attention_dice", t.metrics().get(1).get().defaultSelection());
  }

  @Test
  void theDataSchema() {
    DataSchema s = PROVIDER.create(PROVIDER.defaultConfig()).data();
    VolumeField ct = (VolumeField) s.field("ct").orElseThrow();
    assertEquals(new VolumePreprocessing("lung_mask", 10, -1200, 600, Double.NaN, new int[] {128, 224, 224}),
        ct.preprocessing());
    MaskField lung = (MaskField) s.field("lung_mask").orElseThrow();
    assertTrue(lung.required() && lung.estimator() instanceof LungMaskEstimator && lung.grid() == null);
    MaskField infection = (MaskField) s.field("infection_mask").orElseThrow();
    assertFalse(infection.required());
    assertArrayEquals(new int[] {8, 7, 7}, infection.grid(), "the attention grid");
    assertEquals(0.5, infection.threshold());
    assertEquals(Map.of("ct", "ct"), s.graphInputs());
    assertEquals("label", s.stratifyBy());
    assertEquals(List.of("ct", "lung_mask"), List.copyOf(s.inputFields()), "prediction needs no infection mask");
    assertEquals(s, PROVIDER.create(PROVIDER.defaultConfig()).data(), "schemas of one configuration are equal");

    DataSchema medicalNet = task("resnet34", Map.of("layout", "medicalnet")).data();
    assertArrayEquals(new int[] {16, 28, 28}, ((MaskField) medicalNet.field("infection_mask").orElseThrow()).grid());
  }

  @Test
  void labelsAndTheirSynonyms() {
    LabelField label = CovidDsaLabels.field();
    assertEquals(List.of("cap", "covid"), label.classes());
    for (String covid : List.of("covid", "COVID-19", "covid19", "Covid_19", "NCP", "SARS-CoV-2")) {
      assertEquals(1, label.classIndex(covid), covid);
    }
    for (String cap : List.of("cap", "CAP", "CP", "pneumonia", "community-acquired pneumonia",
        "Community Acquired Pneumonia")) {
      assertEquals(0, label.classIndex(cap), cap);
    }
    assertEquals(-2, label.classIndex("normal"), "unknown labels are errors, not guesses");
  }

  @Test
  void layoutAndAutoOptions() {
    Graph medicalNet = task("resnet34", Map.of("layout", "medicalnet", "input", "64x64x64")).graph();
    assertEquals("2", medicalNet.metadata().get("conv1_t_stride"));
    assertEquals("A", medicalNet.metadata().get("shortcut"), "MedicalNet's resnet_34.pth uses shortcut A");
    assertFalse(medicalNet.parameter("layer2.0.downsample.0.weight").isPresent());
    assertEquals(Shape.of(Shape.DYNAMIC, 1, 8, 8, 8), output(medicalNet, "attention"));
    Graph resnet50 = task("resnet50", Map.of("layout", "medicalnet", "input", "64x64x64")).graph();
    assertEquals("B", resnet50.metadata().get("shortcut"));
    Graph explicit = task("resnet18", Map.of("shortcut", "A", "conv1_t_stride", "2", "input", "32x64x64")).graph();
    assertEquals("A", explicit.metadata().get("shortcut"));
    assertEquals(Shape.of(Shape.DYNAMIC, 1, 1, 2, 2), output(explicit, "attention"), "32/32 x 64/32 x 64/32");
  }

  @Test
  void anInputNotDivisibleByTheStrideSaysWhatWould() {
    MedvisionException hara = assertThrows(MedvisionException.class,
        () -> task("resnet34", Map.of("input", "100x224x224")));
    assertTrue(hara.getMessage().contains("input 100x224x224 is not divisible by the network's total stride "
        + "16x32x32") && hara.getMessage().contains("input=96x224x224 or input=112x224x224"), hara.getMessage());
    MedvisionException medicalNet = assertThrows(MedvisionException.class,
        () -> task("resnet10", Map.of("input", "20x64x64", "layout", "medicalnet")));
    assertTrue(medicalNet.getMessage().contains("8x8x8") && medicalNet.getMessage().contains("input=16x64x64"),
        medicalNet.getMessage());
    MedvisionException flat = assertThrows(MedvisionException.class, () -> task("resnet10", Map.of("input",
        "224x224")));
    assertTrue(flat.getMessage().contains("three dimensions"), flat.getMessage());
  }

  @Test
  void invalidOptionValuesNameTheOption() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("attention_weight", "-1");
    bad.put("size_bins", "0");
    bad.put("sampler", "weighted");
    bad.put("conv1_t_stride", "3");
    bad.put("input", "0x224x224");
    bad.put("layout", "monai");
    bad.put("shortcut", "C");
    bad.forEach((option, value) -> {
      MedvisionException e = assertThrows(MedvisionException.class,
          () -> PROVIDER.configure("resnet34", Map.of(option, value)), option);
      assertTrue(e.getMessage().contains(option) && e.getMessage().contains(value), e.getMessage());
    });
  }

  @Test
  void theEnsembleTrainsOneModelPerSampler() {
    Task t = PROVIDER.create(PROVIDER.defaultConfig());
    var ensemble = t.ensemble().orElseThrow();
    assertEquals(List.of("uniform", "size-balanced"), ensemble.names());
    assertEquals(Map.of("sampler", "uniform"), ensemble.members().get("uniform"));
    assertEquals(Map.of("sampler", "size-balanced"), ensemble.members().get("size-balanced"));
    for (Map<String, String> member : ensemble.members().values()) {
      TaskConfig c = PROVIDER.configure(PROVIDER.defaultVariant(), member);
      assertEquals(PROVIDER.defaultConfig().options(PROVIDER.options(), OptionSpec.Scope.MODEL),
          c.options(PROVIDER.options(), OptionSpec.Scope.MODEL), "members differ in training options only");
    }
  }

  @Test
  void backboneCheckpointsLoadThroughTheKeyMaps() {
    assertEquals(List.of("medicalnet", "hara"), List.copyOf(PROVIDER.keyMaps().keySet()));
    Task t = task("resnet10", Map.of("layout", "medicalnet", "input", "16x16x16"));
    Graph g = t.graph();
    // A MedicalNet checkpoint as saved from DataParallel: every backbone tensor under "module.", the batch counters,
    // and the segmentation decoder the task does not have.
    Map<String, Tensor> ckpt = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      if (p.name().matches(CovidDsaTaskProvider.BACKBONE)) {
        ckpt.put("module." + p.name(), Tensor.zeros(DType.FLOAT32, p.shape()));
      }
    }
    ckpt.put("module.bn1.num_batches_tracked", Tensor.ofLongs(Shape.scalar(), 7));
    ckpt.put("module.conv_seg.0.weight", Tensor.zeros(DType.FLOAT32, Shape.of(512, 32, 2, 2, 2)));
    Weights mapped = PROVIDER.keyMaps().get("medicalnet").apply(Weights.of(ckpt, "resnet_10.safetensors"));
    FitReport report = mapped.fitPartially(g, 3, t.backbone().orElseThrow()).report();
    assertEquals(List.of("attention.weight", "attention.bias", "fc.weight", "fc.bias"), report.initialized());
    assertEquals(g.parameters().size() - 4, report.loaded().size());

    ckpt.keySet().removeIf(k -> k.startsWith("module.layer4."));
    Weights partial = PROVIDER.keyMaps().get("medicalnet").apply(Weights.of(ckpt, "truncated.safetensors"));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> partial.fitPartially(g, 3, t.backbone().orElseThrow()));
    assertTrue(e.getMessage().contains("backbone") && e.getMessage().contains("layer4"), e.getMessage());

    // A Hara checkpoint keeps its Kinetics fc [700, 512]; the hara map drops it, so the task's own fc starts fresh.
    Graph hara = task("resnet10", Map.of("input", "16x32x32")).graph();
    Map<String, Tensor> haraCkpt = new LinkedHashMap<>();
    for (ParameterSpec p : hara.parameters()) {
      if (p.name().matches(CovidDsaTaskProvider.BACKBONE)) {
        haraCkpt.put(p.name(), Tensor.zeros(DType.FLOAT32, p.shape()));
      }
    }
    haraCkpt.put("fc.weight", Tensor.zeros(DType.FLOAT32, Shape.of(700, 512)));
    haraCkpt.put("fc.bias", Tensor.zeros(DType.FLOAT32, Shape.of(700)));
    FitReport haraReport = PROVIDER.keyMaps().get("hara").apply(Weights.of(haraCkpt, "r3d10_K_200ep"))
        .fitPartially(hara, 3, CovidDsaTaskProvider.BACKBONE).report();
    assertTrue(haraReport.initialized().contains("fc.weight"), haraReport.summary());
  }
}
