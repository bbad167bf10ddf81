package org.medvision.dicom;

/**
 * Helpers for DICOM tags, which medvision passes around as an {@code int}: the group in the high 16 bits and the
 * element in the low 16 bits, so {@code 0x00100010} is (0010,0010) Patient's Name. Constants live in {@link Tags}.
 */
public final class Tag {
  /** (FFFE,E000) Item. */
  public static final int ITEM = 0xFFFEE000;
  /** (FFFE,E00D) Item Delimitation Item. */
  public static final int ITEM_DELIMITATION = 0xFFFEE00D;
  /** (FFFE,E0DD) Sequence Delimitation Item. */
  public static final int SEQUENCE_DELIMITATION = 0xFFFEE0DD;

  private Tag() {}

  /** The tag with the given group and element (each 0..0xFFFF). */
  public static int of(int group, int element) {
    if ((group & ~0xFFFF) != 0 || (element & ~0xFFFF) != 0) {
      throw new IllegalArgumentException("group and element must be 16-bit: " + group + ", " + element);
    }
    return (group << 16) | element;
  }

  /** The group number (high 16 bits). */
  public static int group(int tag) {
    return tag >>> 16;
  }

  /** The element number (low 16 bits). */
  public static int element(int tag) {
    return tag & 0xFFFF;
  }

  /** True for tags of odd groups other than 1, 3, 5, 7 and FFFF, which belong to private data dictionaries. */
  public static boolean isPrivate(int tag) {
    int group = group(tag);
    return (group & 1) == 1 && group > 7 && group != 0xFFFF;
  }

  /**
   * True for a private creator element (gggg,0010-00FF), whose LO value names the owner of the block
   * (gggg,xx00-xxFF) with xx its element number.
   */
  public static boolean isPrivateCreator(int tag) {
    int element = element(tag);
    return isPrivate(tag) && element >= 0x10 && element <= 0xFF;
  }

  /**
   * The tag of the private creator element that reserves the block a private data element belongs to, e.g.
   * (0029,1008) -> (0029,0010); -1 when the tag is not in a private block.
   */
  public static int privateCreatorOf(int tag) {
    int element = element(tag);
    if (!isPrivate(tag) || element < 0x1000) {
      return -1;
    }
    return (tag & 0xFFFF0000) | (element >>> 8);
  }

  /** True for group-length elements (gggg,0000). */
  public static boolean isGroupLength(int tag) {
    return element(tag) == 0;
  }

  /** True for the item and delimitation tags of group FFFE, which never appear as data elements. */
  public static boolean isDelimiter(int tag) {
    return tag == ITEM || tag == ITEM_DELIMITATION || tag == SEQUENCE_DELIMITATION;
  }

  /** The tag as {@code (GGGG,EEEE)} in upper-case hexadecimal, the form dcmdump and the standard print. */
  public static String toString(int tag) {
    char[] out = new char[11];
    out[0] = '(';
    writeHex(out, 1, group(tag));
    out[5] = ',';
    writeHex(out, 6, element(tag));
    out[10] = ')';
    return new String(out);
  }

  /**
   * Parses {@code (GGGG,EEEE)}, {@code GGGG,EEEE} or {@code GGGGEEEE} (hexadecimal, either case).
   *
   * @throws DicomException naming the text when it is not a tag
   */
  public static int parse(String text) {
    String s = text.trim();
    if (s.startsWith("(") && s.endsWith(")")) {
      s = s.substring(1, s.length() - 1);
    }
    s = s.replace(",", "");
    if (s.length() != 8) {
      throw new DicomException("not a DICOM tag: '" + text + "' (expected (GGGG,EEEE))");
    }
    try {
      return (int) Long.parseLong(s, 16);
    } catch (NumberFormatException e) {
      throw new DicomException("not a DICOM tag: '" + text + "' (expected hexadecimal (GGGG,EEEE))", e);
    }
  }

  private static void writeHex(char[] out, int at, int value) {
    for (int i = 3; i >= 0; i--) {
      out[at + i] = Character.toUpperCase(Character.forDigit(value & 0xF, 16));
      value >>>= 4;
    }
  }
}
