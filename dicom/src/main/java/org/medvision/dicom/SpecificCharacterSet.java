package org.medvision.dicom;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The character repertoire of a data set, from its Specific Character Set (0008,0005), used to decode and encode
 * the values of SH, LO, ST, LT, PN, UC and UT.
 *
 * <p>Single-byte sets (ISO_IR 100 and the other ISO 8859 parts Java has, ISO_IR 13, ISO_IR 166), ISO_IR 192
 * (UTF-8), GB18030 and GBK decode directly. When the value has several terms or an {@code ISO 2022} term, values
 * are decoded as ISO 2022: escape sequences switch G0 (ASCII, JIS X 0201 Romaji, JIS X 0208, JIS X 0212) and G1
 * (ISO 8859 upper halves, JIS X 0201 Katakana, KS X 1001, GB 2312), and value, line and (for PN) component
 * delimiters return to the initial sets, as PS3.5 section 6.1.2.5 requires. Unknown terms fall back to ISO-8859-1
 * so a file stays readable; {@link #unknownTerms()} lists them.
 */
public final class SpecificCharacterSet {
  private static final Charset LATIN1 = StandardCharsets.ISO_8859_1;
  private static final Map<String, String> SINGLE = Map.ofEntries(
      Map.entry("ISO_IR 6", "US-ASCII"),
      Map.entry("ISO_IR 100", "ISO-8859-1"), Map.entry("ISO_IR 101", "ISO-8859-2"),
      Map.entry("ISO_IR 109", "ISO-8859-3"), Map.entry("ISO_IR 110", "ISO-8859-4"),
      Map.entry("ISO_IR 144", "ISO-8859-5"), Map.entry("ISO_IR 127", "ISO-8859-6"),
      Map.entry("ISO_IR 126", "ISO-8859-7"), Map.entry("ISO_IR 138", "ISO-8859-8"),
      Map.entry("ISO_IR 148", "ISO-8859-9"), Map.entry("ISO_IR 203", "ISO-8859-15"),
      Map.entry("ISO_IR 13", "JIS_X0201"), Map.entry("ISO_IR 166", "TIS-620"),
      Map.entry("ISO_IR 192", "UTF-8"), Map.entry("GB18030", "GB18030"), Map.entry("GBK", "GBK"));
  /** Final byte of {@code ESC - F} designations of 96-character sets to G1. */
  private static final Map<Character, String> G1_96 = Map.ofEntries(
      Map.entry('A', "ISO-8859-1"), Map.entry('B', "ISO-8859-2"), Map.entry('C', "ISO-8859-3"),
      Map.entry('D', "ISO-8859-4"), Map.entry('L', "ISO-8859-5"), Map.entry('G', "ISO-8859-6"),
      Map.entry('F', "ISO-8859-7"), Map.entry('H', "ISO-8859-8"), Map.entry('M', "ISO-8859-9"),
      Map.entry('b', "ISO-8859-15"), Map.entry('T', "TIS-620"));

  /** The default repertoire (ISO_IR 6, ASCII), used when (0008,0005) is absent or empty. */
  public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(List.of(), List.of());

  private final List<String> terms;
  private final List<String> unknown;
  private final Charset single;
  private final boolean iso2022;

  private SpecificCharacterSet(List<String> terms, List<String> unknown) {
    this.terms = List.copyOf(terms);
    this.unknown = List.copyOf(unknown);
    String first = terms.isEmpty() ? "" : terms.get(0);
    this.iso2022 = terms.size() > 1 || first.startsWith("ISO 2022");
    String name = SINGLE.get(first);
    this.single = name == null || !Charset.isSupported(name) ? LATIN1 : Charset.forName(name);
  }

  /**
   * The character set named by the values of (0008,0005); leading and trailing spaces are ignored and an empty first
   * value means the default repertoire.
   */
  public static SpecificCharacterSet of(List<String> values) {
    if (values.isEmpty() || values.size() == 1 && values.get(0).isBlank()) {
      return DEFAULT;
    }
    List<String> terms = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String value : values) {
      String term = value.strip().toUpperCase(Locale.ROOT);
      terms.add(term);
      if (!term.isEmpty() && !SINGLE.containsKey(term) && !isKnownIso2022(term)) {
        unknown.add(term);
      }
    }
    return new SpecificCharacterSet(terms, unknown);
  }

  /** The defined terms as given, upper-cased and stripped. */
  public List<String> terms() {
    return terms;
  }

  /** Terms this codec does not know; their values decode as ISO-8859-1. */
  public List<String> unknownTerms() {
    return unknown;
  }

  /** True when values are decoded with ISO 2022 code extensions. */
  public boolean isIso2022() {
    return iso2022;
  }

  /** True for ISO_IR 192 (UTF-8), which can encode any string. */
  public boolean isUtf8() {
    return single.equals(StandardCharsets.UTF_8) && !iso2022;
  }

  /** Decodes {@code length} bytes of a value of the given VR. */
  public String decode(byte[] bytes, int offset, int length, VR vr) {
    if (!vr.usesSpecificCharacterSet()) {
      return new String(bytes, offset, length, LATIN1);
    }
    if (!iso2022) {
      return new String(bytes, offset, length, single);
    }
    return new Iso2022Decoder(initialG0(), initialG1(), vr == VR.PN).decode(bytes, offset, length);
  }

  /**
   * Encodes a string for a value of the given VR.
   *
   * @throws DicomException when the string has characters the repertoire cannot encode; the message suggests
   *     ISO_IR 192
   */
  public byte[] encode(String text, VR vr) {
    Charset charset = vr.usesSpecificCharacterSet() ? encodingCharset() : StandardCharsets.US_ASCII;
    CharsetEncoder encoder = charset.newEncoder();
    if (!encoder.canEncode(text)) {
      throw new DicomException("cannot encode '" + text + "' as " + vr + " in Specific Character Set "
          + (terms.isEmpty() ? "(default, ASCII)" : String.join("\\", terms))
          + "; set (0008,0005) to ISO_IR 192 before setting values outside that repertoire");
    }
    return text.getBytes(charset);
  }

  private Charset encodingCharset() {
    if (!iso2022) {
      return terms.isEmpty() ? StandardCharsets.US_ASCII : single;
    }
    // Writing escape sequences is not supported: we encode in the initial sets only, which keeps output valid.
    String first = terms.get(0);
    String name = first.isEmpty() ? null : G1_96.get(g1Final(first));
    return name == null ? StandardCharsets.US_ASCII : Charset.forName(name);
  }

  private Iso2022Decoder.G0 initialG0() {
    return !terms.isEmpty() && terms.get(0).equals("ISO 2022 IR 13") ? Iso2022Decoder.G0.ROMAJI
        : Iso2022Decoder.G0.ASCII;
  }

  private Charset initialG1() {
    if (terms.isEmpty()) {
      return null;
    }
    String first = terms.get(0);
    switch (first) {
      case "ISO 2022 IR 13":
        return Iso2022Decoder.KATAKANA;
      case "ISO 2022 IR 149":
        return charset("EUC-KR");
      case "ISO 2022 IR 58":
        return charset("GB2312");
      default:
        String name = G1_96.get(g1Final(first));
        return name == null ? SINGLE.containsKey(first) ? single : null : charset(name);
    }
  }

  private static char g1Final(String term) {
    switch (term) {
      case "ISO 2022 IR 100": return 'A';
      case "ISO 2022 IR 101": return 'B';
      case "ISO 2022 IR 109": return 'C';
      case "ISO 2022 IR 110": return 'D';
      case "ISO 2022 IR 144": return 'L';
      case "ISO 2022 IR 127": return 'G';
      case "ISO 2022 IR 126": return 'F';
      case "ISO 2022 IR 138": return 'H';
      case "ISO 2022 IR 148": return 'M';
      case "ISO 2022 IR 203": return 'b';
      case "ISO 2022 IR 166": return 'T';
      default: return 0;
    }
  }

  private static boolean isKnownIso2022(String term) {
    return term.equals("ISO 2022 IR 6") || term.equals("ISO 2022 IR 13") || term.equals("ISO 2022 IR 87")
        || term.equals("ISO 2022 IR 159") || term.equals("ISO 2022 IR 149") || term.equals("ISO 2022 IR 58")
        || g1Final(term) != 0;
  }

  static Charset charset(String name) {
    return Charset.isSupported(name) ? Charset.forName(name) : LATIN1;
  }

  static String g1Name(char finalByte) {
    return G1_96.get(finalByte);
  }

  @Override
  public String toString() {
    return terms.isEmpty() ? "ISO_IR 6" : String.join("\\", terms);
  }
}
