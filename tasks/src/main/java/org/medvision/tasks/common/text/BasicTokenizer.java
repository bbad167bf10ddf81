package org.medvision.tasks.common.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * BERT's basic tokenizer: the text is split into words and punctuation before WordPiece sees it. The rules are those
 * of Hugging Face's slow {@code BasicTokenizer} ({@code transformers/models/bert/tokenization_bert.py}), in order:
 *
 * <ol>
 *   <li>drop U+0000, U+FFFD and control characters (every Unicode category C*, except tab, line feed and carriage
 *       return); map those three and every space separator (Zs) to a space;
 *   <li>put spaces around CJK ideographs (when {@code tokenizeChineseChars});
 *   <li>compose to Unicode NFC;
 *   <li>split on whitespace;
 *   <li>for each word not in {@code neverSplit}: lower-case it when {@code lowerCase}; strip accents (decompose to NFD
 *       and drop non-spacing marks, Mn) when {@code stripAccents} is true, or when it is null and {@code lowerCase}
 *       is set;
 *   <li>make every punctuation character a word of its own: ASCII 33–47, 58–64, 91–96, 123–126 (so {@code $}, {@code
 *       +}, {@code ^}, {@code `} count although Unicode calls them symbols) and every Unicode category P*.
 * </ol>
 *
 * <p>Two places where Google's original {@code tokenization.py} (and dmis-lab's BioBERT copy) differ: it counts only
 * Cc and Cf as control characters (HF's C* also drops unassigned, private-use and surrogate code points), and it has
 * no NFC step (so a decomposed "e + ◌́" reaches a cased vocabulary uncomposed). Neither changes ASCII text.
 *
 * <p>Characters are Unicode code points, as Python's {@code str} counts them; Unicode categories are Java's, whose
 * Unicode version may differ from a given Python's for characters added recently. Immutable.
 */
public final class BasicTokenizer {
  private final boolean lowerCase;
  private final boolean stripAccents;
  private final boolean tokenizeChineseChars;
  private final Set<String> neverSplit;

  /**
   * A basic tokenizer.
   *
   * @param lowerCase whether words are lower-cased ({@code do_lower_case})
   * @param stripAccents true or false to force accent stripping on or off; null to strip exactly when lower-casing
   *     (HF's {@code strip_accents=None})
   * @param tokenizeChineseChars whether CJK ideographs become words of their own (HF's default, true)
   * @param neverSplit whole words kept as they are: neither lower-cased, stripped nor split (the special tokens)
   */
  public BasicTokenizer(boolean lowerCase, Boolean stripAccents, boolean tokenizeChineseChars, Set<String> neverSplit) {
    this.lowerCase = lowerCase;
    this.stripAccents = stripAccents == null ? lowerCase : stripAccents;
    this.tokenizeChineseChars = tokenizeChineseChars;
    this.neverSplit = Set.copyOf(neverSplit);
  }

  /** Whether words are lower-cased. */
  public boolean lowerCase() {
    return lowerCase;
  }

  /** Whether accents are stripped (after resolving HF's null to {@link #lowerCase()}). */
  public boolean stripAccents() {
    return stripAccents;
  }

  /** The words and punctuation marks of {@code text}, in order. */
  public List<String> tokenize(String text) {
    String cleaned = clean(text);
    String spaced = tokenizeChineseChars ? spaceCjk(cleaned) : cleaned;
    List<String> out = new ArrayList<>();
    for (String word : splitOnWhitespace(Normalizer.normalize(spaced, Normalizer.Form.NFC))) {
      if (neverSplit.contains(word)) {
        out.add(word);
        continue;
      }
      String w = lowerCase ? word.toLowerCase(Locale.ROOT) : word;
      if (stripAccents) {
        w = stripAccents(w);
      }
      splitOnPunctuation(w, out);
    }
    return out;
  }

  private static String clean(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
        return;
      }
      if (isWhitespace(cp)) {
        sb.append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }

  private static String spaceCjk(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (isCjk(cp)) {
        sb.append(' ').appendCodePoint(cp).append(' ');
      } else {
        sb.appendCodePoint(cp);
      }
    });
    return sb.toString();
  }

  /** Splits where Python's {@code str.split()} would: on any character it counts as white space. */
  static List<String> splitOnWhitespace(String text) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    text.codePoints().forEach(cp -> {
      if (Character.isWhitespace(cp) || Character.getType(cp) == Character.SPACE_SEPARATOR) {
        if (current.length() > 0) {
          out.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.appendCodePoint(cp);
      }
    });
    if (current.length() > 0) {
      out.add(current.toString());
    }
    return out;
  }

  private static String stripAccents(String word) {
    StringBuilder sb = new StringBuilder(word.length());
    Normalizer.normalize(word, Normalizer.Form.NFD).codePoints()
        .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
        .forEach(sb::appendCodePoint);
    return sb.toString();
  }

  private static void splitOnPunctuation(String word, List<String> out) {
    StringBuilder current = new StringBuilder();
    word.codePoints().forEach(cp -> {
      if (isPunctuation(cp)) {
        if (current.length() > 0) {
          out.add(current.toString());
          current.setLength(0);
        }
        out.add(new String(Character.toChars(cp)));
      } else {
        current.appendCodePoint(cp);
      }
    });
    if (current.length() > 0) {
      out.add(current.toString());
    }
  }

  /** Space, tab, line feed, carriage return or a space separator (Zs). */
  static boolean isWhitespace(int cp) {
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
  }

  /** A Unicode category C* character other than tab, line feed and carriage return. */
  static boolean isControl(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
        || type == Character.PRIVATE_USE || type == Character.SURROGATE;
  }

  /** ASCII non-alphanumeric printable characters, and Unicode punctuation (P*). */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
        || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
        || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
        || type == Character.OTHER_PUNCTUATION;
  }

  /** A code point in one of the CJK Unified Ideographs blocks BERT lists (not kana or hangul). */
  static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }
}
