package org.medvision.dicom.pixel;

import java.util.Map;

/**
 * The transfer syntaxes whose pixel data this package decodes, and the ones it recognises but refuses with a reason.
 *
 * @param uid the transfer syntax UID
 * @param name its name in PS3.6
 * @param codec which decoder handles it
 * @param unsupportedReason why we do not decode it, or null when we do
 */
public record TransferSyntax(String uid, String name, Codec codec, String unsupportedReason) {
  /** The families of pixel encodings. */
  public enum Codec {
    /** Uncompressed, in the data set's byte order. */
    NATIVE,
    /** Uncompressed but encapsulated, one fragment per frame (1.2.840.10008.1.2.1.98). */
    ENCAPSULATED_NATIVE,
    /** RLE Lossless. */
    RLE,
    /** ISO 10918 JPEG (TwelveMonkeys ImageIO; 12-bit lossy through our own sequential decoder). */
    JPEG,
    /** JPEG-LS (ours). */
    JPEG_LS,
    /** JPEG 2000 Part 1 (jai-imageio). */
    JPEG_2000,
    /** Recognised, not decoded. */
    UNSUPPORTED
  }

  private static final Map<String, TransferSyntax> KNOWN = Map.ofEntries(
      entry("1.2.840.10008.1.2", "Implicit VR Little Endian", Codec.NATIVE, null),
      entry("1.2.840.10008.1.2.1", "Explicit VR Little Endian", Codec.NATIVE, null),
      entry("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", Codec.NATIVE, null),
      entry("1.2.840.10008.1.2.2", "Explicit VR Big Endian", Codec.NATIVE, null),
      entry("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian",
          Codec.ENCAPSULATED_NATIVE, null),
      entry("1.2.840.10008.1.2.5", "RLE Lossless", Codec.RLE, null),
      entry("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)", Codec.JPEG, null),
      entry("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)", Codec.JPEG, null),
      entry("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)", Codec.JPEG, null),
      entry("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [SV1])",
          Codec.JPEG, null),
      entry("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless", Codec.JPEG_LS, null),
      entry("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless)", Codec.JPEG_LS, null),
      entry("1.2.840.10008.1.2.4.90", "JPEG 2000 (Lossless Only)", Codec.JPEG_2000, null),
      entry("1.2.840.10008.1.2.4.91", "JPEG 2000", Codec.JPEG_2000, null),
      entry("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component (Lossless Only)", Codec.UNSUPPORTED,
          "JPEG 2000 Part 2 multi-component transforms are not implemented by jai-imageio"),
      entry("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component", Codec.UNSUPPORTED,
          "JPEG 2000 Part 2 multi-component transforms are not implemented by jai-imageio"),
      entry("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 (Lossless Only)", Codec.UNSUPPORTED,
          "no HTJ2K (ISO 15444-15) decoder is available on Maven Central for the JVM"),
      entry("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL (Lossless Only)", Codec.UNSUPPORTED,
          "no HTJ2K (ISO 15444-15) decoder is available on Maven Central for the JVM"),
      entry("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000", Codec.UNSUPPORTED,
          "no HTJ2K (ISO 15444-15) decoder is available on Maven Central for the JVM"),
      entry("1.2.840.10008.1.2.4.110", "JPEG XL Lossless", Codec.UNSUPPORTED, "JPEG XL decoding is not implemented"),
      entry("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression", Codec.UNSUPPORTED,
          "JPEG XL decoding is not implemented"),
      entry("1.2.840.10008.1.2.4.112", "JPEG XL", Codec.UNSUPPORTED, "JPEG XL decoding is not implemented"));

  private static Map.Entry<String, TransferSyntax> entry(String uid, String name, Codec codec, String reason) {
    return Map.entry(uid, new TransferSyntax(uid, name, codec, reason));
  }

  /**
   * Looks a UID up; unknown UIDs (video, JPIP, private) come back as {@link Codec#UNSUPPORTED}.
   *
   * @param uid the Transfer Syntax UID (0002,0010); trailing padding is ignored
   */
  public static TransferSyntax of(String uid) {
    if (uid == null || uid.isBlank()) {
      throw new PixelDecodingException("Transfer Syntax UID (0002,0010) is missing");
    }
    String trimmed = uid.trim().replace("\0", "");
    TransferSyntax known = KNOWN.get(trimmed);
    if (known != null) {
      return known;
    }
    return new TransferSyntax(trimmed, "unknown", Codec.UNSUPPORTED,
        "the transfer syntax is not one this decoder knows (video, JPIP and private syntaxes are not decoded)");
  }

  /** True for the syntaxes whose Pixel Data is a sequence of fragments. */
  public boolean encapsulated() {
    return codec != Codec.NATIVE;
  }

  /** True when decoding may change values (lossy JPEG, JPEG-LS near-lossless, lossy JPEG 2000). */
  public boolean lossy() {
    return uid.equals("1.2.840.10008.1.2.4.50") || uid.equals("1.2.840.10008.1.2.4.51")
        || uid.equals("1.2.840.10008.1.2.4.81") || uid.equals("1.2.840.10008.1.2.4.91");
  }

  /** Whether a fragment begins a codestream of this syntax (used to find frames when there is no offset table). */
  boolean startsCodestream(byte[] fragment) {
    switch (codec) {
      case JPEG, JPEG_LS -> {
        return fragment.length >= 2 && (fragment[0] & 0xFF) == 0xFF && (fragment[1] & 0xFF) == 0xD8;
      }
      case JPEG_2000 -> {
        boolean codestream = fragment.length >= 4 && (fragment[0] & 0xFF) == 0xFF && (fragment[1] & 0xFF) == 0x4F
            && (fragment[2] & 0xFF) == 0xFF && (fragment[3] & 0xFF) == 0x51;
        boolean jp2 = fragment.length >= 8 && fragment[4] == 'j' && fragment[5] == 'P' && fragment[6] == ' '
            && fragment[7] == ' ';
        return codestream || jp2;
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * Throws unless this syntax is decoded here.
   *
   * @throws PixelDecodingException naming the UID and what is missing
   */
  void requireSupported() {
    if (codec == Codec.UNSUPPORTED) {
      throw new PixelDecodingException("cannot decode pixel data in transfer syntax " + uid + " (" + name + "): "
          + unsupportedReason);
    }
  }
}
