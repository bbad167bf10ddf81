package org.medvision.dicom;

import java.util.Optional;

/**
 * The transfer syntaxes of PS3.5 annex A this codec knows, and the one place their facts live: UID and PS3.6 name,
 * how the data set is encoded (implicit or explicit VR, byte order, deflate), whether Pixel Data is encapsulated
 * (compressed fragments), which {@link Family family of pixel encodings} it belongs to, and whether that encoding
 * may lose information. Which families can actually be decoded is the pixel package's business.
 */
public enum TransferSyntax {
  /** Implicit VR Little Endian, the default transfer syntax. */
  IMPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2", "Implicit VR Little Endian", Encoding.IMPLICIT_LE, Family.NATIVE,
      false),
  /** Explicit VR Little Endian. */
  EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1", "Explicit VR Little Endian", Encoding.EXPLICIT_LE, Family.NATIVE,
      false),
  /** Encapsulated Uncompressed Explicit VR Little Endian. */
  ENCAPSULATED_UNCOMPRESSED("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian",
      Encoding.EXPLICIT_LE, Family.ENCAPSULATED_NATIVE, false),
  /** Deflated Explicit VR Little Endian: the data set after the meta group is a raw deflate stream. */
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian",
      Encoding.DEFLATED_LE, Family.NATIVE, false),
  /** Explicit VR Big Endian (retired, still found in archives). */
  EXPLICIT_VR_BIG_ENDIAN("1.2.840.10008.1.2.2", "Explicit VR Big Endian", Encoding.EXPLICIT_BE, Family.NATIVE,
      false),
  /** JPEG Baseline (process 1). */
  JPEG_BASELINE("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", Encoding.EXPLICIT_LE, Family.JPEG, true),
  /** JPEG Extended (processes 2 and 4). */
  JPEG_EXTENDED("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", Encoding.EXPLICIT_LE, Family.JPEG, true),
  /** JPEG Lossless, non-hierarchical (process 14). */
  JPEG_LOSSLESS("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", Encoding.EXPLICIT_LE,
      Family.JPEG, false),
  /** JPEG Lossless, non-hierarchical, first-order prediction (process 14, selection value 1). */
  JPEG_LOSSLESS_SV1("1.2.840.10008.1.2.4.70",
      "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1])", Encoding.EXPLICIT_LE,
      Family.JPEG, false),
  /** JPEG-LS Lossless. */
  JPEG_LS_LOSSLESS("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", Encoding.EXPLICIT_LE, Family.JPEG_LS, false),
  /** JPEG-LS Lossy (near-lossless). */
  JPEG_LS_NEAR_LOSSLESS("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", Encoding.EXPLICIT_LE,
      Family.JPEG_LS, true),
  /** JPEG 2000 Lossless Only. */
  JPEG_2000_LOSSLESS("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", Encoding.EXPLICIT_LE, Family.JPEG_2000,
      false),
  /** JPEG 2000. */
  JPEG_2000("1.2.840.10008.1.2.4.91", "JPEG 2000", Encoding.EXPLICIT_LE, Family.JPEG_2000, true),
  /** JPEG 2000 Part 2 Multi-component Lossless Only. */
  JPEG_2000_MC_LOSSLESS("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)",
      Encoding.EXPLICIT_LE, Family.JPEG_2000_MULTI_COMPONENT, false),
  /** JPEG 2000 Part 2 Multi-component. */
  JPEG_2000_MC("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", Encoding.EXPLICIT_LE,
      Family.JPEG_2000_MULTI_COMPONENT, true),
  /** High-Throughput JPEG 2000 Lossless Only. */
  HTJ2K_LOSSLESS("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", Encoding.EXPLICIT_LE,
      Family.HTJ2K, false),
  /** High-Throughput JPEG 2000 with RPCL Options Lossless Only. */
  HTJ2K_LOSSLESS_RPCL("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL (Lossless Only)",
      Encoding.EXPLICIT_LE, Family.HTJ2K, false),
  /** High-Throughput JPEG 2000. */
  HTJ2K("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", Encoding.EXPLICIT_LE, Family.HTJ2K, true),
  /** JPEG XL Lossless. */
  JPEG_XL_LOSSLESS("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", Encoding.EXPLICIT_LE, Family.JPEG_XL, false),
  /** JPEG XL JPEG Recompression: a JPEG bitstream recompressed without further loss, so lossy as the JPEG was. */
  JPEG_XL_JPEG_RECOMPRESSION("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", Encoding.EXPLICIT_LE,
      Family.JPEG_XL, true),
  /** JPEG XL. */
  JPEG_XL("1.2.840.10008.1.2.4.112", "JPEG XL", Encoding.EXPLICIT_LE, Family.JPEG_XL, true),
  /** MPEG2 Main Profile / Main Level. */
  MPEG2_MPML("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level", Encoding.EXPLICIT_LE, Family.VIDEO,
      true),
  /** MPEG2 Main Profile / High Level. */
  MPEG2_MPHL("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level", Encoding.EXPLICIT_LE, Family.VIDEO,
      true),
  /** MPEG-4 AVC/H.264 High Profile / Level 4.1. */
  MPEG4_HP41("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1", Encoding.EXPLICIT_LE,
      Family.VIDEO, true),
  /** MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1. */
  MPEG4_HP41_BD("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
      Encoding.EXPLICIT_LE, Family.VIDEO, true),
  /** HEVC/H.265 Main Profile / Level 5.1. */
  HEVC_MP51("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1", Encoding.EXPLICIT_LE, Family.VIDEO,
      true),
  /** RLE Lossless. */
  RLE_LOSSLESS("1.2.840.10008.1.2.5", "RLE Lossless", Encoding.EXPLICIT_LE, Family.RLE, false);

  /** The families of Pixel Data encodings: which kind of decoder a transfer syntax needs. */
  public enum Family {
    /** Uncompressed Pixel Data in the data set's byte order. */
    NATIVE,
    /** Uncompressed but encapsulated, one fragment per frame. */
    ENCAPSULATED_NATIVE,
    /** RLE Lossless (PS3.5 annex G). */
    RLE,
    /** ISO 10918 JPEG: baseline, extended and lossless processes. */
    JPEG,
    /** JPEG-LS (ITU-T T.87). */
    JPEG_LS,
    /** JPEG 2000 Part 1. */
    JPEG_2000,
    /** JPEG 2000 Part 2 with multi-component transforms. */
    JPEG_2000_MULTI_COMPONENT,
    /** High-Throughput JPEG 2000 (ISO 15444-15). */
    HTJ2K,
    /** JPEG XL (ISO 18181). */
    JPEG_XL,
    /** Video streams (MPEG-2, H.264, H.265). */
    VIDEO
  }

  /** The data set encodings of PS3.5 annex A, as the reader and writer need them. */
  private enum Encoding {
    IMPLICIT_LE(false, false, false),
    EXPLICIT_LE(true, false, false),
    DEFLATED_LE(true, false, true),
    EXPLICIT_BE(true, true, false);

    private final boolean explicitVr;
    private final boolean bigEndian;
    private final boolean deflated;

    Encoding(boolean explicitVr, boolean bigEndian, boolean deflated) {
      this.explicitVr = explicitVr;
      this.bigEndian = bigEndian;
      this.deflated = deflated;
    }
  }

  private final String uid;
  private final String displayName;
  private final Encoding encoding;
  private final Family family;
  private final boolean lossy;

  TransferSyntax(String uid, String displayName, Encoding encoding, Family family, boolean lossy) {
    this.uid = uid;
    this.displayName = displayName;
    this.encoding = encoding;
    this.family = family;
    this.lossy = lossy;
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

  /** The name PS3.6 table A-1 gives it, e.g. {@code "JPEG-LS Lossless"}. */
  public String displayName() {
    return displayName;
  }

  /** True when each element header carries its VR. */
  public boolean explicitVr() {
    return encoding.explicitVr;
  }

  /** True for Explicit VR Big Endian. */
  public boolean bigEndian() {
    return encoding.bigEndian;
  }

  /** True when the data set is a deflate stream. */
  public boolean deflated() {
    return encoding.deflated;
  }

  /** True when Pixel Data is a sequence of fragments rather than a native value. */
  public boolean encapsulated() {
    return family != Family.NATIVE;
  }

  /** The family of its Pixel Data encoding. */
  public Family family() {
    return family;
  }

  /** True when the encoding may change pixel values (lossy JPEG, near-lossless JPEG-LS, lossy wavelets, video). */
  public boolean lossy() {
    return lossy;
  }
}
