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
import org.medvision.dicom.testing.Corpus;

class SegmentationWriterTest {
  @TempDir Path dir;

  static boolean[] randomMask(int pixels, SplittableRandom random) {
    boolean[] mask = new boolean[pixels];
    for (int i = 0; i < pixels; i++) {
      mask[i] = random.nextInt(5) == 0;
    }
    return mask;
  }

  @Test
  void segmentsOverSyntheticSeriesPassPeersAndBitsRoundTrip() {
    CtVolume volume = CtSeriesWriterTest.volume(3, 24, 20, 5);
    List<Path> files = new CtSeriesWriter().write(dir.resolve("ct"), volume, CtSeriesWriterTest.subject(),
        CtSeriesWriterTest.windows(), 1.0);
    // Sources given in reverse order: the writer must sort frames by position along the normal.
    List<DataSet> sources = new ArrayList<>();
    for (int k = files.size() - 1; k >= 0; k--) {
      sources.add(DicomReader.readFile(files.get(k)).dataSet());
    }
    SplittableRandom random = new SplittableRandom(3);
    List<boolean[]> lesion = new ArrayList<>();
    List<boolean[]> bleed = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      lesion.add(randomMask(24 * 20, random));
      bleed.add(randomMask(24 * 20, random));
    }
    List<Segment> segments = List.of(Segment.lesion("lesion", lesion),
        new Segment("bleed", Segment.MORPHOLOGICALLY_ALTERED_STRUCTURE, Code.sct("50960005", "Hemorrhage"), bleed));
    Path file = dir.resolve("seg.dcm");
    new SegmentationWriter().write(file, sources, segments, new SegmentationWriter.Algorithm("unet", "1.2"),
        "LESIONS");

    Peers.assertValid(file, "Segmentation");
    Peers.assertDcmdump(file);

    DataSet back = DicomReader.readFile(file).dataSet();
    assertEquals(Uids.SEGMENTATION_STORAGE, back.getString(Tags.SOP_CLASS_UID));
    assertEquals(6, back.getInt(Tags.NUMBER_OF_FRAMES));
    assertEquals(sources.get(0).getString(Tags.FRAME_OF_REFERENCE_UID), back.getString(Tags.FRAME_OF_REFERENCE_UID));
    assertEquals("unet", back.sequence(Tags.SEGMENT_SEQUENCE).get(0).getString(Tags.SEGMENT_ALGORITHM_NAME));
    byte[] packed = back.bulkData(Tags.PIXEL_DATA).orElseThrow().readValue();
    List<DataSet> perFrame = back.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    assertEquals(6, perFrame.size());
    for (int f = 0; f < 6; f++) {
      DataSet groups = perFrame.get(f);
      int segment = groups.sequence(Tags.SEGMENT_IDENTIFICATION_SEQUENCE).get(0).getInt(Tags.REFERENCED_SEGMENT_NUMBER);
      String sourceUid = groups.sequence(Tags.DERIVATION_IMAGE_SEQUENCE).get(0).sequence(Tags.SOURCE_IMAGE_SEQUENCE)
          .get(0).getString(Tags.REFERENCED_SOP_INSTANCE_UID);
      int sourceIndex = -1;
      for (int i = 0; i < sources.size(); i++) {
        if (sources.get(i).getString(Tags.SOP_INSTANCE_UID).equals(sourceUid)) {
          sourceIndex = i;
        }
      }
      assertTrue(sourceIndex >= 0, "frame " + f + " references an unknown source");
      // Frames are segment-major, then ascending z; sources were given in descending z.
      assertEquals(f / 3 + 1, segment);
      assertEquals(2 - f % 3, sourceIndex);
      assertArrayEquals(sources.get(sourceIndex).doubles(Tags.IMAGE_POSITION_PATIENT),
          groups.sequence(Tags.PLANE_POSITION_SEQUENCE).get(0).doubles(Tags.IMAGE_POSITION_PATIENT), 1e-9);
      assertArrayEquals(new int[] {segment, f % 3 + 1},
          groups.sequence(Tags.FRAME_CONTENT_SEQUENCE).get(0).ints(Tags.DIMENSION_INDEX_VALUES));
      boolean[] expected = segments.get(segment - 1).masks().get(sourceIndex);
      assertArrayEquals(expected, BitPacking.unpack(packed, f, 24 * 20), "frame " + f);
    }
  }

  @Test
  void singleRealSourcePassesPeers() {
    DataSet ct = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    boolean[] mask = new boolean[128 * 128];
    for (int r = 40; r < 60; r++) {
      for (int c = 50; c < 77; c++) {
        mask[r * 128 + c] = true;
      }
    }
    Path file = dir.resolve("seg-real.dcm");
    new SegmentationWriter().write(file, List.of(ct), List.of(Segment.lesion("lesion", List.of(mask))),
        new SegmentationWriter.Algorithm("unet", "1"), "LESION");
    Peers.assertValid(file, "Segmentation");
    byte[] packed = DicomReader.readFile(file).dataSet().bulkData(Tags.PIXEL_DATA).orElseThrow().readValue();
    // 128 * 128 bits = 2048 bytes; pixel (40, 50) is bit 40 * 128 + 50 = 5170 = byte 646 bit 2, and its left
    // neighbour (40, 49), outside the box, is bit 1 of the same byte.
    assertEquals(2048, packed.length);
    assertEquals(1, packed[646] >> 2 & 1);
    assertEquals(0, packed[646] >> 1 & 1);
    assertEquals(0, packed[0]);
  }

  @Test
  void packingIsLeastSignificantBitFirstAndFramesAreNotPadded() {
    byte[] packed = BitPacking.pack(List.of(new boolean[] {true, false, false}, new boolean[] {true, true, false}));
    // bits 0, 3, 4 -> 0b00011001 = 0x19, padded to an even length.
    assertArrayEquals(new byte[] {0x19, 0}, packed);
  }

  @Test
  void mismatchedMasksAreRefused() {
    DataSet ct = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    DicomException e = assertThrows(DicomException.class, () -> new SegmentationWriter().build(List.of(ct),
        List.of(Segment.lesion("lesion", List.of(new boolean[7]))), new SegmentationWriter.Algorithm("u", "1"),
        "LESION"));
    assertTrue(e.getMessage().contains("mask 0 of segment 'lesion' has 7 pixels"), e.getMessage());
  }
}
