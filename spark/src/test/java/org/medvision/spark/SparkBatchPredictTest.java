package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.io.ProgressListener;
import org.medvision.runtime.ModelRequest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.PredictionInput;
import org.medvision.runtime.PredictionInputs;
import org.medvision.runtime.PredictionOptions;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.StudyPrediction;
import org.medvision.runtime.batch.BatchInputs;
import org.medvision.runtime.batch.BatchRunner;
import org.medvision.runtime.batch.BatchSettings;
import org.medvision.runtime.batch.BatchSummary;
import org.medvision.runtime.batch.PredictionRow;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * The Spark job in {@code local[2]} against the local batch runner on the same few hundred StrokeNeXt inputs: the
 * same rows, the model loaded once per JVM, a damaged file as one error row, {@code binaryFile} rows like path rows,
 * and the {@code spark-submit} entry point writing the same Parquet.
 */
class SparkBatchPredictTest {
  /** Spark and the local runner both run ONNX Runtime on the same inputs, in other batches; float32 agrees this closely. */
  private static final float TOLERANCE = 1e-6f;
  private static final int IMAGES = 240;

  @TempDir static Path dir;
  static Path model;
  static Path inputs;
  static SparkSession spark;

  @BeforeAll
  static void setUp() {
    model = Fixtures.checkpoint(dir.resolve("model").resolve("best.safetensors"), Fixtures.atto(), 7);
    inputs = dir.resolve("in");
    Fixtures.pngs(inputs, IMAGES, 11);
    Fixtures.corruptPng(inputs.resolve("site1").resolve("broken.png"));
    Fixtures.write(inputs.resolve("site2").resolve("notes.txt"), "not an input: passed over, as in a local run");
    spark = LocalSpark.session();
  }

  private static SparkBatchPredict job() {
    return SparkBatchPredict.builder(spark, model.toString()).medvision(Fixtures.MEDVISION)
        .idsRelativeTo(inputs.toString()).inputsAreListing(true).batchSize(8).build();
  }

  /** Every file under the inputs as a {@code path} column, spread over four partitions. */
  private static Dataset<Row> pathRows() throws Exception {
    List<String> paths = new ArrayList<>();
    try (var walk = Files.walk(inputs)) {
      walk.filter(Files::isRegularFile).forEach(p -> paths.add(p.toString()));
    }
    return spark.createDataset(paths, Encoders.STRING()).toDF(SparkBatchPredict.PATH).repartition(4);
  }

  private static Map<String, PredictionRow> byId(PredictionSchema schema, List<Row> rows) {
    Map<String, PredictionRow> out = new TreeMap<>();
    for (Row r : rows) {
      PredictionRow p = SparkRows.fromRow(schema, r);
      assertNull(out.put(p.inputId(), p), "duplicate row for " + p.inputId());
    }
    return out;
  }

  /**
   * The local runner's rows for the same folder ({@code medvision batch --workers 2}), as Spark reads its Parquet part
   * files; written once.
   */
  private static synchronized Dataset<Row> localRunnerParquet() {
    Path out = dir.resolve("local");
    if (!Files.isDirectory(out)) {
      ModelSource source = ModelSource.load(Fixtures.MEDVISION, model, ModelRequest.none());
      try (Engine engine = Fixtures.MEDVISION.engine("onnx")) {
        BatchSummary summary = new BatchRunner(engine, source, CompileOptions.defaults(), BatchSettings.defaults()
            .withWorkers(2).withRowsPerPart(64)).run(BatchInputs.of(source.task().data(), inputs), out,
            ProgressListener.NONE);
        assertEquals(IMAGES, summary.predicted());
        assertEquals(1, summary.failed());
      }
    }
    return spark.read().parquet(out.resolve("parquet").toString());
  }

  private static Map<String, PredictionRow> localRunnerRows(PredictionSchema schema) {
    return byId(schema, localRunnerParquet().collectAsList());
  }

  /** {@code predict}'s class probabilities, one image at a time, by input id. */
  private static Map<String, float[]> predictOneByOne() {
    ModelSource source = ModelSource.load(Fixtures.MEDVISION, model, ModelRequest.none());
    Map<String, float[]> out = new TreeMap<>();
    try (Engine engine = Fixtures.MEDVISION.engine("onnx");
        Predictor predictor = new Predictor(engine, source, CompileOptions.defaults(), 1)) {
      List<PredictionInput> found = new ArrayList<>();
      for (int i = 0; i < IMAGES; i++) {
        found.addAll(PredictionInputs.collect(source.task().data(),
            List.of(inputs.resolve("site" + (i % 3)).resolve(String.format("img%04d.png", i))), w -> { },
            ProgressListener.NONE));
      }
      StudyPrediction prediction = new StudyPrediction(predictor, PredictionOptions.none(), Map.of());
      for (StudyPrediction.Outcome o : prediction.run(found, ProgressListener.NONE, w -> { })) {
        Path file = ((PredictionInput.ImageFile) o.input()).file();
        ClassProbabilities p = (ClassProbabilities) o.result().predictions().values().iterator().next();
        out.put(inputs.relativize(file).toString().replace('\\', '/'), p.probabilities());
      }
    }
    return out;
  }

  private static void assertSameRows(Map<String, PredictionRow> expected, Map<String, PredictionRow> actual,
      PredictionSchema schema) {
    assertEquals(expected.keySet(), actual.keySet());
    for (String id : expected.keySet()) {
      PredictionRow e = expected.get(id);
      PredictionRow a = actual.get(id);
      assertEquals(e.error() == null, a.error() == null, id + ": " + e.error() + " / " + a.error());
      for (String c : schema.outputColumns()) {
        Object ev = e.outputs().get(c);
        Object av = a.outputs().get(c);
        if (ev instanceof Float ef) {
          assertEquals(ef, (Float) av, TOLERANCE, id + " " + c);
        } else {
          assertEquals(ev, av, id + " " + c);
        }
      }
      assertEquals(e.modelSha256(), a.modelSha256());
      assertEquals(e.task(), a.task());
    }
  }

  @Test
  void pathRowsGiveTheCoresRowsAndPredictsProbabilitiesWithTheModelLoadedOncePerJvm() throws Exception {
    SparkBatchPredict job = job();
    // Loads are counted from here, whatever other tests of this JVM left loaded.
    ExecutorModels.closeAll();
    int loadsBefore = ExecutorModels.loads();
    Map<String, PredictionRow> spark = byId(job.predictionSchema(), job.predict(pathRows()).collectAsList());
    // Four partitions on two task threads: one load; a second job with the same model and engine loads nothing.
    assertEquals(1, ExecutorModels.loads() - loadsBefore);
    job().predict(pathRows().limit(10)).count();
    assertEquals(1, ExecutorModels.loads() - loadsBefore);

    assertEquals(IMAGES + 1, spark.size(), "every image and the damaged file, not the notes");
    assertSameRows(localRunnerRows(job.predictionSchema()), spark, job.predictionSchema());

    Map<String, float[]> predicted = predictOneByOne();
    List<String> classes = job.predictionSchema().outputColumns().subList(1, 4);
    for (Map.Entry<String, float[]> e : predicted.entrySet()) {
      PredictionRow row = spark.get(e.getKey());
      assertNotNull(row, e.getKey());
      for (int k = 0; k < classes.size(); k++) {
        assertEquals(e.getValue()[k], row.probability(classes.get(k)), TOLERANCE, e.getKey() + " " + classes.get(k));
      }
    }

    PredictionRow broken = spark.get("site1/broken.png");
    assertNotNull(broken.error());
    assertTrue(broken.error().contains("broken.png"), broken.error());
    broken.outputs().values().forEach(v -> assertNull(v, "an error row holds no prediction"));
  }

  @Test
  void binaryFileRowsArePredictedFromTheirBytesAsPathRowsFromTheirFiles() throws Exception {
    // A copy of the inputs, read by the binaryFile source and held in memory, then deleted: only the content column
    // is left to predict from.
    Path copy = dir.resolve("copied");
    try (var walk = Files.walk(inputs)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        Path target = copy.resolve(inputs.relativize(p).toString());
        Files.createDirectories(target.getParent());
        Files.copy(p, target);
      }
    }
    Dataset<Row> read = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(copy.toString());
    Dataset<Row> files = spark.createDataFrame(read.collectAsList(), read.schema()).repartition(3);
    TempFiles.deleteTree(copy);
    assertTrue(Files.notExists(copy));

    SparkBatchPredict fromCopy = SparkBatchPredict.builder(spark, model.toString()).medvision(Fixtures.MEDVISION)
        .idsRelativeTo(copy.toString()).inputsAreListing(true).batchSize(8).build();
    Map<String, PredictionRow> fromBytes = byId(fromCopy.predictionSchema(),
        fromCopy.predict(files).collectAsList());
    SparkBatchPredict job = job();
    Map<String, PredictionRow> fromPaths = byId(job.predictionSchema(), job.predict(pathRows()).collectAsList());
    assertEquals(IMAGES + 1, fromBytes.size(), "every image and the damaged file, not the notes");
    assertSameRows(fromPaths, fromBytes, job.predictionSchema());
    assertEquals(job.schema(), fromCopy.predict(files).schema());
  }

  @Test
  void aJobWithAnotherBatchSizeRunsOnACopyMadeWithItsBatchSize() throws Exception {
    ExecutorModels.closeAll();
    int loadsBefore = ExecutorModels.loads();
    job().predict(pathRows().limit(10)).count();
    SparkBatchPredict three = SparkBatchPredict.builder(spark, model.toString()).medvision(Fixtures.MEDVISION)
        .idsRelativeTo(inputs.toString()).inputsAreListing(true).batchSize(3).build();
    three.predict(pathRows().limit(10)).count();
    assertEquals(2, ExecutorModels.loads() - loadsBefore, "a job asking for batches of 3 reuses no copy of batch 8");
    try (CopyPool<Predictor>.Lease lease = ExecutorModels.get(three.handle(),
        spark.sparkContext().hadoopConfiguration()).borrow()) {
      assertEquals(3, lease.copy().batchSize());
    }
  }

  @Test
  void everyPartitionGivesItsCompiledCopyBackAlsoWhenNotReadToTheEnd() throws Exception {
    SparkBatchPredict job = job();
    assertEquals(IMAGES + 1, job.predict(pathRows()).collectAsList().size());
    ExecutorModels.Loaded loaded = ExecutorModels.get(job.handle(), spark.sparkContext().hadoopConfiguration());
    assertEquals(0, loaded.lent());
    // A limit stops reading a partition's rows early; the task's end gives the copy back.
    assertEquals(3, job.predict(pathRows()).limit(3).collectAsList().size());
    assertEquals(0, loaded.lent());
  }

  @Test
  void aManifestGivesTheLocalRunnersRowsWithAnEmptyCellAsAnErrorAndARepeatedCellOnce() throws Exception {
    Path manifest = dir.resolve("lists").resolve("manifest.csv");
    Path relative = manifest.getParent().relativize(inputs);
    Files.createDirectories(manifest.getParent());
    Files.writeString(manifest, String.join("\n",
        "label,path",
        "a," + relative.resolve("site0/img0000.png"),
        "b,  " + relative.resolve("site1/img0001.png") + "  ",
        "",
        "c,",
        "a," + relative.resolve("site0/img0000.png"),
        "d," + inputs.resolve("site2/img0002.png"),
        "e,\"" + relative.resolve("site1/broken.png") + "\"",
        "f"));
    Path out = dir.resolve("manifest-out");
    String[] args = {"--model", model.toString(), "--input", manifest.toString(), "--out", out.toString(),
        "--partitions", "3"};
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    assertEquals(0, BatchPredict.run(args, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(stderr, true, StandardCharsets.UTF_8)), stderr.toString(StandardCharsets.UTF_8));
    SparkBatchPredict job = job();
    Map<String, PredictionRow> fromSpark = byId(job.predictionSchema(),
        spark.read().parquet(out.resolve("parquet").toString()).collectAsList());

    Path local = dir.resolve("manifest-local");
    ModelSource source = ModelSource.load(Fixtures.MEDVISION, model, ModelRequest.none());
    try (Engine engine = Fixtures.MEDVISION.engine("onnx")) {
      new BatchRunner(engine, source, CompileOptions.defaults(), BatchSettings.defaults()).run(
          BatchInputs.of(source.task().data(), manifest), local, ProgressListener.NONE);
    }
    Map<String, PredictionRow> fromLocal = byId(job.predictionSchema(),
        spark.read().parquet(local.resolve("parquet").toString()).collectAsList());

    assertEquals(fromLocal.keySet(), fromSpark.keySet());
    assertEquals(6, fromSpark.size(), "four images, two empty cells: " + fromSpark.keySet());
    assertSameRows(fromLocal, fromSpark, job.predictionSchema());
    for (String id : List.of("manifest.csv line 5", "manifest.csv line 9")) {
      assertEquals(fromLocal.get(id).error(), fromSpark.get(id).error());
      assertEquals("", fromSpark.get(id).path());
    }
  }

  @Test
  void theLocalRunnersParquetReadsInSparkWithTheSchemaOfSparksRows() {
    assertEquals(job().schema(), localRunnerParquet().schema());
  }

  @Test
  void aModelShippedWithTheJobIsFoundByItsFileName() throws Exception {
    // spark-submit --files best.safetensors,best.json --model best.safetensors: no executor has the path as given.
    Path shipped = dir.resolve("shipped");
    Files.createDirectories(shipped);
    Files.copy(model, shipped.resolve("ship.safetensors"));
    Files.writeString(shipped.resolve("ship.json"), Files.readString(model.resolveSibling("best.json"))
        .replace("\"best.safetensors\"", "\"ship.safetensors\""));
    spark.sparkContext().addFile(shipped.resolve("ship.safetensors").toString());
    spark.sparkContext().addFile(shipped.resolve("ship.json").toString());
    SparkBatchPredict job = SparkBatchPredict.builder(spark, "ship.safetensors").medvision(Fixtures.MEDVISION)
        .idsRelativeTo(inputs.toString()).build();
    Map<String, PredictionRow> rows = byId(job.predictionSchema(), job.predict(pathRows()
        .filter(functions.col(SparkBatchPredict.PATH).rlike("/img00[0-9][0-9][.]png$")).limit(12)).collectAsList());
    assertEquals(12, rows.size());
    Map<String, PredictionRow> local = localRunnerRows(job.predictionSchema());
    local.keySet().retainAll(rows.keySet());
    assertSameRows(local, rows, job.predictionSchema());
  }

  @Test
  void aModelAndInputsOnAnotherFileSystemAreFetchedByTheExecutors() {
    // As with s3a credentials on a cluster, the file system is known from the driver's Hadoop configuration, which the
    // job broadcasts (in local mode Hadoop's file system cache is shared too, so this does not isolate the broadcast).
    spark.sparkContext().hadoopConfiguration().set("fs." + RemoteLikeFileSystem.SCHEME + ".impl",
        RemoteLikeFileSystem.class.getName());
    String remote = RemoteLikeFileSystem.SCHEME + "://";
    ExecutorModels.closeAll();
    SparkBatchPredict job = SparkBatchPredict.builder(spark, remote + model.toUri().getPath())
        .medvision(Fixtures.MEDVISION).idsRelativeTo(remote + inputs.toUri().getPath()).build();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      paths.add(remote + inputs.resolve("site" + (i % 3)).resolve(String.format("img%04d.png", i)).toUri().getPath());
    }
    paths.add(remote + inputs.resolve("site1").resolve("broken.png").toUri().getPath());
    Map<String, PredictionRow> rows = byId(job.predictionSchema(), job.predict(spark.createDataset(paths,
        Encoders.STRING()).toDF(SparkBatchPredict.PATH).repartition(2)).collectAsList());

    Map<String, PredictionRow> local = localRunnerRows(job.predictionSchema());
    local.keySet().retainAll(rows.keySet());
    assertEquals(17, local.size());
    assertSameRows(local, rows, job.predictionSchema());
    String error = rows.get("site1/broken.png").error();
    assertTrue(error.contains(remote) && !error.contains("medvision-inputs-"),
        "the error names the file as given, not its local copy: " + error);
  }

  @Test
  void aModelThatIsNowhereIsAnErrorBeforeAnyTaskRuns() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> SparkBatchPredict.builder(spark,
        dir.resolve("missing").resolve("best.safetensors").toString()).medvision(Fixtures.MEDVISION).build());
    assertTrue(e.getMessage().contains("not found on the driver") && e.getMessage().contains("--files"),
        e.getMessage());
  }

  @Test
  void aFileThatIsGoneIsAnErrorRowNamingItAsGiven() {
    // A listing is read later than it is made; a file deleted in between is one error row.
    String gone = inputs.resolve("site0").resolve("deleted.png").toUri().toString();
    SparkBatchPredict job = job();
    List<Row> rows = job.predict(spark.createDataset(List.of(gone), Encoders.STRING()).toDF(SparkBatchPredict.PATH))
        .collectAsList();
    assertEquals(1, rows.size());
    assertEquals(gone + ": not found", SparkRows.fromRow(job.predictionSchema(), rows.get(0)).error());
  }

  @Test
  void inputsWithoutAPathColumnAreRefusedNamingTheColumns() {
    Dataset<Row> wrong = spark.createDataset(List.of("a.png"), Encoders.STRING()).toDF("file");
    MedvisionException e = assertThrows(MedvisionException.class, () -> job().predict(wrong));
    assertTrue(e.getMessage().contains("no 'path' column") && e.getMessage().contains("[file]"), e.getMessage());
  }

  @Test
  void sparkSubmitEntryPointWritesParquetInTheSchemaAndRefusesToOverwrite() {
    Path out = dir.resolve("out");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    String[] args = {"--model", model.toString(), "--input", inputs.toString(), "--out", out.toString(),
        "--batch", "16", "--partitions", "3"};
    int code = BatchPredict.run(args, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8));
    assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith((IMAGES + 1) + " rows (1 inputs failed"),
        stdout.toString(StandardCharsets.UTF_8));

    Dataset<Row> written = spark.read().parquet(out.resolve("parquet").toString());
    SparkBatchPredict job = job();
    assertEquals(job.schema(), written.schema());
    Map<String, PredictionRow> rows = byId(job.predictionSchema(), written.collectAsList());
    assertEquals(IMAGES + 1, rows.size());
    assertSameRows(localRunnerRows(job.predictionSchema()), rows, job.predictionSchema());

    assertEquals(1, BatchPredict.run(args, new PrintStream(stdout), new PrintStream(stderr)));
    assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("exists; give --overwrite"),
        stderr.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aWrongCommandLineIsAUsageErrorWithTheUsage() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = BatchPredict.run(new String[] {"--model", "m.safetensors", "--out", "o"}, new PrintStream(
        new ByteArrayOutputStream()), new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    String text = stderr.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("error: missing required option --input\nusage: spark-submit"), text);
  }
}
