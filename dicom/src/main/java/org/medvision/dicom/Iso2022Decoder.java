package org.medvision.dicom;

import java.nio.charset.Charset;

/**
 * Decodes one value encoded with ISO 2022 code extensions (PS3.5 section 6.1.2.5): a small state machine over the
 * G0 and G1 designations, with delimiters returning to the initial designations.
 */
final class Iso2022Decoder {
  /** Marker for JIS X 0201 Katakana in G1, decoded arithmetically to half-width katakana. */
  static final Charset KATAKANA = Charset.forName("JIS_X0201");

  enum G0 { ASCII, ROMAJI, JIS_X0208, JIS_X0212 }

  private static final int ESC = 0x1B;
  private static final Charset EUC_JP = SpecificCharacterSet.charset("EUC-JP");

  private final G0 initialG0;
  private final Charset initialG1;
  private final boolean personName;
  private G0 g0;
  private Charset g1;

  Iso2022Decoder(G0 initialG0, Charset initialG1, boolean personName) {
    this.initialG0 = initialG0;
    this.initialG1 = initialG1;
    this.personName = personName;
  }

  String decode(byte[] bytes, int offset, int length) {
    g0 = initialG0;
    g1 = initialG1;
    StringBuilder out = new StringBuilder(length);
    int end = offset + length;
    int i = offset;
    while (i < end) {
      int b = bytes[i] & 0xFF;
      if (b == ESC) {
        int used = escape(bytes, i + 1, end);
        if (used > 0) {
          i += 1 + used;
          continue;
        }
        out.append((char) b);
        i++;
      } else if (b < 0x80) {
        if (g0 == G0.JIS_X0208 || g0 == G0.JIS_X0212) {
          if (b < 0x21 || i + 1 >= end) {
            out.append((char) b);
            i++;
            continue;
          }
          int b2 = bytes[i + 1] & 0xFF;
          byte[] euc = g0 == G0.JIS_X0208 ? new byte[] {(byte) (b | 0x80), (byte) (b2 | 0x80)}
              : new byte[] {(byte) 0x8F, (byte) (b | 0x80), (byte) (b2 | 0x80)};
          out.append(new String(euc, EUC_JP));
          i += 2;
          continue;
        }
        if (isDelimiter(b)) {
          g0 = initialG0;
          g1 = initialG1;
        }
        out.append(g0 == G0.ROMAJI ? romaji(b) : (char) b);
        i++;
      } else {
        i += high(bytes, i, end, out);
      }
    }
    return out.toString();
  }

  private int high(byte[] bytes, int i, int end, StringBuilder out) {
    int b = bytes[i] & 0xFF;
    if (g1 == null) {
      out.append((char) b);
      return 1;
    }
    if (g1 == KATAKANA) {
      out.append(b >= 0xA1 && b <= 0xDF ? (char) (0xFF61 + b - 0xA1) : (char) b);
      return 1;
    }
    if (isDoubleByte(g1) && i + 1 < end) {
      out.append(new String(bytes, i, 2, g1));
      return 2;
    }
    out.append(new String(bytes, i, 1, g1));
    return 1;
  }

  private static boolean isDoubleByte(Charset charset) {
    String name = charset.name();
    return name.equals("EUC-KR") || name.equals("GB2312");
  }

  /** Applies the escape sequence whose bytes follow ESC at {@code i}; returns how many bytes it used, 0 if unknown. */
  private int escape(byte[] bytes, int i, int end) {
    int a = i < end ? bytes[i] & 0xFF : -1;
    int b = i + 1 < end ? bytes[i + 1] & 0xFF : -1;
    int c = i + 2 < end ? bytes[i + 2] & 0xFF : -1;
    if (a == '(' && b == 'B') {
      g0 = G0.ASCII;
      return 2;
    }
    if (a == '(' && b == 'J') {
      g0 = G0.ROMAJI;
      return 2;
    }
    if (a == '$' && b == 'B') {
      g0 = G0.JIS_X0208;
      return 2;
    }
    if (a == '$' && b == '(' && c == 'D') {
      g0 = G0.JIS_X0212;
      return 3;
    }
    if (a == ')' && b == 'I') {
      g1 = KATAKANA;
      return 2;
    }
    if (a == '$' && b == ')' && c == 'C') {
      g1 = SpecificCharacterSet.charset("EUC-KR");
      return 3;
    }
    if (a == '$' && b == ')' && c == 'A') {
      g1 = SpecificCharacterSet.charset("GB2312");
      return 3;
    }
    if (a == '-' && b >= 0) {
      String name = SpecificCharacterSet.g1Name((char) b);
      if (name != null) {
        g1 = SpecificCharacterSet.charset(name);
        return 2;
      }
    }
    return 0;
  }

  private boolean isDelimiter(int b) {
    return b == '\\' || b == '\r' || b == '\n' || b == '\t' || b == '\f' || personName && (b == '^' || b == '=');
  }

  private static char romaji(int b) {
    if (b == 0x5C) {
      return '\u00A5';
    }
    if (b == 0x7E) {
      return '\u203E';
    }
    return (char) b;
  }
}
