package org.medvision.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.pipeline.Pipeline;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class TaskBuilderTest {
  private static final TaskConfig CONFIG = new TaskConfig("tiny", Map.of());
  private static final DataSchema SCHEMA = new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, 2, 2, new float[] {0}, new float[] {1}),
          Windowing.file()),
      LabelField.single("label", "label", List.of("a", "b"))), Map.of("x", "image"), "label");

  private static Graph graph(String name) {
    GraphBuilder b = new GraphBuilder(name);
    b.output("y", b.apply(Op.RELU, b.input("x", DType.FLOAT32, Shape.of(-1, 2))));
    return b.build();
  }

  @Test
  void aTaskNeedsADataSchemaAndDefaultsTheRest() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Task.builder("tiny", CONFIG, graph("m")).build());
    assertEquals("task tiny declares no data schema", e.getMessage());
    Graph model = graph("m");
    Task t = Task.builder("tiny", CONFIG, model).data(SCHEMA).build();
    assertEquals("tiny", t.name());
    assertSame(model, t.graph());
    assertEquals(List.of(Task.MODEL), List.copyOf(t.stages().keySet()));
    assertEquals("model", Task.MODEL);
    assertInstanceOf(SingleGraphPipeline.class, t.pipeline());
    assertTrue(t.training().isEmpty() && t.ensemble().isEmpty() && t.backbone().isEmpty() && t.metrics().isEmpty());
    assertEquals("Task[tiny tiny]", t.toString());
  }

  @Test
  void stagesKeepTheirOrderWithTheModelFirst() {
    Task t = Task.builder("cmb", CONFIG, graph("detector")).data(SCHEMA).stage("classifier", graph("mil"))
        .stage("refiner", graph("r")).build();
    assertEquals(List.of("model", "classifier", "refiner"), List.copyOf(t.stages().keySet()));
    assertEquals("mil", t.stages().get("classifier").name());
    Task.Builder b = Task.builder("cmb", CONFIG, graph("detector")).stage("classifier", graph("mil"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> b.stage("classifier", graph("other")));
    assertEquals("stage 'classifier' is declared twice", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> b.stage(Task.MODEL, graph("other")));
  }

  @Test
  void theDefaultPipelineReadsTheDeclaredOutputsWithTheLabelThreshold() {
    Task t = Task.builder("cxr", CONFIG, graph("m")).data(SCHEMA)
        .output(new OutputSpec("y", OutputSpec.Kind.MULTILABEL_LOGITS, List.of("p", "q"))).labelThreshold(0.9f)
        .backbone("encoder\\..*").ensemble(new EnsembleSpec(Map.of("uniform", Map.of("sampler", "uniform")), "one"))
        .build();
    Example x = new Example("e", null, "e", Map.of("image", Tensor.zeros(DType.FLOAT32, Shape.of(2))), Map.of());
    ExampleResult r = t.pipeline().predict(List.of(x), (stage, feeds) -> Map.of("y",
        Tensor.of(Shape.of(1, 2), 2, 3))).get(0);
    LabelProbabilities p = r.first(LabelProbabilities.class).orElseThrow();
    assertEquals(0.9f, p.threshold());
    // sigmoid(2) = 0.881 and sigmoid(3) = 0.953: only q reaches 0.9.
    assertEquals(List.of("q"), p.present());
    assertEquals("encoder\\..*", t.backbone().orElseThrow());
    assertEquals(List.of("uniform"), t.ensemble().orElseThrow().names());
    Pipeline custom = (batch, stages) -> List.of();
    assertSame(custom, Task.builder("cxr", CONFIG, graph("m")).data(SCHEMA).pipeline(custom).build().pipeline());
  }

  @Test
  void ensembleMembersKeepTheirOrder() {
    Map<String, Map<String, String>> members = new java.util.LinkedHashMap<>();
    members.put("uniform", Map.of("sampler", "uniform"));
    members.put("size-balanced", Map.of("sampler", "size-balanced"));
    members.put("mixed", Map.of("sampler", "mixed"));
    EnsembleSpec e = new EnsembleSpec(members, "the paper's three samplers");
    assertEquals(List.of("uniform", "size-balanced", "mixed"), e.names());
    members.clear();
    assertEquals(3, e.members().size());
  }
}
