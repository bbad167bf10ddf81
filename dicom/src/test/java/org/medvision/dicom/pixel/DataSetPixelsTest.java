package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.testing.Corpus;

/**
 * Our reader plus {@link DataSetPixels} gives the same description and frames as the peer-tool path of {@link
 * PeerFixture} (dcmdump attributes, gdcmraw bytes), whose frames {@link PeerDecodeTest} checks against dcmtk and gdcm.
 */
class DataSetPixelsTest {
  @TempDir Path work;

  static Stream<String> files() {
    return Stream.of("MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
        "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm", "CT_small.dcm", "SC_rgb_rle_2frame.dcm",
        "SC_rgb_jpeg_gdcm.dcm", "SC_rgb_dcmtk_+eb+cy+s2.dcm", "JPEG2000.dcm", "rtdose.dcm", "image_dfl.dcm",
        "SC_rgb_small_odd.dcm", "SC_ybr_full_422_uncompressed.dcm");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void readerAndPeerPathsAgree(String name) {
    Path file = Corpus.pydicom(name);
    FrameDecoder ours = DataSetPixels.decoder(DicomReader.readFile(file));
    PeerFixture.Sample peer = PeerFixture.load(file, work);
    assertEquals(peer.description(), ours.description(), name);
    List<int[]> frames = new ArrayList<>();
    for (int f = 0; f < ours.frameCount(); f++) {
      frames.add(ours.decode(f));
    }
    Comparison.assertWithin(frames, PeerFixture.decodeAll(peer), 0, name);
  }

  @Test
  void paletteFileThroughTheReader() {
    Path file = Corpus.octaveDicom("US-PAL-8-10x-echo.dcm");
    FrameDecoder ours = DataSetPixels.decoder(DicomReader.readFile(file));
    PeerFixture.Sample peer = PeerFixture.load(file, work);
    assertEquals(peer.description().palette(), ours.description().palette());
    assertEquals(10, ours.frameCount());
    Comparison.assertWithin(List.of(ours.decode(9)), List.of(peer.decoder().decode(9)), 0, "frame 10");
  }

  @Test
  void missingAttributesAreNamedWithTheSource() {
    DataSet data = new DataSet();
    data.setString(Tags.PHOTOMETRIC_INTERPRETATION, "MONOCHROME2");
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> DataSetPixels.describe(data, "scan.dcm"));
    assertTrue(e.getMessage().contains("scan.dcm") && e.getMessage().contains("(0028,0010)"), e.getMessage());
  }

  /** Rows, Columns, Bits Allocated and Bits Stored of a 2 x 3 16-bit image, and nothing else. */
  private static DataSet minimal() {
    DataSet data = new DataSet();
    data.setInt(Tags.ROWS, 2);
    data.setInt(Tags.COLUMNS, 3);
    data.setInt(Tags.BITS_ALLOCATED, 16);
    data.setInt(Tags.BITS_STORED, 12);
    return data;
  }

  @Test
  void defaultsForAbsentOptionalAttributes() {
    // PS3.3 C.7.6.3: one sample and no Photometric Interpretation reads as MONOCHROME2; High Bit = Bits Stored - 1.
    PixelDescription d = DataSetPixels.describe(minimal(), "bare.dcm");
    assertEquals(PixelDescription.builder(2, 3).bits(16, 12, 11).build(), d);
    DataSet colour = minimal();
    colour.setInt(Tags.SAMPLES_PER_PIXEL, 3);
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> DataSetPixels.describe(colour, "colour.dcm"));
    assertTrue(e.getMessage().contains("colour.dcm") && e.getMessage().contains("(0028,0004)"), e.getMessage());
  }

  @Test
  void typeOneBitDepthsAndFrameCountAreRequired() {
    DataSet noBits = minimal();
    noBits.remove(Tags.BITS_ALLOCATED);
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> DataSetPixels.describe(noBits, "nobits.dcm"));
    assertTrue(e.getMessage().contains("nobits.dcm") && e.getMessage().contains("(0028,0100)"), e.getMessage());
    DataSet zeroFrames = minimal();
    zeroFrames.setInt(Tags.NUMBER_OF_FRAMES, 0);
    PixelDecodingException frames = assertThrows(PixelDecodingException.class,
        () -> DataSetPixels.frameCount(zeroFrames));
    assertTrue(frames.getMessage().contains("(0028,0008) is 0"), frames.getMessage());
    PixelDecodingException described = assertThrows(PixelDecodingException.class,
        () -> DataSetPixels.describe(zeroFrames, "zero.dcm"));
    assertTrue(described.getMessage().startsWith("zero.dcm: Number of Frames"), described.getMessage());
    assertEquals(1, DataSetPixels.frameCount(minimal()));
  }

  @Test
  void rescaleOfEachFrameComesFromItsGroupThenTheSharedGroupThenTheTopLevel() {
    DataSet data = minimal();
    data.setInt(Tags.NUMBER_OF_FRAMES, 3);
    data.setDouble(Tags.RESCALE_SLOPE, 1);
    data.setDouble(Tags.RESCALE_INTERCEPT, -1024);
    DataSet shared = data.addItem(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE)
        .addItem(Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE);
    shared.setDouble(Tags.RESCALE_SLOPE, 2);
    shared.setString(Tags.RESCALE_TYPE, "US");
    DataSet first = data.addItem(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE)
        .addItem(Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE);
    first.setDouble(Tags.RESCALE_SLOPE, 3);
    first.setDouble(Tags.RESCALE_INTERCEPT, 5);
    first.setString(Tags.RESCALE_TYPE, "HU");
    data.addItem(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    PixelDescription d = DataSetPixels.describe(data, "enhanced.dcm");
    // Frame 1: its own group. Frame 2: slope and type shared, intercept from the top level. Frame 3 has no item.
    assertEquals(List.of(3.0, 5.0), List.of(d.rescaleSlope(), d.rescaleIntercept()));
    assertEquals("HU", d.rescaleType());
    PixelDescription second = DataSetPixels.forFrame(d, data, "enhanced.dcm", 1);
    assertEquals(List.of(2.0, -1024.0), List.of(second.rescaleSlope(), second.rescaleIntercept()));
    assertEquals("US", second.rescaleType());
    PixelDescription third = DataSetPixels.forFrame(d, data, "enhanced.dcm", 2);
    assertEquals(List.of(2.0, -1024.0), List.of(third.rescaleSlope(), third.rescaleIntercept()));
    // 2 * 100 - 1024 for frame 2's stored value 100.
    assertEquals(-824f, PixelTransforms.rescale(second, new int[] {100, 0, 0, 0, 0, 0})[0]);
    first.setDouble(Tags.RESCALE_SLOPE, 0);
    PixelDecodingException e = assertThrows(PixelDecodingException.class,
        () -> DataSetPixels.forFrame(d, data, "enhanced.dcm", 0));
    assertTrue(e.getMessage().contains("enhanced.dcm frame 1"), e.getMessage());
  }
}
