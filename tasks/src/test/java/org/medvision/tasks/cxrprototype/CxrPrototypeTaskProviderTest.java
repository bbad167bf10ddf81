package org.medvision.tasks.cxrprototype;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.training.ParamGroup;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.weights.FitReport;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.text.TinyBertFolder;

class CxrPrototypeTaskProviderTest {
  private static final CxrPrototypeTaskProvider PROVIDER = new CxrPrototypeTaskProvider();

  @TempDir
  Path dir;

  @Test
  void textDimFollowsTheTextEncodersConfigAndIsRecordedAsANumber() {
    Path bert = TinyBertFolder.write(dir.resolve("bert"), 1);
    TaskConfig c = PROVIDER.configure("atto", Map.of("text_encoder", bert.toString()));
    assertEquals("32", c.option("text_dim"));
    assertEquals(bert.toAbsolutePath().normalize().toString(), c.option("text_encoder"));
    assertEquals("768", PROVIDER.configure("atto", Map.of()).option("text_dim"), "BioBERT-Base without a folder");
    Task task = PROVIDER.create(c);
    ParameterSpec embeddings = task.graph().parameter("label_embeddings").orElseThrow();
    assertEquals(List.of(14L, 32L), List.of(embeddings.shape().dim(0), embeddings.shape().dim(1)));
  }

  @Test
  void theGraphUsesTimmNamesForTheEncoderAndItsHeadNorm() {
    Task task = PROVIDER.create(PROVIDER.configure("atto", Map.of("image_size", "32", "text_dim", "8")));
    List<String> names = task.graph().parameters().stream().map(ParameterSpec::name).toList();
    assertTrue(names.contains("stem.0.weight") && names.contains("stages.3.blocks.1.mlp.fc2.bias")
        && names.contains("head.norm.weight") && names.contains("image_projection.2.weight")
        && names.contains("text_projection.0.weight") && names.contains("logit_scale")
        && names.contains("label_bias"), names.toString());
  }

  /**
   * A timm ConvNeXt state dict (encoder, head.norm and the ImageNet classifier head.fc) through key map timm: the
   * encoder and head.norm load, head.fc is dropped, and the projections, scale, biases and label embeddings start
   * fresh.
   */
  @Test
  void aTimmCheckpointFillsTheEncoderAndHeadNormOnly() {
    Task task = PROVIDER.create(PROVIDER.configure("atto", Map.of("image_size", "32", "text_dim", "8")));
    Map<String, Tensor> timm = new LinkedHashMap<>();
    for (ParameterSpec p : task.graph().parameters()) {
      if (p.name().matches("(stem|stages|head\\.norm)\\..+")) {
        timm.put(p.name(), Tensor.zeros(DType.FLOAT32, p.shape()));
      }
    }
    timm.put("head.fc.weight", Tensor.zeros(DType.FLOAT32, Shape.of(1000, 320)));
    timm.put("head.fc.bias", Tensor.zeros(DType.FLOAT32, Shape.of(1000)));
    Weights mapped = PROVIDER.keyMaps().get("timm").apply(Weights.of(timm, "convnext_atto.safetensors"));
    FitReport report = mapped.fitPartially(task.graph(), 3, CxrPrototypeTaskProvider.BACKBONE).report();
    assertTrue(report.loaded().contains("head.norm.weight") && report.loaded().contains("stem.0.weight"),
        report.summary());
    assertTrue(report.initialized().containsAll(List.of("label_embeddings", "logit_scale", "label_bias",
        "image_projection.0.weight", "text_projection.2.bias")), report.initialized().toString());
    assertTrue(report.loaded().stream().noneMatch(n -> n.startsWith("head.fc")), report.summary());
  }

  @Test
  void trainingWithoutATextEncoderSaysWhatToGive() {
    Task task = PROVIDER.create(PROVIDER.configure("atto", Map.of("image_size", "32", "text_dim", "8")));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> task.training().orElseThrow().build(new TrainingContext(task.config(), table(new int[][] {{0}}), 0,
            Map.of())));
    assertTrue(e.getMessage().contains("--text-encoder") && e.getMessage().contains("synth --kind text-encoder"),
        e.getMessage());
  }

  @Test
  void theRecipeWeighsLabelsByTheirTrainingCountsAndFreezesTheEmbeddings() {
    Path bert = TinyBertFolder.write(dir.resolve("bert"), 1);
    Task task = PROVIDER.create(PROVIDER.configure("atto", Map.of("image_size", "32", "text_encoder",
        bert.toString())));
    // 4 images: Atelectasis in 4, Cardiomegaly in 1, no other finding.
    TrainingSpec spec = task.training().orElseThrow().build(new TrainingContext(task.config(),
        table(new int[][] {{0, 1}, {0}, {0}, {0}}), 0, Map.of()));
    assertEquals(List.of("metric", "bce"), TrainingGraph.lossTerms(spec.graph()));
    assertEquals(1, spec.computations().size());
    assertTrue(spec.groups().contains(ParamGroup.frozen("label_embeddings")), spec.groups().toString());
    assertTrue(spec.notes().get(0).contains("Atelectasis 4 Cardiomegaly 1 Effusion 0 (none"), spec.notes().get(0));
    float[] beta = DualWeightedMetricLoss.categoryWeights(new int[] {4, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 4);
    assertTrue(beta[1] > beta[0] && beta[1] == beta[2], "a rarer label weighs more; none counts as one");

    TrainingSpec bce = PROVIDER.create(PROVIDER.configure("atto", Map.of("image_size", "32", "text_encoder",
        bert.toString(), "loss", "bce"))).training().orElseThrow().build(new TrainingContext(task.config(),
        table(new int[][] {{0}}), 0, Map.of()));
    assertEquals(List.of("bce"), TrainingGraph.lossTerms(bce.graph()));
  }

  /** A training table whose row i holds the classes {@code labels[i]}. */
  private static ExampleTable table(int[][] labels) {
    return new ExampleTable() {
      @Override
      public int size() {
        return labels.length;
      }

      @Override
      public String id(int row) {
        return "image-" + row;
      }

      @Override
      public String patient(int row) {
        return "patient-" + row;
      }

      @Override
      public int label(int row) {
        return -1;
      }

      @Override
      public List<String> classes() {
        return List.of();
      }

      @Override
      public int[] labelsOf(int row, String field) {
        return labels[row].clone();
      }

      @Override
      public double attribute(int row, String name) {
        return Double.NaN;
      }

      @Override
      public String where(int row) {
        return id(row);
      }
    };
  }
}
