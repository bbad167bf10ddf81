package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The corpus files with Pixel Data that {@link PeerDecodeTest#everyCorpusFileDecodesLikeAPeer()} cannot compare, each
 * with the reason; the README's corpus table lists the same. Each entry's reason is checked, so that an entry whose
 * reason no longer holds (a peer learnt to decode the file, or we did) fails and is removed.
 */
final class CorpusExclusions {
  /** Why a file is not compared. */
  enum Kind {
    /** Neither dcmtk nor gdcm decompresses it; we must then fail with the given message or decode it. */
    NO_PEER_DECODES,
    /** A peer decodes it but we do not, with the given message. */
    WE_CANNOT_DECODE,
    /** Both decode it but our samples differ from the peer's by more than the tolerance. */
    OURS_DIFFERS
  }

  /**
   * One listed file.
   *
   * @param kind why it is not compared
   * @param ourMessage for {@link Kind#WE_CANNOT_DECODE}, text our decoder's error must contain; for
   *     {@link Kind#NO_PEER_DECODES}, that text, or null when we decode it; null for {@link Kind#OURS_DIFFERS}
   * @param reason the explanation for the README table
   */
  record Exclusion(Kind kind, String ourMessage, String reason) {
    /** Asserts that the reason still holds. */
    void check(String label, Path peerOutput, Supplier<?> decodeOurs) {
      if (kind == Kind.NO_PEER_DECODES) {
        assertNull(peerOutput, label + " is listed as decoded by no peer, but one decodes it now");
      } else {
        assertTrue(peerOutput != null, label + " is listed as decoded by a peer, but none does");
      }
      if (ourMessage == null) {
        decodeOurs.get();
        return;
      }
      RuntimeException e = assertThrows(RuntimeException.class, decodeOurs::get,
          label + " is listed as one we cannot decode, but we do");
      assertTrue(e.getMessage().contains(ourMessage), label + ": " + e.getMessage());
    }
  }

  private static final String PYDICOM = "deb/python3-pydicom/usr/lib/python3/dist-packages/pydicom/data/test_files/";

  private static final Map<String, Exclusion> LIST = Map.of(
      PYDICOM + "meta_missing_tsyntax.dcm", new Exclusion(Kind.NO_PEER_DECODES, "Rows (0028,0010) is missing",
          "a 2-byte Pixel Data without Rows or Columns: not an image"),
      PYDICOM + "nested_priv_SQ.dcm", new Exclusion(Kind.NO_PEER_DECODES, "Rows (0028,0010) is missing",
          "a 2-byte Pixel Data without Rows or Columns: not an image"),
      PYDICOM + "JPEG2000-embedded-sequence-delimiter.dcm", new Exclusion(Kind.NO_PEER_DECODES,
          "the codestream is 3722445056 x 1024", "codestream bytes overwritten on purpose (pydicom #1140), so its "
          + "image size reads 3722445056 x 1024; gdcm and we reject the codestream, the DICOM structure reads"),
      PYDICOM + "badVR.dcm", new Exclusion(Kind.WE_CANNOT_DECODE, "NumberOfFrames value '1A' is not a number",
          "Number of Frames '1A': dcmtk and gdcm take 1, we refuse to guess a frame count"),
      PYDICOM + "GDCMJ2K_TextGBR.dcm", new Exclusion(Kind.OURS_DIFFERS, null,
          "lossless JPEG 2000 (6 layers, RLCP): jai-imageio's decoder leaves ringing on the text edges that gdcm's "
          + "OpenJPEG does not (31,847 of 480,000 samples, up to 108); a jai-imageio bug, open"));

  private CorpusExclusions() {}

  /** The entry for a file, by its path under the test data root, or null. */
  static Exclusion of(String label) {
    return LIST.get(label);
  }
}
