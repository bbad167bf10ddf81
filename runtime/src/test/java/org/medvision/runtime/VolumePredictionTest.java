package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.io.ProgressListener;
import org.medvision.io.dicom.StudyScanner;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/**
 * Whole-scan prediction with the tiny volume task, whose map is a function of each voxel alone: on a grid the model
 * reads unresized, every voxel of the map written back onto the source must be {@code sigmoid(w * v + b)} of the
 * voxel's own clipped and scaled value, wherever reorientation moved it.
 */
class VolumePredictionTest {
  /** float32 through ONNX Runtime against the same formula in double. */
  private static final double MAP_TOLERANCE = 1e-5;
  /** NIfTI stores the affine as float32. */
  private static final double AFFINE_TOLERANCE = 1e-4;

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

  private ModelSource model(String input, long seed) {
    Path file = dir.resolve("model-" + input).resolve("best.safetensors");
    Models.checkpoint(file, Models.tinyVolume("narrow", "input", input), seed);
    return ModelSource.load(Models.MEDVISION, file, ModelRequest.none());
  }

  private List<StudyPrediction.Outcome> predict(ModelSource model, PredictionOptions options, Path... inputs) {
    List<PredictionInput> found = PredictionInputs.collect(model.task().data(), List.of(inputs), warnings::add,
        ProgressListener.NONE);
    try (Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 2)) {
      return new StudyPrediction(predictor, options, Provenance.of(model, engine, CompileOptions.defaults()))
          .run(found, ProgressListener.NONE, warnings::add);
    }
  }

  /** What the map must hold at a source voxel of value {@code v}. */
  private static double expectedMap(ModelSource model, float v) {
    Map<String, org.medvision.api.tensor.Tensor> w = model.members().get(0).weights().tensors();
    double scaled = (Math.min(TinyVolumeTaskProvider.CLIP_HIGH, Math.max(TinyVolumeTaskProvider.CLIP_LOW, v))
        - TinyVolumeTaskProvider.CLIP_LOW) / (TinyVolumeTaskProvider.CLIP_HIGH - TinyVolumeTaskProvider.CLIP_LOW);
    double z = w.get("map_head.weight").toFloatArray()[0] * scaled + w.get("map_head.bias").toFloatArray()[0];
    return 1 / (1 + Math.exp(-z));
  }

  private static void assertMapOnSource(ModelSource model, Volume source, Volume map) {
    assertArrayEquals(source.dims(), map.dims());
    assertTrue(source.affine().maxAbsDifference(map.affine()) < AFFINE_TOLERANCE,
        source.affine() + " vs " + map.affine());
    for (int z = 0; z < source.nz(); z++) {
      for (int y = 0; y < source.ny(); y++) {
        for (int x = 0; x < source.nx(); x++) {
          assertEquals(expectedMap(model, source.get(x, y, z)), map.get(x, y, z), MAP_TOLERANCE,
              "voxel " + x + "," + y + "," + z);
        }
      }
    }
  }

  @Test
  void aDicomSeriesGetsItsMapOnTheSeriesGridAnSrAndOneOverlayPerSlice() {
    Path series = dir.resolve("series");
    List<Path> slices = Models.ctSeries(series, 3, 4);
    ModelSource model = model("3x32x32", 5);
    Path out = dir.resolve("out");
    PredictionOptions options = new PredictionOptions(out.resolve("sr"), out.resolve("sc"), out.resolve("maps"),
        null, null);

    List<StudyPrediction.Outcome> outcomes = predict(model, options, series);
    assertEquals(1, outcomes.size());
    StudyPrediction.Outcome outcome = outcomes.get(0);
    String seriesUid = DicomOutputs.read(slices.get(0)).getString(Tags.SERIES_INSTANCE_UID);
    Path sr = out.resolve("sr").resolve("SR_" + seriesUid + ".dcm");
    Path map = out.resolve("maps").resolve("map_" + seriesUid + ".nii.gz");
    Path image = out.resolve("maps").resolve("image_" + seriesUid + ".nii.gz");
    List<Path> overlays = new ArrayList<>();
    for (Path slice : slices) {
      overlays.add(out.resolve("sc").resolve("map_SC_" + DicomOutputs.sop(slice) + ".dcm"));
    }
    Set<Path> expected = new HashSet<>(overlays);
    expected.add(sr);
    expected.add(map);
    expected.add(image);
    assertEquals(expected, new HashSet<>(outcome.written()));
    assertEquals(List.of(), warnings);

    Volume source = new StudyScanner().scan(series).series().get(0).volume();
    assertMapOnSource(model, source, new NiftiReader().read(map).volume());
    // The generated image holds the same values as the map, and goes back onto the source the same way.
    assertMapOnSource(model, source, new NiftiReader().read(image).volume());

    DataSet report = DicomOutputs.read(sr);
    assertEquals(Uids.COMPREHENSIVE_SR_STORAGE, report.getString(Tags.SOP_CLASS_UID));
    assertEquals(DicomOutputs.read(slices.get(0)).getString(Tags.STUDY_INSTANCE_UID),
        report.getString(Tags.STUDY_INSTANCE_UID));
    ClassProbabilities predicted = outcome.result().first(ClassProbabilities.class).orElseThrow();
    Map<String, Double> reported = DicomOutputs.probabilities(report);
    assertEquals(TinyVolumeTaskProvider.CLASSES, List.copyOf(reported.keySet()));
    for (int k = 0; k < predicted.labels().size(); k++) {
      assertEquals(predicted.probability(k), reported.get(predicted.labels().get(k)), 1e-6, predicted.labels()
          .get(k));
    }
    assertEquals(new HashSet<>(slices.stream().map(DicomOutputs::sop).toList()),
        new HashSet<>(DicomOutputs.evidence(report)));
    assertEquals(model.members().get(0).sha256(), DicomOutputs.texts(report).get("weights.sha256"));
    assertEquals("onnx", DicomOutputs.texts(report).get("engine"));

    for (int i = 0; i < slices.size(); i++) {
      DataSet sc = DicomOutputs.read(overlays.get(i));
      assertEquals(DicomOutputs.sop(slices.get(i)), DicomOutputs.source(sc));
      assertEquals(32, sc.getInt(Tags.ROWS));
      assertEquals(32, sc.getInt(Tags.COLUMNS));
      assertEquals(3, sc.getInt(Tags.SAMPLES_PER_PIXEL));
    }
  }

  @Test
  void anEnsemblesSrNamesEveryMembersWeights() {
    Path series = dir.resolve("series");
    List<Path> slices = Models.ctSeries(series, 2, 11);
    Path run = dir.resolve("run");
    Path best = Models.checkpoint(run.resolve("best.safetensors"), Models.tinyVolume("narrow", "input", "2x32x32"), 1);
    Path earlier = Models.checkpoint(run.resolve("epoch5.safetensors"), Models.tinyVolume("narrow", "input",
        "2x32x32"), 2);
    ModelSource ensemble = EnsembleFile.write(Models.MEDVISION, dir.resolve("ensemble.json"), List.of(best, earlier),
        Models.VERSION);
    Path out = dir.resolve("sr");
    predict(ensemble, new PredictionOptions(out, null, null, null, null), series);

    String seriesUid = DicomOutputs.read(slices.get(0)).getString(Tags.SERIES_INSTANCE_UID);
    Map<String, String> texts = DicomOutputs.texts(DicomOutputs.read(out.resolve("SR_" + seriesUid + ".dcm")));
    for (ModelSource.Member m : ensemble.members()) {
      assertEquals(m.sha256(), texts.get("member " + m.name() + " weights.sha256"), texts.toString());
    }
    assertEquals("ensemble.json (mean of 2 members)", texts.get("ensemble"));
  }

  @Test
  void theSeriesObjectsPassDciodvfy() {
    Path series = dir.resolve("series");
    Models.ctSeries(series, 2, 6);
    Path out = dir.resolve("out");
    List<Path> written = predict(model("2x32x32", 7), new PredictionOptions(out, out, null, null, null), series)
        .get(0).written();
    assertEquals(3, written.size(), written.toString());
    for (Path file : written) {
      DicomOutputs.assertValid(file, file.getFileName().toString().startsWith("SR_") ? "ComprehensiveSR"
          : "MultiframeTrueColorSCImage");
    }
  }

  @Test
  void aNiftiScanGetsItsMapOnItsOwnGridWhateverItsOrientation() {
    // Index axis 0 runs posterior, axis 1 right: reorientation swaps and flips them before the model sees the scan.
    Affine rotated = Affine.of(new double[] {0.7, 0.9, 3.0}, new double[][] {{0, 1, 0}, {-1, 0, 0}, {0, 0, 1}},
        new double[] {12.5, -30, 40});
    Path scan = Models.nifti(dir.resolve("scan.nii.gz"), 10, 12, 5, rotated, 8);
    Path maps = dir.resolve("maps");
    ModelSource unresized = model("5x10x12", 9);
    List<StudyPrediction.Outcome> outcomes = predict(unresized, new PredictionOptions(dir.resolve("sr"), null, maps,
        null, null), scan);
    assertEquals(List.of(maps.resolve("map_scan.nii.gz"), maps.resolve("image_scan.nii.gz")),
        outcomes.get(0).written());
    Volume source = new NiftiReader().read(scan).volume();
    assertMapOnSource(unresized, source, new NiftiReader().read(maps.resolve("map_scan.nii.gz")).volume());
    assertEquals(List.of(scan + " has no DICOM source to reference; no SR is written for it"), warnings);
    assertFalse(Files.exists(dir.resolve("sr").resolve("SR_scan.dcm")));

    // A model reading a coarser grid still writes its map on the scan's grid.
    predict(model("4x8x8", 10), new PredictionOptions(null, null, maps, null, null), scan);
    Volume resized = new NiftiReader().read(maps.resolve("map_scan.nii.gz")).volume();
    assertArrayEquals(source.dims(), resized.dims());
    assertTrue(source.affine().maxAbsDifference(resized.affine()) < AFFINE_TOLERANCE);
    for (float v : resized.toArray()) {
      assertTrue(v >= 0 && v <= 1, "map value " + v);
    }
  }

  @Test
  void anOutputFolderThatIsAFileIsNamedBeforeAnythingIsWritten() throws IOException {
    Path scan = Models.nifti(dir.resolve("scan.nii.gz"), 8, 8, 4, Affine.identity(), 1);
    Path out = Files.createDirectories(dir.resolve("out"));
    Path blocked = Files.writeString(out.resolve("maps"), "a file where the map folder should be");
    MedvisionException e = assertThrows(MedvisionException.class, () -> predict(model("4x8x8", 1),
        new PredictionOptions(out.resolve("sr"), null, blocked, null, null), scan));
    // The message says what is wrong (no "cannot create output folder X: X" echo of java.nio's bare path).
    assertEquals("output folder " + blocked + " is an existing file; give a folder (it is created when missing)",
        e.getMessage());
    assertEquals(List.of(), regularFiles(out.resolve("sr")));
    assertEquals("a file where the map folder should be", Files.readString(blocked));
  }

  @Test
  void aMapThatCannotBeWrittenLeavesNoPartialFile() throws IOException {
    Path series = dir.resolve("series");
    List<Path> slices = Models.ctSeries(series, 2, 3);
    String seriesUid = DicomOutputs.read(slices.get(0)).getString(Tags.SERIES_INSTANCE_UID);
    Path out = dir.resolve("out");
    // A non-empty folder occupies the map's file name, so moving the finished file into place fails.
    Path occupied = Files.createDirectories(out.resolve("map_" + seriesUid + ".nii.gz"));
    Files.writeString(occupied.resolve("keep.txt"), "mine");

    MedvisionException e = assertThrows(MedvisionException.class, () -> predict(model("2x32x32", 2),
        new PredictionOptions(out, null, out, null, null), series));
    assertTrue(e.getMessage().contains(occupied.toString()), e.getMessage());
    // The SR written before the map is whole; no temporary file is left.
    Path sr = out.resolve("SR_" + seriesUid + ".dcm");
    assertEquals(Set.of(occupied.resolve("keep.txt"), sr), Set.copyOf(regularFiles(out)));
    assertEquals(2, DicomOutputs.probabilities(DicomOutputs.read(sr)).size());
  }

  private static List<Path> regularFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
