package org.medvision.api.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class SingleGraphPipelineTest {
  /** An image feeding graph input "input", an attribute feeding "age_in", and a label that feeds nothing. */
  private static final DataSchema SCHEMA = new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, 4, 4, new float[] {0}, new float[] {1}),
          Windowing.file()),
      new AttributeField("age", "age", "", ""),
      LabelField.single("label", "label", List.of("a", "b", "c"))), Map.of("input", "image", "age_in", "age"),
      "label");
  private static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");
  private static final List<OutputSpec> OUTPUTS = List.of(
      new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, CLASSES),
      new OutputSpec("findings", OutputSpec.Kind.MULTILABEL_LOGITS, List.of("edema", "midline_shift")),
      OutputSpec.over("attention", OutputSpec.Kind.SPATIAL_MAP, "image"),
      OutputSpec.over("recon", OutputSpec.Kind.IMAGE, "image"));

  private static Example example(String id, float fill, float age) {
    float[] px = new float[16];
    java.util.Arrays.fill(px, fill);
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("image", Tensor.of(Shape.of(1, 4, 4), px));
    t.put("age", Tensor.of(Shape.scalar(), age));
    t.put("label", Tensor.ofLongs(Shape.scalar(), 0));
    return new Example(id, null, id, t, Map.of());
  }

  private static float[] range(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i;
    }
    return v;
  }

  /** A stand-in for the model: fixed outputs for a batch of two, and a record of what it was fed. */
  private static final class Stub implements StageRunner {
    final List<String> stages = new ArrayList<>();
    final List<Map<String, Tensor>> feeds = new ArrayList<>();
    final Map<String, Tensor> outputs = new LinkedHashMap<>();

    Stub() {
      outputs.put("logits", Tensor.of(Shape.of(2, 3), 1, 2, 3, 0, 0, 10));
      outputs.put("findings", Tensor.of(Shape.of(2, 2), 0, 2, -1, 100));
      outputs.put("attention", Tensor.of(Shape.of(2, 1, 2, 2, 2), range(16)));
      outputs.put("recon", Tensor.of(Shape.of(2, 1, 4, 4), range(32)));
      outputs.put("features", Tensor.zeros(DType.FLOAT32, Shape.of(2, 8)));
    }

    @Override
    public Map<String, Tensor> run(String stage, Map<String, Tensor> fed) {
      stages.add(stage);
      feeds.add(fed);
      return outputs;
    }
  }

  /** Softmax computed here, in double, as the reference. */
  private static float[] softmax(double... z) {
    double sum = 0;
    for (double x : z) {
      sum += Math.exp(x);
    }
    float[] p = new float[z.length];
    for (int i = 0; i < z.length; i++) {
      p[i] = (float) (Math.exp(z[i]) / sum);
    }
    return p;
  }

  @Test
  void theBatchIsFedByGraphInputAndEachOutputBecomesATypedPrediction() {
    Stub stub = new Stub();
    List<Example> batch = List.of(example("a.png", 0.25f, 60), example("b.png", 0.5f, 70));
    List<ExampleResult> results = new SingleGraphPipeline(SCHEMA, OUTPUTS, 0.7f).predict(batch, stub);
    assertEquals(List.of(SingleGraphPipeline.STAGE), stub.stages);
    Map<String, Tensor> fed = stub.feeds.get(0);
    assertEquals(java.util.Set.of("input", "age_in"), fed.keySet());
    assertEquals(Shape.of(2, 1, 4, 4), fed.get("input").shape());
    assertArrayEquals(new float[] {60, 70}, fed.get("age_in").toFloatArray());

    assertEquals(List.of("a.png", "b.png"), results.stream().map(ExampleResult::id).toList());
    ExampleResult second = results.get(1);
    assertEquals(List.of("logits", "findings", "attention", "recon"), List.copyOf(second.predictions().keySet()));
    ClassProbabilities c = assertInstanceOf(ClassProbabilities.class, second.predictions().get("logits"));
    assertEquals(CLASSES, c.labels());
    assertArrayEquals(softmax(0, 0, 10), c.probabilities(), 1e-6f);
    assertEquals("hemorrhagic", c.topLabel());
    assertArrayEquals(softmax(1, 2, 3), ((ClassProbabilities) results.get(0).predictions().get("logits"))
        .probabilities(), 1e-6f);
    LabelProbabilities l = assertInstanceOf(LabelProbabilities.class, second.predictions().get("findings"));
    assertArrayEquals(new float[] {(float) (1 / (1 + Math.exp(1))), 1f}, l.probabilities(), 1e-6f);
    assertEquals(0.7f, l.threshold());
    assertEquals(List.of("midline_shift"), l.present());
    // sigmoid(2) = 0.88 is present at 0.7 for the first example, sigmoid(0) = 0.5 is not.
    assertEquals(List.of("midline_shift"), results.get(0).first(LabelProbabilities.class).orElseThrow().present());
    SpatialMap m = assertInstanceOf(SpatialMap.class, second.predictions().get("attention"));
    assertEquals(Shape.of(2, 2, 2), m.values().shape());
    assertArrayEquals(new float[] {8, 9, 10, 11, 12, 13, 14, 15}, m.values().toFloatArray());
    assertEquals("image", m.alignedTo());
    GeneratedImage g = assertInstanceOf(GeneratedImage.class, second.predictions().get("recon"));
    assertEquals(Shape.of(1, 4, 4), g.image().shape());
    assertEquals(16f, g.image().toFloatArray()[0]);
    assertEquals("image", g.alignedTo());
  }

  @Test
  void aMissingOutputIsNamedWithWhatTheModelReturned() {
    Stub stub = new Stub();
    stub.outputs.remove("attention");
    MedvisionException e = assertThrows(MedvisionException.class, () -> new SingleGraphPipeline(SCHEMA, OUTPUTS,
        0.5f).predict(List.of(example("a", 0, 1), example("b", 0, 2)), stub));
    assertEquals("the model returned no output 'attention'; it returned [logits, findings, recon, features]",
        e.getMessage());
  }

  @Test
  void outputsOfTheWrongShapeAreNamed() {
    List<Example> batch = List.of(example("a", 0, 1), example("b", 0, 2));
    Stub wide = new Stub();
    wide.outputs.put("logits", Tensor.zeros(DType.FLOAT32, Shape.of(2, 4)));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> new SingleGraphPipeline(SCHEMA, OUTPUTS, 0.5f).predict(batch, wide));
    assertEquals("output 'logits' has [4] per example; expected [3] for labels [normal, ischemic, hemorrhagic]",
        e.getMessage());
    Stub twoChannels = new Stub();
    twoChannels.outputs.put("attention", Tensor.zeros(DType.FLOAT32, Shape.of(2, 2, 2, 2)));
    e = assertThrows(MedvisionException.class,
        () -> new SingleGraphPipeline(SCHEMA, OUTPUTS, 0.5f).predict(batch, twoChannels));
    assertTrue(e.getMessage().startsWith("map output 'attention' must be [N, 1, h, w] or [N, 1, d, h, w]"),
        e.getMessage());
    Stub short1 = new Stub();
    short1.outputs.put("recon", Tensor.zeros(DType.FLOAT32, Shape.of(1, 1, 4, 4)));
    e = assertThrows(MedvisionException.class,
        () -> new SingleGraphPipeline(SCHEMA, OUTPUTS, 0.5f).predict(batch, short1));
    assertTrue(e.getMessage().startsWith("output 'recon' has shape [1, 1, 4, 4]; expected a batch of 2"),
        e.getMessage());
  }

  @Test
  void aGraphInputWhoseKeyTheBatchLacksIsNamed() {
    Example noAge = new Example("a", null, "a", Map.of("image", Tensor.zeros(DType.FLOAT32, Shape.of(1, 4, 4))),
        Map.of());
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> new SingleGraphPipeline(SCHEMA, OUTPUTS, 0.5f).predict(List.of(noAge), new Stub()));
    assertEquals("graph input 'age_in' reads 'age', which the batch lacks; it has [image]", e.getMessage());
  }

  @Test
  void probabilitiesAreStableForLargeLogits() {
    assertArrayEquals(new float[] {0.5f, 0.5f}, Probabilities.softmax(new float[] {1000, 1000}), 0f);
    assertArrayEquals(new float[] {1f, 0f}, Probabilities.sigmoid(new float[] {100, -1000}), 0f);
    // Cross-entropy of [0, ln 3] against class 0: -log(1/4).
    assertEquals(Math.log(4), Probabilities.crossEntropy(new float[] {0, (float) Math.log(3)}, 0), 1e-6);
  }
}
