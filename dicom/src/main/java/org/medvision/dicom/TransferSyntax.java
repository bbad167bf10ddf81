package org.medvision.dicom;

import java.util.Optional;

/**
 * The transfer syntaxes of PS3.5 annex A this codec knows: how the data set is encoded (implicit or explicit VR,
 * byte order, deflate) and whether Pixel Data is encapsulated (compressed fragments).
 */
public enum TransferSyntax {
  /** Implicit VR Little Endian, the default transfer syntax. */
  IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", false, false, false, false),
  /** Explicit VR Little Endian. */
  EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", true, false, false, false),
  /** Encapsulated Uncompressed Explicit VR Little Endian. */
  ENCAPSULATED_UNCOMPRESSED("1.2.840.10008.1.2.1.98", true, false, false, true),
  /** Deflated Explicit VR Little Endian: the data set after the meta group is a raw deflate stream. */
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", true, false, true, false),
  /** Explicit VR Big Endian (retired, still found in archives). */
  EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", true, true, false, false),
  /** JPEG Baseline (process 1). */
  JPEG_BASELINE("1.2.840.10008.1.2.4.50", true, false, false, true),
  /** JPEG Extended (processes 2 and 4). */
  JPEG_EXTENDED("1.2.840.10008.1.2.4.51", true, false, false, true),
  /** JPEG Lossless, non-hierarchical (process 14). */
  JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", true, false, false, true),
  /** JPEG Lossless, non-hierarchical, first-order prediction (process 14, selection value 1). */
  JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70", true, false, false, true),
  /** JPEG-LS Lossless. */
  JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", true, false, false, true),
  /** JPEG-LS Lossy (near-lossless). */
  JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", true, false, false, true),
  /** JPEG 2000 Lossless Only. */
  JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", true, false, false, true),
  /** JPEG 2000. */
  JPEG_2000("1.2.840.10008.1.2.4.91", true, false, false, true),
  /** JPEG 2000 Part 2 Multi-component Lossless Only. */
  JPEG_2000_MC_LOSSLESS("1.2.840.10008.1.2.4.92", true, false, false, true),
  /** JPEG 2000 Part 2 Multi-component. */
  JPEG_2000_MC("1.2.840.10008.1.2.4.93", true, false, false, true),
  /** High-Throughput JPEG 2000 Lossless Only. */
  HTJ2K_LOSSLESS("1.2.840.10008.1.2.4.201", true, false, false, true),
  /** High-Throughput JPEG 2000 with RPCL Options Lossless Only. */
  HTJ2K_LOSSLESS_RPCL("1.2.840.10008.1.2.4.202", true, false, false, true),
  /** High-Throughput JPEG 2000. */
  HTJ2K("1.2.840.10008.1.2.4.203", true, false, false, true),
  /** MPEG2 Main Profile / Main Level. */
  MPEG2_MPML("1.2.840.10008.1.2.4.100", true, false, false, true),
  /** MPEG2 Main Profile / High Level. */
  MPEG2_MPHL("1.2.840.10008.1.2.4.101", true, false, false, true),
  /** MPEG-4 AVC/H.264 High Profile / Level 4.1. */
  MPEG4_HP41("1.2.840.10008.1.2.4.102", true, false, false, true),
  /** MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1. */
  MPEG4_HP41_BD("1.2.840.10008.1.2.4.103", true, false, false, true),
  /** HEVC/H.265 Main Profile / Level 5.1. */
  HEVC_MP51("1.2.840.10008.1.2.4.107", true, false, false, true),
  /** RLE Lossless. */
  RLE_LOSSLESS("1.2.840.10008.1.2.5", true, false, false, true);

  private final String uid;
  private final boolean explicitVr;
  private final boolean bigEndian;
  private final boolean deflated;
  private final boolean encapsulated;

  TransferSyntax(String uid, boolean explicitVr, boolean bigEndian, boolean deflated, boolean encapsulated) {
    this.uid = uid;
    this.explicitVr = explicitVr;
    this.bigEndian = bigEndian;
    this.deflated = deflated;
    this.encapsulated = encapsulated;
  }

  /** The transfer syntax with this UID (trailing NUL or space padding ignored), if this codec knows it. */
  public static Optional<TransferSyntax> of(String uid) {
    if (uid == null) {
      return Optional.empty();
    }
    String trimmed = uid.strip().replace("\0", "");
    for (TransferSyntax syntax : values()) {
      if (syntax.uid.equals(trimmed)) {
        return Optional.of(syntax);
      }
    }
    return Optional.empty();
  }

  /** The UID. */
  public String uid() {
    return uid;
  }

  /** True when each element header carries its VR. */
  public boolean explicitVr() {
    return explicitVr;
  }

  /** True for Explicit VR Big Endian. */
  public boolean bigEndian() {
    return bigEndian;
  }

  /** True when the data set is a deflate stream. */
  public boolean deflated() {
    return deflated;
  }

  /** True when Pixel Data is a sequence of fragments rather than a native value. */
  public boolean encapsulated() {
    return encapsulated;
  }
}
