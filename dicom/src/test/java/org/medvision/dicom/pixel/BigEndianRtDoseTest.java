package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.testing.Corpus;

/**
 * 32-bit samples in Explicit VR Big Endian, on pydicom's RT Dose pairs: {@code rtdose_expb*.dcm} carry the values of
 * {@code rtdose*.dcm} with each 32-bit value written as four big endian bytes. Pixel Data there is OW, which PS3.5
 * 7.3 defines as a stream of 16-bit words, each swapped on its own, with a 32-bit sample spanning two words low word
 * first. Read by that rule, as dcmtk and gdcm read it, every value of the big endian file is the little endian
 * file's value with its 16-bit halves exchanged. Our decode must equal the peers' decode, both through the reader
 * (whose bulk data swaps OW by words) and through the pixel layer alone (big endian {@link NativePixelData}).
 */
class BigEndianRtDoseTest {
  @TempDir Path work;

  static Stream<Arguments> pairs() {
    return Stream.of(Arguments.of("rtdose_expb_1frame.dcm", "rtdose_1frame.dcm"),
        Arguments.of("rtdose_expb.dcm", "rtdose.dcm"));
  }

  @ParameterizedTest
  @MethodSource("pairs")
  void bigEndianThirtyTwoBitSamplesDecodeAsDcmtkAndGdcmDecodeThem(String bigEndianName, String littleEndianName) {
    Path bigEndian = Corpus.pydicom(bigEndianName);
    List<int[]> ours = decodeWithReader(bigEndian);

    Path dcmtkLittle = PeerFixture.transcode(bigEndian, work, "dcmtk-le.dcm", "dcmconv", "+te");
    Comparison.assertWithin(ours, PeerFixture.decodeAll(PeerFixture.load(dcmtkLittle, work)), 0,
        bigEndianName + " against dcmtk's little endian transcoding");
    // gdcm's RLE encoder and decoder work on pixel values, so this is gdcm's image layer, not only its byte swap.
    Path gdcmRle = PeerFixture.transcode(bigEndian, work, "gdcm-rle.dcm", "gdcmconv", "--rle");
    Comparison.assertWithin(ours, PeerFixture.decodeAll(PeerFixture.peerDecode(gdcmRle, work, "gdcmconv")), 0,
        bigEndianName + " against gdcm's decode");
    Comparison.assertWithin(PeerFixture.decodeAll(PeerFixture.load(bigEndian, work)), ours, 0,
        bigEndianName + ": the pixel layer on the file's own big endian bytes against the reader's path");

    List<int[]> little = decodeWithReader(Corpus.pydicom(littleEndianName));
    assertEquals(little.size(), ours.size(), "frames");
    int halvesDiffer = 0;
    for (int f = 0; f < little.size(); f++) {
      for (int i = 0; i < little.get(f).length; i++) {
        int value = little.get(f)[i];
        assertEquals(Integer.rotateLeft(value, 16), ours.get(f)[i], "frame " + (f + 1) + " sample " + i);
        halvesDiffer += Integer.rotateLeft(value, 16) != value ? 1 : 0;
      }
    }
    assertTrue(halvesDiffer > 0, "the files must tell a word-wise from a 4-byte reading apart");
  }

  private static List<int[]> decodeWithReader(Path file) {
    FrameDecoder decoder = DataSetPixels.decoder(DicomReader.readFile(file));
    List<int[]> frames = new ArrayList<>();
    for (int f = 0; f < decoder.frameCount(); f++) {
      frames.add(decoder.decode(f));
    }
    return frames;
  }
}
