package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.BeforeAll;
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
 * of 16 slices and their NIfTI lung masks, one mask also copied into a series folder, sorting among its slices).
 */
class SeriesGroupingTest {
  @TempDir static Path dir;
  static Path model;
  /** The set; {@code ct/case_0001/} holds {@code CT000001.dcm} to {@code CT000016.dcm} and {@code CT000008_mask.nii.gz}. */
  static Path in;
  static SparkSession spark;

  @BeforeAll
  static void setUp() throws Exception {
    model = Fixtures.checkpoint(dir.resolve("model").resolve("best.safetensors"), Fixtures.covidTiny(), 5);
    in = dir.resolve("ct");
    ChestCtDataset.generate(in, ChestCtDataset.MIN_COUNT, 32, 9, "dicom", false, ProgressListener.NONE);
    Path series = in.resolve("ct").resolve("case_0001");
    assertTrue(Files.isRegularFile(series.resolve("CT000008.dcm")) && Files.isRegularFile(series.resolve(
        "CT000009.dcm")), "the layout these tests assume");
    Files.copy(in.resolve("masks").resolve("case_0001_lung.nii.gz"), series.resolve("CT000008_mask.nii.gz"));
    spark = LocalSpark.session();
  }

  private static SparkBatchPredict.Builder builder() {
    return SparkBatchPredict.builder(spark, model.toString()).medvision(Fixtures.MEDVISION_3D);
  }

  /** The local runner's rows for {@code input} (a folder or a manifest). */
  private static Map<String, PredictionRow> localRows(Path input, Path out, PredictionSchema schema) {
    ModelSource source = ModelSource.load(Fixtures.MEDVISION_3D, model, ModelRequest.none());
    try (Engine engine = Fixtures.MEDVISION_3D.engine("onnx")) {
      new BatchRunner(engine, source, CompileOptions.defaults(), BatchSettings.defaults()).run(
          BatchInputs.of(source.task().data(), input), out, ProgressListener.NONE);
    }
    return byId(schema, spark.read().parquet(out.resolve("parquet").toString()).collectAsList());
  }

  @Test
  void dicomFilesOfASeriesAreOnePredictionAsInTheLocalRunner() throws Exception {
    SparkBatchPredict job = builder().idsRelativeTo(in.toString()).inputsAreListing(true).partitions(3).build();
    List<String> paths = new ArrayList<>();
    try (var walk = Files.walk(in)) {
      walk.filter(Files::isRegularFile).forEach(p -> paths.add(p.toString()));
    }
    Dataset<Row> rows = spark.createDataset(paths, Encoders.STRING()).toDF(SparkBatchPredict.PATH).repartition(5);
    Dataset<Row> predictions = job.predict(rows);
    assertEquals(3, predictions.javaRDD().getNumPartitions(), "the folders are spread over the partitions asked for");
    Map<String, PredictionRow> fromSpark = byId(job.predictionSchema(), predictions.collectAsList());
    Map<String, PredictionRow> local = localRows(in, dir.resolve("local"), job.predictionSchema());

    assertTrue(local.containsKey("ct/case_0001/CT000008_mask.nii.gz"), "the NIfTI among the slices: " + local.keySet());
    assertTrue(seriesPredicted(local) >= ChestCtDataset.MIN_COUNT, "a prediction per series: " + local.values());
    assertSameRows(local, fromSpark, job.predictionSchema());
  }

  @Test
  void aManifestListingASeriesFilesGivesTheRowsTheLocalRunnerGivesForItsFolder() throws Exception {
    List<String> folders = List.of("ct/ct/case_0001", "ct/ct/case_0002");
    List<String> files = new ArrayList<>();
    for (String f : folders) {
      try (var list = Files.list(dir.resolve(f))) {
        list.sorted().forEach(p -> files.add(dir.relativize(p).toString()));
      }
    }
    Path fileManifest = Files.writeString(dir.resolve("files.csv"), "path\n" + String.join("\n", files) + "\n");
    Path folderManifest = Files.writeString(dir.resolve("folders.csv"), "path\n" + String.join("\n", folders));
    Path out = dir.resolve("spark-manifest");
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    assertEquals(0, BatchPredict.run(new String[] {"--model", model.toString(), "--input", fileManifest.toString(),
        "--out", out.toString()}, new PrintStream(new ByteArrayOutputStream()), new PrintStream(stderr, true,
        StandardCharsets.UTF_8)), stderr.toString(StandardCharsets.UTF_8));
    SparkBatchPredict job = builder().build();
    Map<String, PredictionRow> fromSpark = byId(job.predictionSchema(),
        spark.read().parquet(out.resolve("parquet").toString()).collectAsList());
    Map<String, PredictionRow> local = localRows(folderManifest, dir.resolve("local-manifest"),
        job.predictionSchema());

    assertEquals(3, local.size(), "two series and the NIfTI: " + local.keySet());
    assertEquals(2, seriesPredicted(local), "a prediction per series: " + local.values());
    assertSameRows(local, fromSpark, job.predictionSchema());
  }

  private static long seriesPredicted(Map<String, PredictionRow> rows) {
    return rows.values().stream().filter(r -> r.error() == null && r.seriesUid() != null).count();
  }

  private static void assertSameRows(Map<String, PredictionRow> local, Map<String, PredictionRow> fromSpark,
      PredictionSchema schema) {
    assertEquals(local.keySet(), fromSpark.keySet());
    for (PredictionRow l : local.values()) {
      PredictionRow s = fromSpark.get(l.inputId());
      assertEquals(l.error() == null, s.error() == null, l.inputId() + ": " + l.error() + " / " + s.error());
      if (s.error() != null) {
        assertFalse(s.error().contains("medvision-inputs-"), "the error names the input, not its copy: " + s.error());
      }
      assertEquals(l.seriesUid(), s.seriesUid());
      assertEquals(l.studyUid(), s.studyUid());
      for (String c : schema.outputColumns()) {
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
