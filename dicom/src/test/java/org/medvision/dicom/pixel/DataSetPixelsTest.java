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
}
