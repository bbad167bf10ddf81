package org.medvision.dicom;

import java.util.Optional;

/**
 * The value representations of DICOM PS3.5 section 6.2, with the properties a codec needs.
 *
 * <p>Binary values are held in memory in little-endian order whatever the transfer syntax; {@link #valueSize()} is
 * the unit a big-endian reader or writer swaps. String values are held as the encoded bytes of the file and decoded
 * on demand with the data set's Specific Character Set when {@link #usesSpecificCharacterSet()} is true.
 */
public enum VR {
  /** Application Entity: up to 16 characters of the default repertoire. */
  AE(Kind.STRING, false, ' ', 0),
  /** Age String: {@code nnnD}, {@code nnnW}, {@code nnnM} or {@code nnnY}. */
  AS(Kind.STRING, false, ' ', 0),
  /** Attribute Tag: pairs of 16-bit group and element numbers. */
  AT(Kind.BINARY, false, 0, 2),
  /** Code String: upper-case code values. */
  CS(Kind.STRING, false, ' ', 0),
  /** Date: {@code YYYYMMDD}. */
  DA(Kind.STRING, false, ' ', 0),
  /** Decimal String: decimal numbers as text. */
  DS(Kind.STRING, false, ' ', 0),
  /** Date Time: {@code YYYYMMDDHHMMSS.FFFFFF&ZZXX}. */
  DT(Kind.STRING, false, ' ', 0),
  /** Floating Point Single: IEEE 754 binary32. */
  FL(Kind.BINARY, false, 0, 4),
  /** Floating Point Double: IEEE 754 binary64. */
  FD(Kind.BINARY, false, 0, 8),
  /** Integer String: integers as text. */
  IS(Kind.STRING, false, ' ', 0),
  /** Long String: up to 64 characters, Specific Character Set applies. */
  LO(Kind.STRING, false, ' ', 0),
  /** Long Text: single-valued text up to 10240 characters, Specific Character Set applies. */
  LT(Kind.TEXT, false, ' ', 0),
  /** Other Byte: a byte stream, never swapped. */
  OB(Kind.BINARY, true, 0, 1),
  /** Other Double: binary64 words. */
  OD(Kind.BINARY, true, 0, 8),
  /** Other Float: binary32 words. */
  OF(Kind.BINARY, true, 0, 4),
  /** Other Long: 32-bit words. */
  OL(Kind.BINARY, true, 0, 4),
  /** Other 64-bit Very Long: 64-bit words. */
  OV(Kind.BINARY, true, 0, 8),
  /** Other Word: 16-bit words. */
  OW(Kind.BINARY, true, 0, 2),
  /** Person Name: component groups separated by {@code =}, components by {@code ^}. */
  PN(Kind.STRING, false, ' ', 0),
  /** Short String: up to 16 characters, Specific Character Set applies. */
  SH(Kind.STRING, false, ' ', 0),
  /** Signed Long: 32-bit signed integers. */
  SL(Kind.BINARY, false, 0, 4),
  /** Sequence of Items. */
  SQ(Kind.SEQUENCE, true, 0, 0),
  /** Signed Short: 16-bit signed integers. */
  SS(Kind.BINARY, false, 0, 2),
  /** Short Text: single-valued text up to 1024 characters, Specific Character Set applies. */
  ST(Kind.TEXT, false, ' ', 0),
  /** Signed 64-bit Very Long. */
  SV(Kind.BINARY, true, 0, 8),
  /** Time: {@code HHMMSS.FFFFFF}. */
  TM(Kind.STRING, false, ' ', 0),
  /** Unlimited Characters: multi-valued, Specific Character Set applies. */
  UC(Kind.STRING, true, ' ', 0),
  /** Unique Identifier: dotted decimal, padded with a NUL byte. */
  UI(Kind.STRING, false, 0, 0),
  /** Unsigned Long: 32-bit unsigned integers. */
  UL(Kind.BINARY, false, 0, 4),
  /** Unknown: bytes whose VR the writer did not know, never swapped. */
  UN(Kind.BINARY, true, 0, 1),
  /** Universal Resource Identifier: single-valued, no Specific Character Set. */
  UR(Kind.TEXT, true, ' ', 0),
  /** Unsigned Short: 16-bit unsigned integers. */
  US(Kind.BINARY, false, 0, 2),
  /** Unlimited Text: single-valued text, Specific Character Set applies. */
  UT(Kind.TEXT, true, ' ', 0),
  /** Unsigned 64-bit Very Long. */
  UV(Kind.BINARY, true, 0, 8);

  private enum Kind { STRING, TEXT, BINARY, SEQUENCE }

  private static final VR[] BY_CODE = new VR[26 * 26];

  static {
    for (VR vr : values()) {
      String name = vr.name();
      BY_CODE[(name.charAt(0) - 'A') * 26 + (name.charAt(1) - 'A')] = vr;
    }
  }

  private final Kind kind;
  private final boolean longLength;
  private final byte padding;
  private final int valueSize;

  VR(Kind kind, boolean longLength, int padding, int valueSize) {
    this.kind = kind;
    this.longLength = longLength;
    this.padding = (byte) padding;
    this.valueSize = valueSize;
  }

  /**
   * The VR whose two-letter code is the given pair of bytes (as read from an explicit VR header), or null when the
   * bytes are not a VR of PS3.5.
   */
  public static VR fromCode(int first, int second) {
    int a = first - 'A';
    int b = second - 'A';
    if (a < 0 || a >= 26 || b < 0 || b >= 26) {
      return null;
    }
    return BY_CODE[a * 26 + b];
  }

  /** The VR named by a two-letter code such as {@code "PN"}; empty for anything else. */
  public static Optional<VR> of(String code) {
    if (code == null || code.length() != 2) {
      return Optional.empty();
    }
    return Optional.ofNullable(fromCode(code.charAt(0), code.charAt(1)));
  }

  /**
   * True when explicit VR encoding uses the long header form: two reserved bytes then a 32-bit length (OB, OD, OF,
   * OL, OV, OW, SQ, SV, UC, UN, UR, UT, UV); false for the 16-bit length form.
   */
  public boolean isLongLength() {
    return longLength;
  }

  /** The byte appended to make an odd-length value even: space for text, NUL for UI and binary values. */
  public byte paddingByte() {
    return padding;
  }

  /** True for character VRs (including the single-valued text VRs LT, ST, UT and UR). */
  public boolean isString() {
    return kind == Kind.STRING || kind == Kind.TEXT;
  }

  /** True for the text VRs (LT, ST, UT, UR) whose value is one string in which a backslash is an ordinary character. */
  public boolean isText() {
    return kind == Kind.TEXT;
  }

  /** True for VRs whose values are binary numbers or raw bytes. */
  public boolean isBinary() {
    return kind == Kind.BINARY;
  }

  /** True for SQ. */
  public boolean isSequence() {
    return kind == Kind.SEQUENCE;
  }

  /**
   * Bytes per binary value, the unit that is byte-swapped between little- and big-endian encodings (1 for OB and UN,
   * which are never swapped; 2 for AT, whose two 16-bit halves are swapped separately); 0 for strings and SQ.
   */
  public int valueSize() {
    return valueSize;
  }

  /** True when the value's text is encoded with the Specific Character Set (0008,0005): SH, LO, ST, LT, PN, UC, UT. */
  public boolean usesSpecificCharacterSet() {
    return this == SH || this == LO || this == ST || this == LT || this == PN || this == UC || this == UT;
  }

  /** True when leading spaces are insignificant and dropped on reading (PS3.5 table 6.2-1). */
  boolean trimsLeadingSpaces() {
    return this == AE || this == AS || this == CS || this == DS || this == IS || this == LO || this == SH
        || this == DA || this == TM || this == DT;
  }
}
