package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.io.ProgressListener;
import org.medvision.runtime.batch.BatchFolder;
import org.medvision.runtime.batch.BatchInputs;
import org.medvision.runtime.batch.BatchRunner;
import org.medvision.runtime.batch.BatchSettings;
import org.medvision.runtime.batch.BatchSummary;
import org.medvision.runtime.batch.ModelSharing;
import org.medvision.runtime.batch.OutputFormat;
import org.medvision.runtime.batch.PredictionRow;

/**
 * The local batch runner against {@code predict}'s own code path ({@link StudyPrediction}) on a folder of 240
 * synthetic images with StrokeNeXt atto on ONNX Runtime: the same probabilities, resumption after a stop, a damaged
 * file as one error row, another model's folder refused, and Parquet holding what JSON lines holds.
 */
class BatchRunnerTest {
  private static final int IMAGES = 240;
  /** Float agreement with {@code predict}: the same batches through the same engine, so in practice bit for bit. */
  private static final float TOLERANCE = 1e-6f;
  static Engine engine;
  @TempDir static Path shared;
  static Path inputs;
  static ModelSource model;
  static Map<String, float[]> expected = new HashMap<>();

  @TempDir Path dir;

  @BeforeAll
  static void prepare() {
    engine = Models.MEDVISION.engine("onnx");
    inputs = shared.resolve("images");
    for (int i = 0; i < IMAGES; i++) {
      Models.png(inputs.resolve("g" + (i % 3)).resolve(String.format("img%03d.png", i)), i);
    }
    Path file = Models.checkpoint(shared.resolve("run").resolve("best.safetensors"), Models.atto("3class"), 11);
    model = ModelSource.load(Models.MEDVISION, file, ModelRequest.none());
    List<PredictionInput> found = PredictionInputs.collect(model.task().data(), List.of(inputs), w -> { },
        ProgressListener.NONE);
    try (Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 8)) {
      for (StudyPrediction.Outcome o : new StudyPrediction(predictor, PredictionOptions.none(), Map.of())
          .run(found, ProgressListener.NONE, w -> { })) {
        expected.put(o.input().label(), o.result().first(ClassProbabilities.class).orElseThrow().probabilities());
      }
    }
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  private static BatchSettings settings() {
    return BatchSettings.defaults().withRowsPerPart(32);
  }

  private static BatchSummary run(Path out, BatchSettings settings) {
    return run(inputs, out, settings);
  }

  private static BatchSummary run(Path in, Path out, BatchSettings settings) {
    return new BatchRunner(engine, model, CompileOptions.defaults(), settings).run(
        BatchInputs.of(model.task().data(), in), out, ProgressListener.NONE);
  }

  private static void assertAsPredicted(List<PredictionRow> rows) {
    for (PredictionRow r : rows) {
      float[] want = expected.get(r.path());
      assertNotNull(want, r.path());
      assertNull(r.error(), r.inputId());
      List<String> columns = List.of("p_normal", "p_ischemic", "p_hemorrhagic");
      float best = -1;
      String label = null;
      for (int c = 0; c < want.length; c++) {
        assertEquals(want[c], r.probability(columns.get(c)), TOLERANCE, r.inputId() + " " + columns.get(c));
        if (want[c] > best) {
          best = want[c];
          label = columns.get(c).substring(2);
        }
      }
      assertEquals(label, r.outputs().get("label"), r.inputId());
    }
  }

  /** A graph built for 64 px fed the 32 px images the task's preprocessing makes: the engine refuses the first run. */
  private static org.medvision.api.task.Task misfit() {
    org.medvision.api.task.Task small = Models.atto("3class");
    return org.medvision.api.task.Task.builder(small.name(), small.config(),
        Models.atto("3class", "image_size", "64").graph()).data(small.data()).output(small.outputs().get(0)).build();
  }

  private static List<String> sortedIds(List<PredictionRow> rows) {
    return rows.stream().map(PredictionRow::inputId).sorted().toList();
  }

  @Test
  void twoWorkersWithOneSharedModelGiveWhatPredictGivesForEveryImage() {
    Path out = dir.resolve("out");
    BatchSummary s = run(out, settings().withWorkers(2).withSharing(ModelSharing.SHARED));
    assertEquals(IMAGES, s.predicted());
    assertEquals(0, s.failed());
    List<PredictionRow> rows = BatchFolder.readRows(out, OutputFormat.JSONL);
    assertEquals(IMAGES, rows.size());
    assertEquals(IMAGES, rows.stream().map(PredictionRow::inputId).distinct().count());
    assertAsPredicted(rows);
    PredictionRow first = rows.get(0);
    assertEquals("strokenext", first.task());
    assertEquals(Provenance.weightsSha256(model), first.modelSha256());
    assertEquals("onnx", first.engine());
    assertTrue(first.inputId().matches("g[012]/img\\d{3}\\.png"), first.inputId());
  }

  @Test
  void parquetPartsHoldExactlyTheJsonLinesRowsAndOneModelPerWorkerAgrees() {
    Path out = dir.resolve("out");
    run(out, settings().withWorkers(2).withSharing(ModelSharing.PER_WORKER));
    List<PredictionRow> json = BatchFolder.readRows(out, OutputFormat.JSONL);
    List<PredictionRow> parquet = BatchFolder.readRows(out, OutputFormat.PARQUET);
    assertEquals(json, parquet);
    assertAsPredicted(parquet);
    long parts = count(out.resolve("parquet"), ".parquet");
    assertTrue(parts >= IMAGES / 40 && parts <= IMAGES / 32 + 2, parts + " parts of about 32 rows, one partial per worker");
  }

  @Test
  void aStoppedJobResumedGivesTheSameRowsNoneTwiceNoneMissing() throws IOException {
    Path out = dir.resolve("out");
    run(out, settings());
    List<String> complete = sortedIds(BatchFolder.readRows(out, OutputFormat.JSONL));
    long lost = 0;
    for (int part : new int[] {3, 5, 7}) {
      lost += Files.readAllLines(OutputFormat.JSONL.part(out, part)).size();
    }
    // What a kill leaves: parts missing, the last part renamed in one format only, temporary files half written.
    Files.delete(OutputFormat.JSONL.part(out, 7));
    Files.delete(OutputFormat.PARQUET.part(out, 7));
    Files.delete(OutputFormat.JSONL.part(out, 5));
    Files.delete(OutputFormat.JSONL.part(out, 3));
    Files.delete(OutputFormat.PARQUET.part(out, 3));
    Files.writeString(out.resolve("parquet").resolve(".part-00008.parquet.1234.tmp"), "half a file");
    Files.writeString(out.resolve("jsonl").resolve(".part-00008.jsonl.99.tmp"), "{\"input_id\":");
    // What a disk that lost its last writes may leave: a part whole in one format, cut short or garbled in the other.
    List<String> part1 = Files.readAllLines(OutputFormat.JSONL.part(out, 1));
    Files.write(OutputFormat.JSONL.part(out, 1), part1.subList(0, 10));
    Files.write(OutputFormat.PARQUET.part(out, 6), new byte[] {'P', 'A', 'R', '1', 0, 0});
    lost += part1.size() + Files.readAllLines(OutputFormat.JSONL.part(out, 6)).size();

    List<String> notes = new ArrayList<>();
    BatchSummary again = new BatchRunner(engine, model, CompileOptions.defaults(), settings()).run(
        BatchInputs.of(model.task().data(), inputs), out, new ProgressListener() {
          @Override
          public void progress(long done, long total) {}

          @Override
          public void note(String message) {
            notes.add(message);
          }
        });
    assertEquals(lost, again.predicted(), "parts 1, 3, 5, 6 and 7 redone");
    assertTrue(notes.stream().anyMatch(n -> n.startsWith("redoing a damaged part: ") && n.contains("part-00001.jsonl")
        && n.contains("holds other inputs than part-00001.parquet")), notes.toString());
    assertTrue(notes.stream().anyMatch(n -> n.contains("part-00006.parquet does not read")), notes.toString());
    assertEquals(IMAGES - lost, again.skipped());
    List<PredictionRow> rows = BatchFolder.readRows(out, OutputFormat.JSONL);
    assertEquals(complete, sortedIds(rows));
    assertEquals(complete, sortedIds(BatchFolder.readRows(out, OutputFormat.PARQUET)));
    assertAsPredicted(rows);
    assertEquals(0, count(out.resolve("parquet"), ".tmp") + count(out.resolve("jsonl"), ".tmp"));

    // The formats in another order are the same job.
    BatchSummary nothingLeft = run(out, settings().withFormats(List.of(OutputFormat.JSONL, OutputFormat.PARQUET)));
    assertEquals(0, nothingLeft.predicted());
    assertEquals(IMAGES, nothingLeft.skipped());
  }

  @Test
  void aDamagedImageAmongGoodOnesIsOneErrorRowAndTheOthersKeepTheirPredictions() throws IOException {
    Path in = dir.resolve("in");
    for (int i = 0; i < 12; i++) {
      Files.copy(inputs.resolve("g" + (i % 3)).resolve(String.format("img%03d.png", i)),
          Files.createDirectories(in).resolve(String.format("img%03d.png", i)));
    }
    // One in the first batch (predicted before the workers start), one in a worker's batch.
    Files.write(in.resolve("img004.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
    Files.write(in.resolve("img010.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
    Path out = dir.resolve("out");
    BatchSummary s = run(in, out, settings().withBatchSize(8));
    assertEquals(10, s.predicted());
    assertEquals(2, s.failed());
    List<PredictionRow> rows = BatchFolder.readRows(out, OutputFormat.PARQUET);
    List<PredictionRow> bad = rows.stream().filter(PredictionRow::failed).toList();
    assertEquals(List.of("img004.png", "img010.png"), sortedIds(bad));
    for (PredictionRow b : bad) {
      assertTrue(b.error().contains(b.inputId()), b.error());
      assertNull(b.probability("p_normal"));
    }
    BatchSummary again = run(in, out, settings().withBatchSize(8));
    assertEquals(0, again.failed());
    assertEquals(2, again.failedBefore(), "the folder still holds two error rows");
    assertEquals(2, again.failedInAll());
    for (PredictionRow r : rows) {
      if (!r.failed()) {
        float[] want = expected.get(inputs.resolve("g" + (Integer.parseInt(r.inputId().substring(3, 6)) % 3))
            .resolve(r.inputId()).toString());
        assertEquals(want[0], r.probability("p_normal"), TOLERANCE, r.inputId());
      }
    }
  }

  @Test
  void anotherModelsFolderIsRefusedNamingTheDifferenceUnlessForced() {
    Path in = dir.resolve("in");
    Models.png(in.resolve("a.png"), 1);
    Path out = dir.resolve("out");
    run(in, out, settings());
    Path other = Models.checkpoint(dir.resolve("other").resolve("best.safetensors"), Models.atto("3class"), 12);
    ModelSource otherModel = ModelSource.load(Models.MEDVISION, other, ModelRequest.none());
    BatchRunner runner = new BatchRunner(engine, otherModel, CompileOptions.defaults(), settings());
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> runner.run(BatchInputs.of(otherModel.task().data(), in), out, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("model SHA-256 " + Provenance.weightsSha256(model) + " in the folder, "
        + Provenance.weightsSha256(otherModel) + " now"), e.getMessage());
    assertTrue(e.getMessage().contains("--force"), e.getMessage());

    BatchSummary forced = new BatchRunner(engine, otherModel, CompileOptions.defaults(), settings().withForce(true))
        .run(BatchInputs.of(otherModel.task().data(), in), out, ProgressListener.NONE);
    assertEquals(1, forced.predicted());
    List<PredictionRow> rows = BatchFolder.readRows(out, OutputFormat.JSONL);
    assertEquals(1, rows.size());
    assertEquals(Provenance.weightsSha256(otherModel), rows.get(0).modelSha256());
  }

  @Test
  void inputsAVolumeTaskCannotUseAreRefusedBeforeAnythingIsWritten() {
    Path in = dir.resolve("in");
    Models.png(in.resolve("a.png"), 1);
    ModelSource volume = ModelSource.random(Models.tinyVolume("narrow"), 3);
    Path out = dir.resolve("out");
    MedvisionException e = assertThrows(MedvisionException.class, () -> new BatchRunner(engine, volume,
        CompileOptions.defaults(), settings()).run(BatchInputs.of(volume.task().data(), in), out,
        ProgressListener.NONE));
    assertTrue(e.getMessage().contains("nothing to predict"), e.getMessage());
    assertTrue(!Files.exists(out.resolve(BatchFolder.HEADER)), "no header for a job that never started");
  }

  @Test
  void aModelThatDoesNotFitTheInputsFailsOnTheFirstOneBeforeAnythingIsWritten() {
    ModelSource wrong = ModelSource.random(misfit(), 5);
    Path out = dir.resolve("out");
    MedvisionException e = assertThrows(MedvisionException.class, () -> new BatchRunner(engine, wrong,
        CompileOptions.defaults(), settings()).run(BatchInputs.of(wrong.task().data(), inputs), out,
        ProgressListener.NONE));
    assertTrue(e.getMessage().contains("does not fit the inputs") && e.getMessage().contains("g0/img000.png"),
        e.getMessage());
    assertTrue(!Files.exists(out.resolve(BatchFolder.HEADER)), "nothing written");
    assertTrue(!Files.exists(out.resolve("jsonl")), "nothing written");
  }

  @Test
  void aFirstBatchOfDamagedFilesDoesNotHideAModelThatDoesNotFit() throws IOException {
    Path in = dir.resolve("in");
    for (int i = 0; i < 9; i++) {
      Files.write(Files.createDirectories(in).resolve("a" + i + ".png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }
    Files.copy(inputs.resolve("g0").resolve("img000.png"), in.resolve("b.png"));
    ModelSource wrong = ModelSource.random(misfit(), 5);
    Path out = dir.resolve("out");
    MedvisionException e = assertThrows(MedvisionException.class, () -> new BatchRunner(engine, wrong,
        CompileOptions.defaults(), settings().withBatchSize(8)).run(BatchInputs.of(wrong.task().data(), in), out,
        ProgressListener.NONE));
    assertTrue(e.getMessage().contains("does not fit the inputs") && e.getMessage().contains("b.png"),
        e.getMessage());
    assertTrue(!Files.exists(out.resolve(BatchFolder.HEADER)), "nothing written");
  }

  @Test
  void aFailureToWriteResultsEndsTheJobWithItsCauseAndNoWorkerLeftWaiting() throws IOException {
    Path out = dir.resolve("out");
    // A file where the JSON-lines folder should be: every part fails to write.
    Files.createDirectories(out);
    Files.writeString(out.resolve("jsonl"), "in the way");
    BatchRunner runner = new BatchRunner(engine, model, CompileOptions.defaults(), BatchSettings.defaults()
        .withWorkers(2).withRowsPerPart(8).withBatchSize(4));
    // 240 inputs against a queue of 16: the folder walk blocks on the full queue when the workers stop.
    MedvisionException e = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> assertThrows(
        MedvisionException.class, () -> runner.run(BatchInputs.of(model.task().data(), inputs), out,
        ProgressListener.NONE)));
    assertTrue(e.getMessage().contains("cannot write part") && e.getMessage().contains("jsonl"), e.getMessage());
    assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("medvision-batch-")),
        "every worker thread has ended");
  }

  @Test
  void anOutputFolderInsideTheInputFolderIsNoInput() throws IOException {
    Path in = dir.resolve("in");
    for (int i = 0; i < 3; i++) {
      Files.copy(inputs.resolve("g" + i).resolve(String.format("img%03d.png", i)),
          Files.createDirectories(in).resolve("img" + i + ".png"));
    }
    Path out = in.resolve("preds");
    assertEquals(3, run(in, out, settings()).predicted());
    // As --write-map would leave: an image under the output folder.
    Files.copy(in.resolve("img0.png"), Files.createDirectories(out.resolve("maps")).resolve("overlay.png"));
    BatchSummary again = run(in, out, settings());
    assertEquals(0, again.predicted());
    assertEquals(3, again.skipped());
    assertEquals(List.of("img0.png", "img1.png", "img2.png"), sortedIds(BatchFolder.readRows(out,
        OutputFormat.JSONL)));
  }

  @Test
  void dicomSlicesAndNiftiSlicesGiveWhatPredictGivesWithTheirUids() {
    Path in = dir.resolve("mixed");
    List<Path> ct = Models.ctSeries(in.resolve("ct"), 4, 9);
    Models.nifti(in.resolve("vol.nii.gz"), 40, 36, 3, org.medvision.io.volume.Affine.identity(), 4);
    Map<String, float[]> want = new HashMap<>();
    List<PredictionInput> found = PredictionInputs.collect(model.task().data(), List.of(in), w -> { },
        ProgressListener.NONE);
    try (Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 8)) {
      for (StudyPrediction.Outcome o : new StudyPrediction(predictor, PredictionOptions.none(), Map.of())
          .run(found, ProgressListener.NONE, w -> { })) {
        want.put(o.input().label(), o.result().first(ClassProbabilities.class).orElseThrow().probabilities());
      }
    }
    Path out = dir.resolve("out");
    assertEquals(7, run(in, out, settings().withWorkers(2)).predicted());
    List<PredictionRow> rows = BatchFolder.readRows(out, OutputFormat.JSONL);
    assertEquals(7, rows.size());
    for (PredictionRow r : rows) {
      int slice = r.inputId().indexOf("#slice=");
      String label = slice < 0 ? r.path() : r.path() + " slice " + r.inputId().substring(slice + 7);
      float[] p = want.get(label);
      assertNotNull(p, label + " among " + want.keySet());
      assertEquals(p[2], r.probability("p_hemorrhagic"), TOLERANCE, label);
      assertEquals(slice < 0, r.studyUid() != null, label);
    }
    assertEquals(ct.size(), rows.stream().filter(r -> r.seriesUid() != null).count());
  }

  @Test
  void aVolumeTaskWritesItsMapsNamedAfterTheInputAndRecordsTheirPaths() {
    Path in = dir.resolve("scans");
    Models.nifti(in.resolve("a.nii.gz"), 12, 10, 8, org.medvision.io.volume.Affine.identity(), 1);
    Models.nifti(in.resolve("sub").resolve("a.nii.gz"), 12, 10, 8, org.medvision.io.volume.Affine.identity(), 2);
    ModelSource volume = ModelSource.random(Models.tinyVolume("narrow"), 3);
    Path out = dir.resolve("out");
    BatchSummary s = new BatchRunner(engine, volume, CompileOptions.defaults(), settings().withWriteMaps(true))
        .run(BatchInputs.of(volume.task().data(), in), out, ProgressListener.NONE);
    assertEquals(2, s.predicted());
    List<PredictionRow> rows = BatchFolder.readRows(out, OutputFormat.PARQUET);
    assertEquals(List.of("a.nii.gz", "sub/a.nii.gz"), sortedIds(rows));
    for (PredictionRow r : rows) {
      for (String column : List.of("map_map", "image_map")) {
        String map = (String) r.outputs().get(column);
        assertNotNull(map, r.inputId() + " " + column);
        assertTrue(Files.isRegularFile(Path.of(map)) && Path.of(map).startsWith(out.resolve(BatchFolder.MAPS)), map);
      }
      assertNotNull(r.outputs().get("label"));
    }
    assertTrue(!rows.get(0).outputs().get("map_map").equals(rows.get(1).outputs().get("map_map")),
        "two inputs of one file name get two files");
  }

  private static long count(Path folder, String suffix) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static List<String> lines(List<PredictionRow> rows) {
    List<String> out = new ArrayList<>();
    rows.forEach(r -> out.add(r.toString()));
    return out;
  }
}
