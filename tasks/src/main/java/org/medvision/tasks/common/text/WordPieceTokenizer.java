package org.medvision.tasks.common.text;

import java.util.ArrayList;
import java.util.List;

/**
 * WordPiece: each word becomes the longest vocabulary piece that starts it, then the longest piece (looked up with the
 * continuation prefix, {@code ##}) that starts the rest, and so on, greedily from the left.
 *
 * <p>A word that some position cannot continue from becomes one unknown token as a whole (never a partial spelling),
 * and so does a word of more than {@code maxInputCharsPerWord} code points. Hugging Face's {@code BertTokenizer} uses
 * 100; Google's original and dmis-lab's BioBERT scripts use 200, so 101–200-character words tokenize differently
 * there. Immutable.
 */
public final class WordPieceTokenizer {
  /** Hugging Face's {@code max_input_chars_per_word}. */
  public static final int HF_MAX_INPUT_CHARS_PER_WORD = 100;
  /** BERT's continuation prefix. */
  public static final String CONTINUATION = "##";

  private final WordPieceVocabulary vocabulary;
  private final String unknown;
  private final String continuation;
  private final int maxInputCharsPerWord;

  /**
   * A WordPiece tokenizer.
   *
   * @param vocabulary the pieces
   * @param unknown the token for words the vocabulary cannot spell; must be in the vocabulary
   * @param continuation the prefix of non-initial pieces ({@code ##})
   * @param maxInputCharsPerWord longer words become {@code unknown}
   */
  public WordPieceTokenizer(WordPieceVocabulary vocabulary, String unknown, String continuation,
      int maxInputCharsPerWord) {
    if (!vocabulary.contains(unknown)) {
      throw new IllegalArgumentException(vocabulary.source() + " has no unknown token '" + unknown + "'");
    }
    if (maxInputCharsPerWord < 1) {
      throw new IllegalArgumentException("max input chars per word must be positive, got " + maxInputCharsPerWord);
    }
    this.vocabulary = vocabulary;
    this.unknown = unknown;
    this.continuation = continuation;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
  }

  /** Hugging Face's settings: [UNK], {@code ##}, 100 characters. */
  public static WordPieceTokenizer huggingFace(WordPieceVocabulary vocabulary) {
    return new WordPieceTokenizer(vocabulary, WordPieceVocabulary.UNK, CONTINUATION, HF_MAX_INPUT_CHARS_PER_WORD);
  }

  /** The pieces of every word, in order. */
  public List<String> tokenize(List<String> words) {
    List<String> out = new ArrayList<>();
    for (String word : words) {
      pieces(word, out);
    }
    return out;
  }

  private void pieces(String word, List<String> out) {
    int[] cps = word.codePoints().toArray();
    if (cps.length > maxInputCharsPerWord) {
      out.add(unknown);
      return;
    }
    List<String> found = new ArrayList<>();
    int start = 0;
    while (start < cps.length) {
      String piece = null;
      int end = cps.length;
      for (; end > start; end--) {
        String candidate = new String(cps, start, end - start);
        if (start > 0) {
          candidate = continuation + candidate;
        }
        if (vocabulary.contains(candidate)) {
          piece = candidate;
          break;
        }
      }
      if (piece == null) {
        out.add(unknown);
        return;
      }
      found.add(piece);
      start = end;
    }
    out.addAll(found);
  }
}
