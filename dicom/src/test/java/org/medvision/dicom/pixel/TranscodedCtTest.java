package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.dicom.testing.Corpus;

/**
 * CT_small (128 x 128, signed 16-bit, RS=1 RI=-1024) and an RGB image transcoded at test time by dcmtk and gdcm into
 * every compressed transfer syntax we decode; lossless results must equal the uncompressed source exactly,
 * near-lossless ones must stay within NEAR of it and equal the peer's own decode.
 */
class TranscodedCtTest {
  @TempDir Path work;
  private Path ct;
  private List<int[]> ctPixels;

  @BeforeEach
  void loadSource() {
    ct = Corpus.pydicom("CT_small.dcm");
    ctPixels = PeerFixture.decodeAll(PeerFixture.load(ct, work));
  }

  static Stream<Arguments> losslessCt() {
    return Stream.of(
        Arguments.of("1.2.840.10008.1.2.5", "dcmcrle", new String[0]),
        Arguments.of("1.2.840.10008.1.2.5", "gdcmconv", new String[] {"--rle"}),
        Arguments.of("1.2.840.10008.1.2.4.57", "dcmcjpeg", new String[] {"+el"}),
        Arguments.of("1.2.840.10008.1.2.4.70", "dcmcjpeg", new String[] {"+e1"}),
        Arguments.of("1.2.840.10008.1.2.4.70", "gdcmconv", new String[] {"--jpeg"}),
        Arguments.of("1.2.840.10008.1.2.4.80", "dcmcjpls", new String[] {"+el"}),
        Arguments.of("1.2.840.10008.1.2.4.80", "gdcmconv", new String[] {"--jpegls"}),
        Arguments.of("1.2.840.10008.1.2.4.90", "gdcmconv", new String[] {"--j2k"}),
        Arguments.of("1.2.840.10008.1.2.1", "dcmconv", new String[] {"+te"}),
        Arguments.of("1.2.840.10008.1.2.2", "dcmconv", new String[] {"+tb"}),
        Arguments.of("1.2.840.10008.1.2", "dcmconv", new String[] {"+ti"}));
  }

  @ParameterizedTest(name = "{1} {2} -> {0}")
  @MethodSource("losslessCt")
  void losslessTranscodingsDecodeToTheSourcePixels(String syntax, String tool, String[] options) {
    Path file = PeerFixture.transcode(ct, work, "ct." + tool + "." + syntax + ".dcm", tool, options);
    PeerFixture.Sample sample = PeerFixture.load(file, work);
    assertEquals(syntax, sample.syntax().uid(), "transfer syntax written by " + tool);
    Comparison.assertWithin(PeerFixture.decodeAll(sample), ctPixels, 0, "CT_small via " + tool);
  }

  @Test
  void rescaleGivesHounsfieldUnits() {
    PeerFixture.Sample sample = PeerFixture.load(ct, work);
    float[] hu = PixelTransforms.rescale(sample.description(), ctPixels.get(0));
    // CT_small: RS=1, RI=-1024, so every HU is the stored value minus 1024.
    for (int i = 0; i < hu.length; i++) {
      assertEquals(ctPixels.get(0)[i] - 1024f, hu[i], 0f);
    }
  }

  @Test
  void nearLosslessJpegLsStaysWithinNear() {
    Path file = PeerFixture.transcode(ct, work, "ct.jls-near.dcm", "gdcmconv", "--jpegls", "--lossy", "-e", "2");
    PeerFixture.Sample sample = PeerFixture.load(file, work);
    assertEquals("1.2.840.10008.1.2.4.81", sample.syntax().uid());
    List<int[]> ours = PeerFixture.decodeAll(sample);
    long error = Comparison.maxAbsDiff(ours, ctPixels, "CT_small JPEG-LS NEAR=2");
    assertTrue(error <= 2 && error > 0, "near-lossless error " + error + " should be in 1..2");
    Comparison.assertWithin(ours, PeerFixture.decodeAll(PeerFixture.peerDecode(file, work, "gdcmconv")), 0,
        "CT_small JPEG-LS NEAR=2 against gdcm's decode");
  }

  @Test
  void lossyJpeg2000MatchesTheOpenJpegDecode() {
    Path file = PeerFixture.transcode(ct, work, "ct.j2k-lossy.dcm", "gdcmconv", "--j2k", "--lossy", "-q", "50");
    PeerFixture.Sample sample = PeerFixture.load(file, work);
    assertEquals("1.2.840.10008.1.2.4.91", sample.syntax().uid());
    List<int[]> ours = PeerFixture.decodeAll(sample);
    long againstPeer = Comparison.maxAbsDiff(ours,
        PeerFixture.decodeAll(PeerFixture.peerDecode(file, work, "gdcmconv")), "CT_small J2K lossy");
    System.out.println("CT_small J2K lossy q50: max abs difference jai vs OpenJPEG = " + againstPeer
        + ", vs source = " + Comparison.maxAbsDiff(ours, ctPixels, "source"));
    assertTrue(againstPeer <= 1, "jai and OpenJPEG differ by " + againstPeer + " (wavelet rounding allows 1)");
  }

  @Test
  void twelveBitExtendedJpegMatchesDcmtkWithinOne() {
    Path file = PeerFixture.transcode(ct, work, "ct.jpeg-ext.dcm", "dcmcjpeg", "+ee");
    PeerFixture.Sample sample = PeerFixture.load(file, work);
    assertEquals("1.2.840.10008.1.2.4.51", sample.syntax().uid());
    List<int[]> ours = PeerFixture.decodeAll(sample);
    long againstDcmtk = Comparison.maxAbsDiff(ours,
        PeerFixture.decodeAll(PeerFixture.peerDecode(file, work, "dcmdjpeg")), "CT_small .51");
    System.out.println("CT_small JPEG .51: max abs difference ours vs dcmdjpeg = " + againstDcmtk + ", vs source = "
        + Comparison.maxAbsDiff(ours, ctPixels, "source"));
    assertTrue(againstDcmtk <= 1, "ours and dcmdjpeg differ by " + againstDcmtk);
  }

  static Stream<Arguments> jpegLsVariants() {
    return Stream.of(
        Arguments.of("line interleave", new String[] {"+el", "+il"}, 0),
        Arguments.of("sample interleave", new String[] {"+el", "+is"}, 0),
        Arguments.of("no interleave", new String[] {"+el", "+in"}, 0),
        Arguments.of("custom LSE presets", new String[] {"+el", "+t1", "5", "+t2", "11", "+t3", "40", "+rs", "32"}, 0),
        Arguments.of("near-lossless NEAR=3 line", new String[] {"+en", "+md", "3", "+il"}, 3),
        Arguments.of("near-lossless NEAR=3 sample", new String[] {"+en", "+md", "3", "+is"}, 3),
        Arguments.of("near-lossless NEAR=3 none", new String[] {"+en", "+md", "3", "+in"}, 3));
  }

  /** An RGB image (pydicom's SC_rgb, made native by dcmdrle) through dcmcjpls in each mode. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("jpegLsVariants")
  void rgbJpegLsInEveryInterleaveMode(String name, String[] options, int near) {
    Path rgb = PeerFixture.transcode(Corpus.pydicom("SC_rgb_rle.dcm"), work, "rgb.dcm",
        "dcmdrle");
    List<int[]> source = PeerFixture.decodeAll(PeerFixture.load(rgb, work));
    Path file = PeerFixture.transcode(rgb, work, "rgb.jls.dcm", "dcmcjpls", options);
    List<int[]> ours = PeerFixture.decodeAll(PeerFixture.load(file, work));
    long error = Comparison.maxAbsDiff(ours, source, name);
    assertTrue(error <= near, name + ": error " + error + " exceeds NEAR " + near);
    Comparison.assertWithin(ours, PeerFixture.decodeAll(PeerFixture.peerDecode(file, work, "dcmdjpls")), 0,
        name + " against dcmdjpls");
  }

  @Test
  void customPresetsReachTheStream() {
    Path rgb = PeerFixture.transcode(Corpus.pydicom("SC_rgb_rle.dcm"), work, "rgb.dcm",
        "dcmdrle");
    Path file = PeerFixture.transcode(rgb, work, "rgb.jls.dcm", "dcmcjpls", "+el", "+t1", "5", "+t2", "11", "+t3",
        "40", "+rs", "32");
    byte[] stream = PeerFixture.scanFragments(file).fragments().get(0);
    boolean lse = false;
    for (int i = 0; i + 5 < stream.length && !lse; i++) {
      lse = stream[i] == (byte) 0xFF && stream[i + 1] == (byte) 0xF8 && stream[i + 4] == 1;
    }
    assertTrue(lse, "dcmcjpls wrote no LSE preset segment, so the custom-preset case tests nothing");
  }
}
