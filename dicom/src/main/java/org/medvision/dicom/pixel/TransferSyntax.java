package org.medvision.dicom.pixel;

/**
 * A transfer syntax as the pixel decoders see it: which decoder handles it, or why none does. The facts about the
 * syntax itself (UID, name, encapsulation, family) come from {@link org.medvision.dicom.TransferSyntax}; this record
 * adds only what this package can decode.
 *
 * @param uid the transfer syntax UID
 * @param name its name in PS3.6
 * @param codec which decoder handles it
 * @param unsupportedReason why we do not decode it, or null when we do
 */
public record TransferSyntax(String uid, String name, Codec codec, String unsupportedReason) {
  /** The decoders of this package. */
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

  /**
   * Looks a UID up; UIDs the core does not know (JPIP, private) come back as {@link Codec#UNSUPPORTED}.
   *
   * @param uid the Transfer Syntax UID (0002,0010); trailing padding is ignored
   * @throws PixelDecodingException when the UID is missing or blank
   */
  public static TransferSyntax of(String uid) {
    if (uid == null || uid.isBlank()) {
      throw new PixelDecodingException("Transfer Syntax UID (0002,0010) is missing");
    }
    String trimmed = uid.trim().replace("\0", "");
    return org.medvision.dicom.TransferSyntax.of(trimmed).map(TransferSyntax::of).orElseGet(
        () -> new TransferSyntax(trimmed, "unknown", Codec.UNSUPPORTED,
            "the transfer syntax is not one this decoder knows (video, JPIP and private syntaxes are not decoded)"));
  }

  /** The decoders' view of a transfer syntax the reader knows. */
  public static TransferSyntax of(org.medvision.dicom.TransferSyntax syntax) {
    Codec codec = switch (syntax.family()) {
      case NATIVE -> Codec.NATIVE;
      case ENCAPSULATED_NATIVE -> Codec.ENCAPSULATED_NATIVE;
      case RLE -> Codec.RLE;
      case JPEG -> Codec.JPEG;
      case JPEG_LS -> Codec.JPEG_LS;
      case JPEG_2000 -> Codec.JPEG_2000;
      default -> Codec.UNSUPPORTED;
    };
    String reason = switch (syntax.family()) {
      case JPEG_2000_MULTI_COMPONENT ->
          "JPEG 2000 Part 2 multi-component transforms are not implemented by jai-imageio";
      case HTJ2K -> "no HTJ2K (ISO 15444-15) decoder is available on Maven Central for the JVM";
      case JPEG_XL -> "JPEG XL decoding is not implemented";
      case VIDEO -> "video transfer syntaxes are not decoded";
      default -> null;
    };
    return new TransferSyntax(syntax.uid(), syntax.displayName(), codec, reason);
  }

  /** True for the syntaxes whose Pixel Data is a sequence of fragments. */
  public boolean encapsulated() {
    return codec != Codec.NATIVE;
  }

  /** True when decoding may change values (see {@link org.medvision.dicom.TransferSyntax#lossy()}). */
  public boolean lossy() {
    return org.medvision.dicom.TransferSyntax.of(uid).map(org.medvision.dicom.TransferSyntax::lossy).orElse(false);
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
