package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.io.ProgressListener;
import org.medvision.io.synth.chest.ChestCtDataset;
import org.medvision.runtime.ModelRequest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.batch.BatchInputs;
import org.medvision.runtime.batch.BatchRunner;
import org.medvision.runtime.batch.BatchSettings;
import org.medvision.runtime.batch.PredictionRow;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * A 3-D task on Spark: the DICOM files of a series, one row each and spread over partitions, are grouped by folder
 * into one prediction per series, with the local runner's ids and probabilities (a synthetic chest CT set: ten series
 * of 16 slices and their NIfTI lung masks).
 */
class SeriesGroupingTest {
  @TempDir Path dir;

  @Test
  void dicomFilesOfASeriesAreOnePredictionAsInTheLocalRunner() throws Exception {
    Path model = Fixtures.checkpoint(dir.resolve("model").resolve("best.safetensors"), Fixtures.covidTiny(), 5);
    Path in = dir.resolve("ct");
    ChestCtDataset.generate(in, ChestCtDataset.MIN_COUNT, 32, 9, "dicom", false, ProgressListener.NONE);

    SparkSession spark = LocalSpark.session();
    SparkBatchPredict job = SparkBatchPredict.builder(spark, model.toString()).medvision(Fixtures.MEDVISION_3D)
        .idsRelativeTo(in.toString()).inputsAreListing(true).build();
    List<String> paths = new ArrayList<>();
    try (var walk = Files.walk(in)) {
      walk.filter(Files::isRegularFile).forEach(p -> paths.add(p.toString()));
    }
    Dataset<Row> rows = spark.createDataset(paths, Encoders.STRING()).toDF(SparkBatchPredict.PATH).repartition(3);
    Map<String, PredictionRow> fromSpark = byId(job.predictionSchema(), job.predict(rows).collectAsList());

    Path out = dir.resolve("local");
    ModelSource source = ModelSource.load(Fixtures.MEDVISION_3D, model, ModelRequest.none());
    try (Engine engine = Fixtures.MEDVISION_3D.engine("onnx")) {
      new BatchRunner(engine, source, CompileOptions.defaults(), BatchSettings.defaults()).run(
          BatchInputs.of(source.task().data(), in), out, ProgressListener.NONE);
    }
    Map<String, PredictionRow> local = byId(job.predictionSchema(),
        spark.read().parquet(out.resolve("parquet").toString()).collectAsList());

    assertEquals(local.keySet(), fromSpark.keySet());
    assertTrue(local.values().stream().filter(r -> r.error() == null && r.seriesUid() != null).count()
        >= ChestCtDataset.MIN_COUNT, "a prediction per series: " + local.values());
    for (PredictionRow l : local.values()) {
      PredictionRow s = fromSpark.get(l.inputId());
      assertEquals(l.error() == null, s.error() == null, l.inputId() + ": " + l.error() + " / " + s.error());
      if (s.error() != null) {
        assertFalse(s.error().contains("medvision-inputs-"), "the error names the input, not its copy: " + s.error());
      }
      assertEquals(l.seriesUid(), s.seriesUid());
      assertEquals(l.studyUid(), s.studyUid());
      for (String c : job.predictionSchema().outputColumns()) {
        if (l.outputs().get(c) instanceof Float f) {
          assertEquals(f, s.probability(c), 1e-6f, l.inputId() + " " + c);
        } else {
          assertEquals(l.outputs().get(c), s.outputs().get(c), l.inputId() + " " + c);
        }
      }
    }
  }

  private static Map<String, PredictionRow> byId(PredictionSchema schema, List<Row> rows) {
    Map<String, PredictionRow> out = new TreeMap<>();
    rows.forEach(r -> {
      PredictionRow p = SparkRows.fromRow(schema, r);
      assertNull(out.put(p.inputId(), p), "duplicate row for " + p.inputId());
    });
    return out;
  }
}
