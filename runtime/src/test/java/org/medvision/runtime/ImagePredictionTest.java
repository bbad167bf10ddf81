package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.ImageField;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.tensor.Tensor;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.iod.BitPacking;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.dicom.WindowedSlice;

/**
 * Prediction on 2-D inputs with the tiny slice task (class probabilities, a map {@code sigmoid(6 x - 3)} of the
 * windowed slice, and that map as a detected lesion) and with StrokeNeXt (a classifier without a map).
 */
class ImagePredictionTest {
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

  private ModelSource tinySlice() {
    Path file = dir.resolve("slice-model").resolve("best.safetensors");
    Models.checkpoint(file, Models.task(TinySliceTaskProvider.NAME, "tiny", Map.of()), 3);
    return ModelSource.load(Models.MEDVISION, file, ModelRequest.none());
  }

  private List<StudyPrediction.Outcome> predict(ModelSource model, PredictionOptions options, Path... inputs) {
    List<PredictionInput> found = PredictionInputs.collect(model.task().data(), List.of(inputs), warnings::add,
        ProgressListener.NONE);
    try (Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 4)) {
      return new StudyPrediction(predictor, options, Provenance.of(model, engine, CompileOptions.defaults()))
          .run(found, ProgressListener.NONE, warnings::add);
    }
  }

  private static PredictionOptions allIn(Path out) {
    return new PredictionOptions(out.resolve("sr"), out.resolve("sc"), out.resolve("maps"), out.resolve("seg"),
        null);
  }

  @Test
  void aDicomImageGetsAnSrAMapOverlayAndASegmentationOfWhatWasDetected() {
    Path ct = Models.ctSeries(dir.resolve("ct"), 1, 3).get(0);
    String sop = DicomOutputs.sop(ct);
    Path out = dir.resolve("out");
    ModelSource model = tinySlice();
    StudyPrediction.Outcome outcome = predict(model, allIn(out), ct).get(0);
    Path sr = out.resolve("sr").resolve("SR_" + sop + ".dcm");
    Path overlay = out.resolve("sc").resolve("map_SC_" + sop + ".dcm");
    Path seg = out.resolve("seg").resolve("SEG_" + sop + ".dcm");
    assertEquals(List.of(sr, overlay, seg), outcome.written());
    assertEquals(List.of(), warnings);

    ClassProbabilities predicted = outcome.result().first(ClassProbabilities.class).orElseThrow();
    Map<String, Double> reported = DicomOutputs.probabilities(DicomOutputs.read(sr));
    for (int k = 0; k < predicted.labels().size(); k++) {
      assertEquals(predicted.probability(k), reported.get(predicted.labels().get(k)), 1e-6);
    }
    assertEquals(List.of(sop), DicomOutputs.evidence(DicomOutputs.read(sr)));
    assertEquals(sop, DicomOutputs.source(DicomOutputs.read(overlay)));

    // The lesion's mask is the map at 0.5: exactly the pixels at or above the middle of the brain window 40/80.
    DataSet segmentation = DicomOutputs.read(seg);
    assertEquals(Uids.SEGMENTATION_STORAGE, segmentation.getString(Tags.SOP_CLASS_UID));
    assertEquals(1, segmentation.getInt(Tags.NUMBER_OF_FRAMES));
    float[] hu = DicomImage.read(ct).frame(1);
    boolean[] expected = new boolean[hu.length];
    int lit = 0;
    for (int i = 0; i < hu.length; i++) {
      expected[i] = hu[i] / 80.0 >= 0.5;
      lit += expected[i] ? 1 : 0;
    }
    assertTrue(lit > 0 && lit < hu.length, "the phantom has bright and dark pixels: " + lit);
    byte[] packed = segmentation.bulkData(Tags.PIXEL_DATA).orElseThrow().readValue();
    assertArrayEquals(expected, BitPacking.unpack(packed, 0, hu.length));
  }

  @Test
  void aWindowGivenInTheOptionsReplacesTheTasksForDicomInputs() {
    Path ct = Models.ctSeries(dir.resolve("ct"), 1, 3).get(0);
    Path seg = dir.resolve("seg");
    // 80/160 maps 0 HU to 0 and 160 HU to 1, so the map reaches 0.5 from 80 HU instead of 40.
    predict(tinySlice(), new PredictionOptions(null, null, null, seg, Windows.parse("80/160")), ct);
    float[] hu = DicomImage.read(ct).frame(1);
    boolean[] expected = new boolean[hu.length];
    for (int i = 0; i < hu.length; i++) {
      expected[i] = hu[i] / 160.0 >= 0.5;
    }
    byte[] packed = DicomOutputs.read(seg.resolve("SEG_" + DicomOutputs.sop(ct) + ".dcm")).bulkData(Tags.PIXEL_DATA)
        .orElseThrow().readValue();
    assertArrayEquals(expected, BitPacking.unpack(packed, 0, hu.length));
  }

  @Test
  void theImageObjectsPassDciodvfy() {
    Path ct = Models.ctSeries(dir.resolve("ct"), 1, 4).get(0);
    List<Path> written = predict(tinySlice(), allIn(dir.resolve("out")), ct).get(0).written();
    assertEquals(3, written.size(), written.toString());
    DicomOutputs.assertValid(written.get(0), "ComprehensiveSR");
    DicomOutputs.assertValid(written.get(1), "MultiframeTrueColorSCImage");
    DicomOutputs.assertValid(written.get(2), "Segmentation");
  }

  @Test
  void anImageFileGetsAPngOverlayOfItsOwnSizeAndWarningsForWhatNeedsDicom() throws IOException {
    Path png = Models.png(dir.resolve("in").resolve("gradient.png"), 2);
    Path out = dir.resolve("out");
    StudyPrediction.Outcome outcome = predict(tinySlice(), allIn(out), png).get(0);
    Path overlay = out.resolve("maps").resolve("map_gradient.png");
    assertEquals(List.of(overlay), outcome.written());
    assertEquals(List.of(png + " has no DICOM source to reference; no SR is written for it",
        png + ": detections are written as SEG for single DICOM images only"), warnings);

    BufferedImage image = ImageIO.read(overlay.toFile());
    assertEquals(48, image.getWidth());
    assertEquals(40, image.getHeight());
    boolean tinted = false;
    for (int y = 0; y < 40 && !tinted; y++) {
      for (int x = 0; x < 48 && !tinted; x++) {
        int rgb = image.getRGB(x, y);
        tinted = (rgb >> 16 & 0xff) != (rgb & 0xff);
      }
    }
    assertTrue(tinted, "the heat map colours the grey image");
    try (var files = Files.list(out)) {
      assertEquals(Set.of(out.resolve("sr"), out.resolve("sc"), out.resolve("maps"), out.resolve("seg")),
          Set.copyOf(files.toList()));
    }
    try (var files = Files.list(out.resolve("maps"))) {
      assertEquals(List.of(overlay), files.toList());
    }
  }

  @Test
  void imagesOfOneNameInDifferentFoldersGetOverlaysOfTheirOwn() throws IOException {
    // Class folders often reuse file names (normal/0001.png, ischemic/0001.png); a folder input walks them all.
    Path folder = dir.resolve("set");
    Models.png(folder.resolve("ischemic").resolve("0001.png"), 1);
    Models.png(folder.resolve("normal").resolve("0001.png"), 5);
    Path maps = dir.resolve("maps");
    List<StudyPrediction.Outcome> outcomes = predict(tinySlice(), new PredictionOptions(null, null, maps, null, null),
        folder);
    assertEquals(2, outcomes.size());
    Path first = outcomes.get(0).written().get(0);
    Path second = outcomes.get(1).written().get(0);
    assertEquals(maps.resolve("map_0001.png"), first);
    assertEquals(maps.resolve("map_0001_2.png"), second);
    assertTrue(!java.util.Arrays.equals(Files.readAllBytes(first), Files.readAllBytes(second)));
  }

  @Test
  void aClassifierWithoutAMapGetsAnOcclusionOverlayOnDicomInputs() {
    Path ct = Models.ctSeries(dir.resolve("ct"), 1, 5).get(0);
    String sop = DicomOutputs.sop(ct);
    Path sc = dir.resolve("sc");
    Path weights = Models.checkpoint(dir.resolve("stroke").resolve("best.safetensors"), Models.atto("3class"), 6);
    ModelSource model = ModelSource.load(Models.MEDVISION, weights, ModelRequest.none());
    StudyPrediction.Outcome outcome = predict(model, new PredictionOptions(null, sc, null, null, null), ct).get(0);
    Path overlay = sc.resolve("SC_" + sop + ".dcm");
    assertEquals(List.of(overlay), outcome.written());
    DataSet written = DicomOutputs.read(overlay);
    assertEquals(sop, DicomOutputs.source(written));
    String top = outcome.result().first(ClassProbabilities.class).orElseThrow().topLabel();
    String derivation = written.getString(Tags.DERIVATION_DESCRIPTION);
    assertTrue(derivation.startsWith("medvision strokenext occlusion sensitivity of '" + top + "'"), derivation);
    DicomOutputs.assertValid(overlay, "MultiframeTrueColorSCImage");
  }

  @Test
  void occlusionCreditsThePatchesWhoseCoveringLowersTheClass() {
    ModelSource model = tinySlice();
    // The tiny slice classifier reads only the image's mean: logit k = w_k * mean + b_k.
    Map<String, Tensor> w = model.members().get(0).weights().tensors();
    float[] weight = w.get("head.weight").toFloatArray();
    float[] bias = w.get("head.bias").toFloatArray();
    int brighter = weight[1] > weight[0] ? 1 : 0;

    int n = TinySliceTaskProvider.SIZE;
    float[] values = new float[n * n];
    for (int r = 0; r < n; r++) {
      for (int c = 0; c < n; c++) {
        boolean bright = r >= 4 && r < 12 && c >= 20 && c < 28;
        values[r * n + c] = bright ? 1f : 0.1f + 0.01f * r;
      }
    }
    WindowedSlice slice = new WindowedSlice(values, n, n);
    ImageField field = (ImageField) model.task().data().primaryInput();
    float[] heat;
    try (Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 16)) {
      heat = Occlusion.map(predictor, field, ExampleReader.inputs(model.task().data(), null), slice, brighter);
    }

    // The documented procedure in double: 8 x 8 patches filled with the mean, stride 4, drops averaged per pixel.
    double mean = 0;
    for (float v : values) {
      mean += v;
    }
    mean /= values.length;
    double base = probability(weight, bias, mean, brighter);
    double[] credit = new double[n * n];
    int[] covered = new int[n * n];
    for (int r0 = 0; r0 + 8 <= n; r0 += 4) {
      for (int c0 = 0; c0 + 8 <= n; c0 += 4) {
        double sum = 0;
        for (int r = r0; r < r0 + 8; r++) {
          for (int c = c0; c < c0 + 8; c++) {
            sum += values[r * n + c];
          }
        }
        double occluded = mean + (64 * (float) mean - sum) / (n * n);
        double drop = Math.max(0, base - probability(weight, bias, occluded, brighter));
        for (int r = r0; r < r0 + 8; r++) {
          for (int c = c0; c < c0 + 8; c++) {
            credit[r * n + c] += drop;
            covered[r * n + c]++;
          }
        }
      }
    }
    double max = 0;
    for (int i = 0; i < credit.length; i++) {
      credit[i] /= covered[i];
      max = Math.max(max, credit[i]);
    }
    int hottest = 0;
    for (int i = 0; i < heat.length; i++) {
      assertEquals(credit[i] / max, heat[i], 1e-3, "pixel " + i);
      hottest = heat[i] > heat[hottest] ? i : hottest;
    }
    assertEquals(1f, heat[hottest]);
    int row = hottest / n;
    int column = hottest % n;
    assertTrue(row >= 4 && row < 12 && column >= 20 && column < 28, "hottest pixel " + row + "," + column);
  }

  private static double probability(float[] weight, float[] bias, double mean, int k) {
    double z0 = weight[0] * mean + bias[0];
    double z1 = weight[1] * mean + bias[1];
    double p1 = 1 / (1 + Math.exp(z0 - z1));
    return k == 1 ? p1 : 1 - p1;
  }

  @Test
  void aFileThatIsNoImageIsNamedWhenItIsRead() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not an image");
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> predict(tinySlice(), PredictionOptions.none(), text));
    assertTrue(e.getMessage().contains(text.toString()) && e.getMessage().contains("not an image"), e.getMessage());
  }
}
