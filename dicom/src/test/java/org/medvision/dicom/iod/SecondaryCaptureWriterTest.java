package org.medvision.dicom.iod;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.testing.Corpus;

class SecondaryCaptureWriterTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07.089Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  @Test
  void overlayOnRealCtPassesPeersAndReadsBack() {
    DataSet source = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    int rows = source.getInt(Tags.ROWS);
    int columns = source.getInt(Tags.COLUMNS);
    byte[] grey = SourceImages.windowed(source, 40, 400);
    float[] heat = new float[4 * 5];
    for (int i = 0; i < heat.length; i++) {
      heat[i] = i / (float) (heat.length - 1);
    }
    HeatMapOverlay overlay = new HeatMapOverlay(0.6);
    Path file = dir.resolve("sc.dcm");
    new SecondaryCaptureWriter(Equipment.MEDVISION, CLOCK).write(file, source, grey, heat, 4, 5, overlay,
        "test heat map");

    Peers.assertValid(file, "MultiframeTrueColorSCImage");
    Peers.assertDcmdump(file);

    DicomFile read = DicomReader.readFile(file);
    DataSet back = read.dataSet();
    assertEquals(Uids.MULTIFRAME_TRUE_COLOR_SC_IMAGE_STORAGE, back.getString(Tags.SOP_CLASS_UID));
    assertEquals("1.2.840.10008.1.2.1", read.meta().getString(Tags.TRANSFER_SYNTAX_UID));
    assertEquals(source.getString(Tags.STUDY_INSTANCE_UID), back.getString(Tags.STUDY_INSTANCE_UID));
    assertEquals(source.getString(Tags.PATIENT_ID), back.getString(Tags.PATIENT_ID));
    assertEquals(source.getString(Tags.PATIENT_NAME), back.getString(Tags.PATIENT_NAME));
    assertTrue(back.getString(Tags.SERIES_INSTANCE_UID).startsWith("2.25."));
    assertTrue(!back.getString(Tags.SERIES_INSTANCE_UID).equals(source.getString(Tags.SERIES_INSTANCE_UID)));
    assertEquals(source.getString(Tags.SOP_INSTANCE_UID),
        back.sequence(Tags.SOURCE_IMAGE_SEQUENCE).get(0).getString(Tags.REFERENCED_SOP_INSTANCE_UID));
    assertEquals("RGB", back.getString(Tags.PHOTOMETRIC_INTERPRETATION));
    assertEquals(rows, back.getInt(Tags.ROWS));
    byte[] rgb = back.bulkData(Tags.PIXEL_DATA).orElseThrow().readValue();
    assertEquals(rows * columns * 3, rgb.length);

    // Independent check at the two corners: the top-left pixel samples heat 0 (grey unchanged), the bottom-right
    // samples heat 1 (hot colour = white), so its samples are 0.4 * grey + 0.6 * 255.
    int g0 = grey[0] & 0xFF;
    assertArrayEquals(new byte[] {(byte) g0, (byte) g0, (byte) g0}, new byte[] {rgb[0], rgb[1], rgb[2]});
    int last = rows * columns - 1;
    int gl = grey[last] & 0xFF;
    long expected = Math.round(0.4 * gl + 0.6 * 255);
    for (int s = 0; s < 3; s++) {
      assertEquals(expected, rgb[3 * last + s] & 0xFF, "sample " + s + " of the last pixel");
    }
  }

  @Test
  void bilinearResizeMatchesHandComputation() {
    // 1x2 -> 1x4 on pixel centres: output x = (c + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> clamped 0, 0.25,
    // 0.75, 1; values 0 + x * (1 - 0) over [0, 1].
    float[] out = HeatMapOverlay.resize(new float[] {0f, 1f}, 1, 2, 1, 4);
    assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, out, 1e-6f);
  }

  @Test
  void hotColourMapAtItsKnots() {
    assertArrayEquals(new int[] {0, 0, 0}, HeatMapOverlay.colour(0));
    assertArrayEquals(new int[] {255, 0, 0}, HeatMapOverlay.colour(1.0 / 3));
    assertArrayEquals(new int[] {255, 255, 0}, HeatMapOverlay.colour(2.0 / 3));
    assertArrayEquals(new int[] {255, 255, 255}, HeatMapOverlay.colour(1));
    assertArrayEquals(new int[] {128, 0, 0}, HeatMapOverlay.colour(0.5 / 3 + 1e-4));
  }

  @Test
  void badInputIsRefusedWithAClearMessage() {
    DataSet source = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    SecondaryCaptureWriter writer = new SecondaryCaptureWriter(Equipment.MEDVISION, CLOCK);
    DicomException size = assertThrows(DicomException.class, () -> writer.build(source, new byte[10],
        new float[1], 1, 1, new HeatMapOverlay(0.5), "x"));
    assertTrue(size.getMessage().contains("128x128"), size.getMessage());
    byte[] grey = new byte[128 * 128];
    DicomException heat = assertThrows(DicomException.class, () -> writer.build(source, grey,
        new float[] {0.5f, 1.5f}, 1, 2, new HeatMapOverlay(0.5), "x"));
    assertTrue(heat.getMessage().contains("column 1"), heat.getMessage());
    assertThrows(DicomException.class, () -> new HeatMapOverlay(1.5));
  }
}
