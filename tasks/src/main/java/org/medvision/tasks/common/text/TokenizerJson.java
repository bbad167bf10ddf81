package org.medvision.tasks.common.text;

import java.nio.file.Path;
import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.tasks.common.JsonConfig;

/**
 * What a Hugging Face {@code tokenizer.json} says about a BERT tokenizer: the WordPiece model's vocabulary and settings
 * and the normalizer's lower-casing, accent stripping and CJK spacing.
 *
 * @param vocabulary {@code model.vocab}
 * @param unknown {@code model.unk_token}
 * @param continuation {@code model.continuing_subword_prefix}
 * @param maxInputCharsPerWord {@code model.max_input_chars_per_word}
 * @param lowerCase whether the normalizer lower-cases
 * @param stripAccents the normalizer's {@code strip_accents}: true, false, or null for "as lower-casing"
 * @param chineseChars whether the normalizer spaces out CJK ideographs
 */
record TokenizerJson(WordPieceVocabulary vocabulary, String unknown, String continuation, int maxInputCharsPerWord,
    boolean lowerCase, Boolean stripAccents, boolean chineseChars) {
  /** Normalizers that change nothing the basic tokenizer does not already do for BERT text. */
  private static final List<String> NEUTRAL = List.of("NFC", "NFD");

  /**
   * Reads the file.
   *
   * @throws MedvisionException naming the file if it is not JSON, its model is not WordPiece (naming the kind it is),
   *     its vocabulary is malformed, or its normalizer is one this reader does not reproduce
   */
  static TokenizerJson read(Path file) {
    JsonConfig root = JsonConfig.read(file);
    JsonConfig model = root.optionalObject("model").orElseThrow(() -> new MedvisionException(file
        + " has no \"model\" section"));
    String type = model.optionalString("type").orElseThrow(() -> new MedvisionException(model.source()
        + " has no \"type\""));
    if (!type.equals("WordPiece")) {
      throw new MedvisionException(file + " describes a " + type + " tokenizer (model.type \"" + type + "\"); only"
          + " BERT's WordPiece tokenizers are supported");
    }
    WordPieceVocabulary vocabulary = WordPieceVocabulary.of(model.requiredIntMap("vocab"), file + " (model.vocab)");
    Normalizer n = new Normalizer();
    root.optionalObject("normalizer").ifPresent(n::read);
    return new TokenizerJson(vocabulary, model.optionalString("unk_token").orElse(WordPieceVocabulary.UNK),
        model.optionalString("continuing_subword_prefix").orElse(WordPieceTokenizer.CONTINUATION),
        model.optionalInt("max_input_chars_per_word").orElse(WordPieceTokenizer.HF_MAX_INPUT_CHARS_PER_WORD),
        n.lowerCase, n.stripAccents, n.chineseChars);
  }

  /** The normalizer's settings, gathered over a {@code Sequence}; none at all means no lower-casing. */
  private static final class Normalizer {
    boolean lowerCase;
    Boolean stripAccents;
    boolean chineseChars;

    void read(JsonConfig normalizer) {
      String type = normalizer.optionalString("type").orElseThrow(() -> new MedvisionException(normalizer.source()
          + " has no \"type\""));
      switch (type) {
        case "BertNormalizer" -> {
          lowerCase = normalizer.optionalBoolean("lowercase").orElse(true);
          stripAccents = normalizer.optionalBoolean("strip_accents").orElse(null);
          chineseChars = normalizer.optionalBoolean("handle_chinese_chars").orElse(true);
        }
        case "Lowercase" -> lowerCase = true;
        case "StripAccents" -> stripAccents = true;
        case "Sequence" -> normalizer.optionalObjects("normalizers").orElse(List.of()).forEach(this::read);
        default -> {
          if (!NEUTRAL.contains(type)) {
            throw new MedvisionException(normalizer.source() + ": normalizer type \"" + type + "\" is not supported"
                + " (BertNormalizer, Lowercase, StripAccents, NFC, NFD or a Sequence of them are)");
          }
        }
      }
    }
  }
}
