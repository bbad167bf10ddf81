package org.medvision.tasks.common.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * The tokenizer against cases worked out by hand from the published rules (papers-addendum §11: Hugging Face's
 * {@code BertTokenizer}) on a 35-token vocabulary; each expected id list is read off {@link #VOCAB} by hand.
 */
class BertTokenizerTest {
  /** Ids are positions: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, [MASK] 4, un 5, ##aff 6, ##able 7, ##a 8, ... */
  static final List<String> VOCAB = List.of(
      "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", // 0-4
      "un", "##aff", "##able", "##a", "the", // 5-9
      "The", "cafe", "café", ",", ".", // 10-14
      "!", "$", "5", "中", "国", // 15-19
      "pleural", "Pleural", "##ening", "thick", "Thick", // 20-24
      "##s", "a", "-", "x", "ray", // 25-29
      "¿", "hello", "##z", "\uD835\uDC00", "##\uD835\uDC00"); // 30-34 (U+1D400, two UTF-16 units)

  private static final WordPieceVocabulary VOCABULARY = WordPieceVocabulary.of(VOCAB, "test vocab");
  private static final BertTokenizer UNCASED = BertTokenizer.huggingFace(VOCABULARY, true);
  private static final BertTokenizer CASED = BertTokenizer.huggingFace(VOCABULARY, false);

  /** The ids of the single sequence {@code text} without padding: [CLS] ... [SEP]. */
  private static long[] ids(BertTokenizer t, String text) {
    return t.encode(text, t.length(text)).inputIds();
  }

  @Test
  void continuationPiecesAreLongestMatchFirst() {
    // "unaffable": "un" (no longer prefix is a token), then "##aff" rather than the shorter "##a", then "##able".
    assertEquals(List.of("un", "##aff", "##able"), UNCASED.tokenize("unaffable"));
    assertArrayEquals(new long[] {2, 5, 6, 7, 3}, ids(UNCASED, "unaffable"));
    // "una": "un" then "##a"; "aaa": "a", "##a", "##a".
    assertEquals(List.of("un", "##a", "a", "##a", "##a"), UNCASED.tokenize("una aaa"));
  }

  @Test
  void aWordWithAnUnspellablePositionIsOneUnknown() {
    // "unaffablex": un ##aff ##able, then "x" must be "##x", which is missing: the whole word is [UNK], not a prefix.
    assertArrayEquals(new long[] {2, 1, 3}, ids(UNCASED, "unaffablex"));
    // "xray": "x" fits but "##ray" does not exist; "ray" alone fits.
    assertArrayEquals(new long[] {2, 1, 29, 3}, ids(UNCASED, "xray ray"));
    // "hello" is a word, "helloz" is hello + ##z, "zhello" starts with no piece at all.
    assertEquals(List.of("hello", "hello", "##z", "[UNK]"), UNCASED.tokenize("hello helloz zhello"));
  }

  @Test
  void punctuationSplitsIncludingAsciiSymbols() {
    // ',' and '!' split; '$' is a Unicode symbol (Sc) but ASCII 33-47 counts as punctuation; '5' is a digit.
    assertEquals(List.of("the", ",", "cafe", "!"), UNCASED.tokenize("the,cafe!"));
    assertArrayEquals(new long[] {2, 9, 13, 11, 15, 16, 17, 3}, ids(UNCASED, "the,cafe! $5"));
    // '¿' (U+00BF) is Unicode punctuation (Po) outside ASCII; "--" gives two tokens.
    assertEquals(List.of("¿", "the", "-", "-", "a"), UNCASED.tokenize("¿the--a"));
  }

  @Test
  void accentsAreStrippedOnlyWhenLowerCasing() {
    // Uncased: "Café" -> "café" -> accents stripped -> "cafe" (11); "The" -> "the" (9).
    assertArrayEquals(new long[] {2, 9, 11, 3}, ids(UNCASED, "The Café"));
    // Cased: "The" stays (10), "café" keeps its accent (12), "Café" is no token and has no spelling -> [UNK].
    assertArrayEquals(new long[] {2, 10, 12, 1, 3}, ids(CASED, "The café Café"));
    // HF's strip_accents=True forces stripping without lower-casing: "café" -> "cafe", "The" stays.
    BertTokenizer casedStripped = BertTokenizer.huggingFace(VOCABULARY, false, true);
    assertArrayEquals(new long[] {2, 10, 11, 3}, ids(casedStripped, "The café"));
    // strip_accents=False with lower-casing keeps the accent: "CAFÉ" -> "café" (12).
    BertTokenizer lowerKeepAccents = BertTokenizer.huggingFace(VOCABULARY, true, false);
    assertArrayEquals(new long[] {2, 12, 3}, ids(lowerKeepAccents, "CAFÉ"));
    // A decomposed "e" + U+0301 is composed (NFC) first, so the cased vocabulary's "café" is found.
    assertArrayEquals(new long[] {2, 12, 3}, ids(CASED, "cafe\u0301"));
  }

  @Test
  void wordsOverOneHundredCharactersAreUnknown() {
    // 100 'a's: "a" then 99 "##a" (the limit is inclusive); 101 'a's: one [UNK] (HF's 100, not Google's 200).
    List<String> hundred = UNCASED.tokenize("a".repeat(100));
    assertEquals(100, hundred.size());
    assertEquals("a", hundred.get(0));
    assertTrue(hundred.subList(1, 100).stream().allMatch("##a"::equals));
    assertEquals(List.of("[UNK]"), UNCASED.tokenize("a".repeat(101)));
    // The limit counts code points, as Python does: 100 U+1D400 are 200 UTF-16 units but 100 characters.
    List<String> supplementary = CASED.tokenize("\uD835\uDC00".repeat(100));
    assertEquals(100, supplementary.size());
    assertEquals("##\uD835\uDC00", supplementary.get(99));
    assertEquals(List.of("[UNK]", "a"), CASED.tokenize("\uD835\uDC00".repeat(101) + " a"));
  }

  @Test
  void controlCharactersVanishAndWhitespaceSeparates() {
    // NUL (Cc), BEL (Cc), U+200B zero-width space (Cf), U+FFFD and U+E000 (private use, Co) are removed, joining
    // the letters around them: "the" + "cafe" -> "thecafe", which has no spelling.
    assertArrayEquals(new long[] {2, 1, 3}, ids(UNCASED, "the\u0000cafe"));
    assertArrayEquals(new long[] {2, 1, 3}, ids(UNCASED, "the\u200Bcafe"));
    assertArrayEquals(new long[] {2, 9, 3}, ids(UNCASED, "\u0007t\uFFFDh\uE000e"));
    // Tab, line feed, carriage return and no-break space (Zs) separate words.
    assertArrayEquals(new long[] {2, 9, 11, 26, 9, 3}, ids(UNCASED, "the\tcafe\r\na\u00A0the"));
    // Only whitespace or nothing: just [CLS] [SEP].
    assertArrayEquals(new long[] {2, 3}, ids(UNCASED, " \t\u3000 "));
    assertArrayEquals(new long[] {2, 3}, ids(UNCASED, ""));
  }

  @Test
  void cjkIdeographsAreWordsOfTheirOwn() {
    // "the中国" -> "the", "中", "国"; without the spacing it would be one word with no spelling.
    assertArrayEquals(new long[] {2, 9, 18, 19, 3}, ids(UNCASED, "the中国"));
    BertTokenizer noCjk = new BertTokenizer(VOCABULARY,
        new BasicTokenizer(true, null, false, BertTokenizer.specials(VOCABULARY)),
        WordPieceTokenizer.huggingFace(VOCABULARY));
    assertArrayEquals(new long[] {2, 1, 3}, ids(noCjk, "the中国"));
    // Hiragana is not a CJK ideograph: "中の" -> "中" and "の", the latter unknown.
    assertEquals(List.of("中", "[UNK]"), UNCASED.tokenize("中の"));
  }

  @Test
  void specialTokensWrittenAsWordsStayWhole() {
    // "[MASK]" is neither lower-cased nor split at its brackets: 4; "[mask]" is ordinary text: [ mask ] -> each a
    // punctuation token or unknown word.
    assertArrayEquals(new long[] {2, 4, 9, 3}, ids(UNCASED, "[MASK] the"));
    assertEquals(List.of("[UNK]", "[UNK]", "[UNK]"), UNCASED.tokenize("[mask]"));
  }

  @Test
  void singleSequenceIsPaddedWithMasksAndTypes() {
    // Cased "Pleural Thickening": Pleural (21), Thick (24) + ##ening (22).
    BertEncoding e = CASED.encode("Pleural Thickening", 8);
    assertEquals(List.of("[CLS]", "Pleural", "Thick", "##ening", "[SEP]", "[PAD]", "[PAD]", "[PAD]"), e.tokens());
    assertArrayEquals(new long[] {2, 21, 24, 22, 3, 0, 0, 0}, e.inputIds());
    assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 0, 0}, e.tokenTypeIds());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0, 0, 0}, e.attentionMask());
    assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0, 0, 0}, e.poolMask());
    assertEquals(5, e.realTokens());
    // Uncased: pleural (20), thick (23) + ##ening (22).
    assertArrayEquals(new long[] {2, 20, 23, 22, 3}, UNCASED.encode("Pleural Thickening", 5).inputIds());
  }

  @Test
  void pairsGetTypeOneAfterTheFirstSeparator() {
    BertEncoding e = UNCASED.encodePair("the", "Café", 7);
    assertEquals(List.of("[CLS]", "the", "[SEP]", "cafe", "[SEP]", "[PAD]", "[PAD]"), e.tokens());
    assertArrayEquals(new long[] {2, 9, 3, 11, 3, 0, 0}, e.inputIds());
    assertArrayEquals(new long[] {0, 0, 0, 1, 1, 0, 0}, e.tokenTypeIds());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0, 0}, e.attentionMask());
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0, 0}, e.poolMask());
  }

  @Test
  void tooLongIsAnErrorNotATruncation() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> CASED.encode("Pleural Thickening", 4));
    assertTrue(e.getMessage().contains("'Pleural Thickening' needs 5 tokens"), e.getMessage());
    assertTrue(e.getMessage().contains("sequence length 4"), e.getMessage());
  }

  @Test
  void batchTensorsStackTheRows() {
    BertBatch batch = CASED.encodeAll(List.of("Pleural Thickening", "the"));
    assertEquals(5, batch.length(), "padded to the longer text");
    Map<String, Tensor> in = batch.inputs(true);
    assertEquals(List.of("input_ids", "token_type_ids", "attention_mask", "pool_mask"), List.copyOf(in.keySet()));
    assertEquals(DType.INT64, in.get("input_ids").dtype());
    assertEquals(Shape.of(2, 5), in.get("input_ids").shape());
    assertArrayEquals(new long[] {2, 21, 24, 22, 3, 2, 9, 3, 0, 0}, in.get("input_ids").toLongArray());
    assertArrayEquals(new long[10], in.get("token_type_ids").toLongArray());
    assertEquals(DType.FLOAT32, in.get("attention_mask").dtype());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0}, in.get("attention_mask").toFloatArray());
    assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0, 1, 0, 0, 0}, in.get("pool_mask").toFloatArray());
    assertEquals(3, batch.inputs(false).size());
  }
}
