package org.medvision.dicom.iod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;

class CtSeriesWriterTest {
  @TempDir Path dir;

  /** A seeded head-like volume: air outside an ellipse, a 'bone' ring, fractional HU inside. */
  static CtVolume volume(int slices, int rows, int columns, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<float[]> out = new ArrayList<>();
    for (int k = 0; k < slices; k++) {
      float[] hu = new float[rows * columns];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < columns; c++) {
          double y = (r - rows / 2.0) / (rows * 0.45);
          double x = (c - columns / 2.0) / (columns * 0.45);
          double d = x * x + y * y;
          double value = d > 1 ? -1000 : d > 0.8 ? 1200 : 30;
          hu[r * columns + c] = (float) (value + random.nextDouble(-5, 5));
        }
      }
      out.add(hu);
    }
    return new CtVolume(rows, columns, out, 0.7, 0.8, 2.5, 2.0, new double[] {-20, -15.5, 40}, CtVolume.AXIAL);
  }

  static CtSeriesWriter.Subject subject() {
    return new CtSeriesWriter.Subject("SYNTH^0001", "synth-0001", null, "1", "synthetic brain CT",
        "axial HU", 1);
  }

  static List<CtSeriesWriter.Window> windows() {
    return List.of(new CtSeriesWriter.Window(40, 80, "BRAIN"), new CtSeriesWriter.Window(80, 200, "SUBDURAL"));
  }

  @Test
  void seriesPassesPeersAndStoredValuesRoundTripToHu() {
    CtVolume volume = volume(3, 40, 48, 11);
    double slope = 0.5;
    List<Path> files = new CtSeriesWriter(Equipment.MEDVISION, SecondaryCaptureWriterTest.CLOCK)
        .write(dir.resolve("series"), volume, subject(), windows(), slope);
    assertEquals(3, files.size());
    String study = null;
    String series = null;
    String frame = null;
    for (int k = 0; k < files.size(); k++) {
      Path file = files.get(k);
      Peers.assertValid(file, "CTImage");
      Peers.assertDcmdump(file);
      DataSet ds = DicomReader.readFile(file).dataSet();
      assertEquals(Uids.CT_IMAGE_STORAGE, ds.getString(Tags.SOP_CLASS_UID));
      if (k == 0) {
        study = ds.getString(Tags.STUDY_INSTANCE_UID);
        series = ds.getString(Tags.SERIES_INSTANCE_UID);
        frame = ds.getString(Tags.FRAME_OF_REFERENCE_UID);
      }
      assertEquals(study, ds.getString(Tags.STUDY_INSTANCE_UID));
      assertEquals(series, ds.getString(Tags.SERIES_INSTANCE_UID));
      assertEquals(frame, ds.getString(Tags.FRAME_OF_REFERENCE_UID));
      assertEquals(k + 1, ds.getInt(Tags.INSTANCE_NUMBER));
      // Hand computation: axial normal is +z, so slice k sits at z = 40 + 2.5 k.
      assertArrayEquals(new double[] {-20, -15.5, 40 + 2.5 * k}, ds.doubles(Tags.IMAGE_POSITION_PATIENT), 1e-9);
      assertArrayEquals(new double[] {0.7, 0.8}, ds.doubles(Tags.PIXEL_SPACING), 1e-12);
      assertEquals(40 + 2.5 * k, ds.getDouble(Tags.SLICE_LOCATION), 1e-9);
      assertArrayEquals(new double[] {40, 80}, ds.doubles(Tags.WINDOW_CENTER), 0);
      assertEquals(List.of("BRAIN", "SUBDURAL"), ds.strings(Tags.WINDOW_CENTER_WIDTH_EXPLANATION));
      assertEquals("SYNTH^0001", ds.getString(Tags.PATIENT_NAME));
      double[] hu = SourceImages.modalityValues(ds);
      float[] written = volume.slices().get(k);
      for (int i = 0; i < hu.length; i++) {
        assertTrue(Math.abs(hu[i] - written[i]) <= slope / 2 + 1e-6, "slice " + k + " pixel " + i + ": read "
            + hu[i] + ", wrote " + written[i]);
      }
    }
  }

  @Test
  void valuesBeyondSixteenBitsAreRefusedNamingThePixel() {
    List<float[]> slices = List.of(new float[] {0, 0, 0, 40000});
    CtVolume volume = new CtVolume(2, 2, slices, 1, 1, 1, 1, new double[3], CtVolume.AXIAL);
    DicomException e = assertThrows(DicomException.class, () -> new CtSeriesWriter().write(dir.resolve("bad"),
        volume, subject(), List.of(), 1.0));
    assertTrue(e.getMessage().contains("slice 0 at row 1, column 1"), e.getMessage());
    assertThrows(DicomException.class, () -> new CtVolume(2, 2, slices, 1, 1, 1, 1, new double[3],
        new double[] {1, 0, 0, 1, 0, 0}));
  }
}
