package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.metrics.MetricResult;
import org.medvision.api.metrics.MultiLabelMetrics;
import org.medvision.api.metrics.ReportTable;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.dicom.DataSet;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;

/**
 * The SR of a multi-label prediction lists the labels at or above the task's threshold with their probabilities, and
 * says so when there is none; read back from the written file and judged by dciodvfy. An evaluation scores the
 * multi-hot truth a manifest gives with the task's multi-label suite.
 */
class LabelFindingsPredictionTest {
  static Engine engine;

  @TempDir Path dir;
  private final List<String> warnings = new ArrayList<>();

  @BeforeAll
  static void open() {
    engine = Models.MEDVISION.engine("onnx");
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private StudyPrediction.Outcome predict(String threshold, Path ct, Path srDir) {
    Path file = dir.resolve("model-" + threshold).resolve("best.safetensors");
    Models.checkpoint(file, Models.task(TinyFindingsTaskProvider.NAME, "tiny", Map.of("threshold", threshold)), 1);
    ModelSource model = ModelSource.load(Models.MEDVISION, file, ModelRequest.none());
    List<PredictionInput> found = PredictionInputs.collect(model.task().data(), List.of(ct), warnings::add,
        ProgressListener.NONE);
    try (Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 2)) {
      return new StudyPrediction(predictor, new PredictionOptions(srDir, null, null, null, null),
          Provenance.of(model, engine, CompileOptions.defaults())).run(found, ProgressListener.NONE, warnings::add)
          .get(0);
    }
  }

  private static double sigmoid(float x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void theSrListsTheFindingsAtOrAboveTheThresholdWithTheirProbabilities() {
    Path ct = Models.ctSeries(dir.resolve("ct"), 1, 2).get(0);
    Path srDir = dir.resolve("sr");
    StudyPrediction.Outcome outcome = predict("0.5", ct, srDir);
    Path sr = srDir.resolve("SR_" + DicomOutputs.sop(ct) + ".dcm");
    assertEquals(List.of(sr), outcome.written());
    assertEquals(List.of(), warnings);

    LabelProbabilities predicted = outcome.result().first(LabelProbabilities.class).orElseThrow();
    float[] p = predicted.probabilities();
    for (int k = 0; k < p.length; k++) {
      // float32 sigmoid of a fixed logit against double: 1e-6.
      assertEquals(sigmoid(TinyFindingsTaskProvider.LOGITS[k]), p[k], 1e-6, TinyFindingsTaskProvider.LABELS.get(k));
    }
    assertEquals(List.of("Effusion", "Pleural_Thickening"), predicted.present());

    DataSet written = DicomOutputs.read(sr);
    Map<String, Double> findings = DicomOutputs.findings(written);
    assertEquals(predicted.present(), List.copyOf(findings.keySet()));
    // DS keeps 16 characters of the float's value.
    assertEquals(p[0], findings.get("Effusion"), 1e-12);
    assertEquals(p[2], findings.get("Pleural_Thickening"), 1e-12);
    Map<String, Double> all = DicomOutputs.probabilities(written);
    Map<String, Double> expected = new LinkedHashMap<>();
    for (int k = 0; k < p.length; k++) {
      expected.put(TinyFindingsTaskProvider.LABELS.get(k), (double) p[k]);
    }
    assertEquals(expected.keySet(), all.keySet());
    expected.forEach((label, value) -> assertEquals(value, all.get(label), 1e-12, label));
    assertEquals(null, DicomOutputs.texts(written).get("Finding"), "no 'no finding' note beside findings");
    assertEquals(List.of(DicomOutputs.sop(ct)), DicomOutputs.evidence(written));
    DicomOutputs.assertValid(sr, "ComprehensiveSR");
  }

  @Test
  void withNoLabelAtTheThresholdTheSrSaysThereIsNoFinding() {
    Path ct = Models.ctSeries(dir.resolve("ct"), 1, 3).get(0);
    Path srDir = dir.resolve("sr");
    StudyPrediction.Outcome outcome = predict("0.9", ct, srDir);
    assertEquals(List.of(), outcome.result().first(LabelProbabilities.class).orElseThrow().present());
    DataSet written = DicomOutputs.read(outcome.written().get(0));
    assertEquals(Map.of(), DicomOutputs.findings(written));
    assertEquals("no finding above threshold 0.9", DicomOutputs.texts(written).get("Finding"));
    DicomOutputs.assertValid(outcome.written().get(0), "ComprehensiveSR");
  }

  @Test
  void evaluationScoresTheManifestsMultiHotTruth() throws IOException {
    // Label cells as a manifest writes them; "No Finding" sets nothing. Each label has both classes.
    List<String> cells = List.of("Effusion|Mass", "No Finding", "Pleural_Thickening", "effusion", "Mass|Pleural "
        + "Thickening", "No Finding", "Effusion|Pleural_Thickening", "Mass", "Effusion|Mass|Pleural_Thickening");
    StringBuilder csv = new StringBuilder("path,labels,split\n");
    boolean[][] truth = new boolean[cells.size()][3];
    for (int i = 0; i < cells.size(); i++) {
      Models.png(dir.resolve("images").resolve("cxr" + i + ".png"), i);
      csv.append("images/cxr").append(i).append(".png,").append(cells.get(i)).append(",test\n");
      String cell = cells.get(i).toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
      for (int k = 0; k < 3; k++) {
        truth[i][k] = List.of(cell.split("\\|")).contains(TinyFindingsTaskProvider.LABELS.get(k)
            .toLowerCase(java.util.Locale.ROOT));
      }
    }
    // A data set needs every split; these rows are not scored.
    Models.png(dir.resolve("images").resolve("train.png"), 20);
    Models.png(dir.resolve("images").resolve("val.png"), 21);
    csv.append("images/train.png,Mass,train\nimages/val.png,Effusion,val\n");
    Path manifest = Files.writeString(dir.resolve("manifest.csv"), csv);
    Task task = Models.task(TinyFindingsTaskProvider.NAME, "tiny", Map.of());
    // Weights that let the image's mean move the logits, so the probabilities differ between images.
    Path weights = dir.resolve("run").resolve("best.safetensors");
    Files.createDirectories(weights.getParent());
    Safetensors.write(weights, new Weights(Map.of("head.weight", Tensor.of(Shape.of(3, 1), 4f, -3f, 2f)),
        task.graph().metadata(), "test"));
    ModelCheckpoint.writeFor(weights, task, "test", Models.VERSION);
    ModelSource model = ModelSource.load(Models.MEDVISION, weights, ModelRequest.none());
    TaskData data = TaskData.load(manifest, model.task().data(), 1, ProgressListener.NONE);
    Evaluation.Result result = Evaluation.run(model, engine, CompileOptions.defaults(), data, Split.TEST, 5, 4, null,
        ProgressListener.NONE);

    Evaluation.ScoredModel scored = result.models().get(0);
    MetricResult metrics = scored.metrics().get(0);
    assertEquals("multilabel", metrics.suite());
    float[][] p = new float[cells.size()][];
    boolean[][] ordered = new boolean[cells.size()][];
    for (int i = 0; i < cells.size(); i++) {
      String id = scored.scored().examples().get(i).id();
      int row = Integer.parseInt(id.replaceAll(".*cxr(\\d+)\\.png$", "$1"));
      ordered[i] = truth[row];
      p[i] = scored.scored().results().get(i).first(LabelProbabilities.class).orElseThrow().probabilities();
    }
    MultiLabelMetrics expected = MultiLabelMetrics.compute(ordered, p, TinyFindingsTaskProvider.LABELS);
    assertTrue(expected.macroAuroc() > 0 && expected.macroAuroc() < 1, "a non-trivial ranking: " + expected);
    assertEquals(expected.macroAuroc(), metrics.scalar("mean_auroc"), 0.0);
    assertEquals(expected.microAuroc(), metrics.scalar("micro_auroc"), 0.0);
    assertEquals(expected.labels().get(2).auroc(), metrics.scalar("auroc_pleural_thickening"), 0.0);
    assertEquals(Evaluation.BOOTSTRAP_RESAMPLES, metrics.intervals().get("mean_auroc").resamples());
    ReportTable pairs = metrics.tables().get(1);
    assertEquals(List.of("Effusion", "4", "2", "2"), pairs.rows().get(0));
    assertEquals(List.of("Mass", "2", "4", "2"), pairs.rows().get(1));
    assertEquals(List.of("Pleural_Thickening", "2", "2", "4"), pairs.rows().get(2));
    assertTrue(pairs.note().contains("9 examples, 2 without any label."), pairs.note());
  }
}
