package org.medvision.io.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.Columns;
import org.medvision.io.dataset.Manifest;
import org.medvision.io.dataset.Sample;
import org.medvision.testkit.fixtures.TestData;

class BrainCtDicomSeriesTest {
  /** The set's manifest: path, label, patient_id, split. */
  private static final List<Columns.Column> COLUMNS = Columns.of(new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, 48, 48, new float[] {0}, new float[] {1}),
          Windowing.file()),
      LabelField.single("label", "label", List.of("normal", "hemorrhagic", "ischemic"))), Map.of("image", "image"),
      "label"));

  @TempDir Path dir;

  private static double[] hu(DataSet ds) {
    byte[] raw = ds.bulkData(Tags.PIXEL_DATA).orElseThrow().readValue();
    ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    double slope = ds.getDouble(Tags.RESCALE_SLOPE);
    double intercept = ds.getDouble(Tags.RESCALE_INTERCEPT);
    double[] out = new double[raw.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getShort(2 * i) * slope + intercept;
    }
    return out;
  }

  @Test
  void dicomDatasetHoldsOneValidSeriesPerCaseWithHuWithinHalfASlope() throws Exception {
    long seed = 3;
    int size = 48;
    BrainCtDataset.Result result = BrainCtDataset.generate(dir.resolve("set"), 9, size, seed, Difficulty.EASY,
        "subdural", "dicom", false, ProgressListener.NONE);
    List<Sample> rows = Manifest.read(result.manifest(), COLUMNS);
    assertEquals(9, rows.size());
    BrainCtPhantom phantom = new BrainCtPhantom(size, size, Difficulty.EASY);
    String firstSeries = null;
    for (int i = 0; i < rows.size(); i++) {
      Sample row = rows.get(i);
      Path file = Path.of(row.id());
      assertTrue(Files.isRegularFile(file), row.where());
      DataSet ds = DicomReader.readFile(file).dataSet();
      int index = Integer.parseInt(ds.getString(Tags.PATIENT_ID).substring("synth-".length()));
      assertEquals(BrainCtDataset.classOf(index).label(), row.value("label"));
      assertEquals(ds.getString(Tags.PATIENT_ID), row.patientId());
      Slice expected = phantom.generate(BrainCtDataset.classOf(index), BrainCtDataset.randomFor(seed, index));
      float[] want = expected.hu();
      double[] got = hu(ds);
      for (int p = 0; p < want.length; p++) {
        assertTrue(Math.abs(got[p] - want[p]) <= BrainCtDicomSeries.RESCALE_SLOPE / 2 + 1e-6,
            "case " + index + " pixel " + p + ": " + got[p] + " vs " + want[p]);
      }
      assertEquals(80, ds.getDouble(Tags.WINDOW_CENTER), 0);
      assertEquals(240.0 / size, ds.doubles(Tags.PIXEL_SPACING)[0], 1e-9);
      assertTrue(!ds.getString(Tags.SERIES_INSTANCE_UID).equals(firstSeries));
      firstSeries = ds.getString(Tags.SERIES_INSTANCE_UID);
    }
    Path one = Path.of(rows.get(0).id());
    Process p = new ProcessBuilder(TestData.tool("dciodvfy").toString(), one.toString()).redirectErrorStream(true)
        .start();
    String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), report);
    assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), report);
  }

  @Test
  void multiSliceCaseHasOneFrameOfReferenceAndStackedPositions() throws IOException {
    BrainCtPhantom phantom = new BrainCtPhantom(40, 40, Difficulty.MEDIUM);
    List<Slice> slices = List.of(phantom.generate(BrainCtClass.NORMAL, BrainCtDataset.randomFor(1, 0)),
        phantom.generate(BrainCtClass.NORMAL, BrainCtDataset.randomFor(1, 1)));
    List<Path> files = new BrainCtDicomSeries().write(dir.resolve("case"), slices, "synth-x", "brain");
    DataSet a = DicomReader.readFile(files.get(0)).dataSet();
    DataSet b = DicomReader.readFile(files.get(1)).dataSet();
    assertEquals(a.getString(Tags.FRAME_OF_REFERENCE_UID), b.getString(Tags.FRAME_OF_REFERENCE_UID));
    assertEquals(a.getString(Tags.SERIES_INSTANCE_UID), b.getString(Tags.SERIES_INSTANCE_UID));
    // Centred 240 mm field: first pixel centre at -(39 / 2) * 6 = -117 mm; second slice 5 mm further along +z.
    assertArrayEquals(new double[] {-117, -117, 0}, a.doubles(Tags.IMAGE_POSITION_PATIENT), 1e-9);
    assertArrayEquals(new double[] {-117, -117, 5}, b.doubles(Tags.IMAGE_POSITION_PATIENT), 1e-9);
    assertEquals(List.of("BRAIN", "SUBDURAL", "STROKE"), a.strings(Tags.WINDOW_CENTER_WIDTH_EXPLANATION));
  }
}
