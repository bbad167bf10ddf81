package org.medvision.tasks.common.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.medvision.api.MedvisionException;

/**
 * BERT's full tokenizer: {@link BasicTokenizer}, then {@link WordPieceTokenizer}, then the sequence layout of Hugging
 * Face's {@code BertTokenizer}: {@code [CLS] X [SEP]} (all token type 0) or {@code [CLS] A [SEP] B [SEP]} (type 0
 * through the first [SEP], 1 after), padded with [PAD] to the length the graph was built for.
 *
 * <p>Our own code rather than DJL's {@code ai.djl.modality.nlp.bert.BertFullTokenizer}: that class lives in DJL's api
 * artifact (an engine library this module may not depend on), and its rules differ from Hugging Face's on three
 * points: words of up to 200 characters are spelled (HF: 100), accents are stripped even when the text is not
 * lower-cased (wrong for a cased vocabulary such as BioBERT's, where "é" is its own piece), and CJK ideographs are
 * not spaced out.
 *
 * <p>Sequences longer than the requested length are an error, never silently truncated: a label prototype built from
 * half a label would be wrong without any sign. Special tokens written as whole words in the text ("[MASK]") are kept
 * as they are; unlike HF's added-token splitting, one glued to other characters ("x[MASK]") is split like any text.
 * Immutable.
 */
public final class BertTokenizer {
  private final WordPieceVocabulary vocabulary;
  private final BasicTokenizer basic;
  private final WordPieceTokenizer wordPiece;
  private final int cls;
  private final int sep;
  private final int pad;

  /** A tokenizer from its parts; the vocabulary must be the one {@code wordPiece} uses. */
  public BertTokenizer(WordPieceVocabulary vocabulary, BasicTokenizer basic, WordPieceTokenizer wordPiece) {
    this.vocabulary = vocabulary;
    this.basic = basic;
    this.wordPiece = wordPiece;
    this.cls = vocabulary.id(WordPieceVocabulary.CLS);
    this.sep = vocabulary.id(WordPieceVocabulary.SEP);
    this.pad = vocabulary.id(WordPieceVocabulary.PAD);
  }

  /**
   * Hugging Face's {@code BertTokenizer(vocab, do_lower_case=lowerCase)} with its other defaults: accents stripped
   * exactly when lower-casing, CJK ideographs spaced out, words over 100 characters unknown, the special tokens the
   * vocabulary has never split.
   */
  public static BertTokenizer huggingFace(WordPieceVocabulary vocabulary, boolean lowerCase) {
    return huggingFace(vocabulary, lowerCase, null);
  }

  /** As {@link #huggingFace(WordPieceVocabulary, boolean)}, with HF's {@code strip_accents} (null: as lower case). */
  public static BertTokenizer huggingFace(WordPieceVocabulary vocabulary, boolean lowerCase, Boolean stripAccents) {
    return new BertTokenizer(vocabulary, new BasicTokenizer(lowerCase, stripAccents, true, specials(vocabulary)),
        WordPieceTokenizer.huggingFace(vocabulary));
  }

  /** The special tokens the vocabulary has, which the basic tokenizer never splits. */
  static Set<String> specials(WordPieceVocabulary vocabulary) {
    Set<String> out = new LinkedHashSet<>();
    for (String s : List.of(WordPieceVocabulary.CLS, WordPieceVocabulary.SEP, WordPieceVocabulary.PAD,
        WordPieceVocabulary.UNK, WordPieceVocabulary.MASK)) {
      if (vocabulary.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }

  /** The vocabulary. */
  public WordPieceVocabulary vocabulary() {
    return vocabulary;
  }

  /** Whether text is lower-cased before WordPiece. */
  public boolean lowerCase() {
    return basic.lowerCase();
  }

  /** The word pieces of {@code text}, without [CLS] and [SEP]. */
  public List<String> tokenize(String text) {
    return wordPiece.tokenize(basic.tokenize(text));
  }

  /** The number of tokens {@code text} needs as a single sequence, [CLS] and [SEP] included. */
  public int length(String text) {
    return tokenize(text).size() + 2;
  }

  /**
   * {@code [CLS] text [SEP]}, padded to {@code length}.
   *
   * @throws MedvisionException naming the text if it needs more than {@code length} tokens
   */
  public BertEncoding encode(String text, int length) {
    return layout(List.of(tokenize(text)), length, text);
  }

  /**
   * {@code [CLS] first [SEP] second [SEP]}, padded to {@code length}.
   *
   * @throws MedvisionException naming the texts if they need more than {@code length} tokens
   */
  public BertEncoding encodePair(String first, String second, int length) {
    return layout(List.of(tokenize(first), tokenize(second)), length, first + "' / '" + second);
  }

  /**
   * Every text as a single sequence, padded to {@code length}.
   *
   * @throws MedvisionException naming the first text that needs more than {@code length} tokens
   */
  public BertBatch encodeAll(List<String> texts, int length) {
    List<BertEncoding> rows = new ArrayList<>();
    for (String t : texts) {
      rows.add(encode(t, length));
    }
    return new BertBatch(rows);
  }

  /** Every text as a single sequence, padded to the longest one's length. */
  public BertBatch encodeAll(List<String> texts) {
    int longest = 2;
    for (String t : texts) {
      longest = Math.max(longest, length(t));
    }
    return encodeAll(texts, longest);
  }

  private BertEncoding layout(List<List<String>> segments, int length, String what) {
    int needed = 1;
    for (List<String> s : segments) {
      needed += s.size() + 1;
    }
    if (length < 1) {
      throw new IllegalArgumentException("sequence length must be positive, got " + length);
    }
    if (needed > length) {
      throw new MedvisionException("text '" + what + "' needs " + needed + " tokens with [CLS] and [SEP], more than"
          + " the sequence length " + length + "; build the graph for a longer sequence");
    }
    List<String> tokens = new ArrayList<>(length);
    long[] ids = new long[length];
    long[] types = new long[length];
    float[] mask = new float[length];
    float[] pool = new float[length];
    Arrays.fill(ids, pad);
    int at = 0;
    tokens.add(WordPieceVocabulary.CLS);
    ids[at] = cls;
    mask[at++] = 1;
    for (int s = 0; s < segments.size(); s++) {
      for (String piece : segments.get(s)) {
        tokens.add(piece);
        ids[at] = vocabulary.id(piece);
        types[at] = s;
        mask[at] = 1;
        pool[at++] = 1;
      }
      tokens.add(WordPieceVocabulary.SEP);
      ids[at] = sep;
      types[at] = s;
      mask[at++] = 1;
    }
    while (tokens.size() < length) {
      tokens.add(WordPieceVocabulary.PAD);
    }
    return new BertEncoding(tokens, ids, types, mask, pool);
  }
}
