package org.medvision.tasks.common.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.MedvisionException;

/**
 * A WordPiece vocabulary: token strings and their ids, as in a BERT {@code vocab.txt} (one token per line, the id is
 * the line index) or the {@code model.vocab} map of a Hugging Face {@code tokenizer.json}.
 *
 * <p>Immutable. Ids run from 0 to {@link #size()} − 1 without gaps.
 */
public final class WordPieceVocabulary {
  /** The classification token that starts every sequence. */
  public static final String CLS = "[CLS]";
  /** The separator that ends every segment. */
  public static final String SEP = "[SEP]";
  /** The padding token. */
  public static final String PAD = "[PAD]";
  /** The token for words the vocabulary cannot spell. */
  public static final String UNK = "[UNK]";
  /** The masked-language-model token. */
  public static final String MASK = "[MASK]";

  /** The size of BERT-base-cased's vocabulary, which BioBERT v1.0–1.2 reuse unchanged. */
  static final int BERT_BASE_CASED_SIZE = 28_996;

  private final List<String> tokens;
  private final Map<String, Integer> ids;
  private final String source;

  private WordPieceVocabulary(List<String> tokens, Map<String, Integer> ids, String source) {
    this.tokens = tokens;
    this.ids = ids;
    this.source = source;
  }

  /**
   * A vocabulary whose token {@code i} has id {@code i}.
   *
   * @param source where the tokens came from, for messages
   * @throws MedvisionException naming {@code source} and the lines if a token is empty or appears twice, or if one of
   *     [CLS], [SEP], [PAD], [UNK] is missing
   */
  public static WordPieceVocabulary of(List<String> tokens, String source) {
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t == null || t.isEmpty()) {
        throw new MedvisionException(source + ": token " + i + " (line " + (i + 1) + ") is empty");
      }
      Integer earlier = ids.putIfAbsent(t, i);
      if (earlier != null) {
        throw new MedvisionException(source + ": token '" + t + "' appears twice, at lines " + (earlier + 1)
            + " and " + (i + 1));
      }
    }
    for (String special : List.of(CLS, SEP, PAD, UNK)) {
      if (!ids.containsKey(special)) {
        throw new MedvisionException(source + " has no " + special + " token, which every BERT sequence needs");
      }
    }
    return new WordPieceVocabulary(Collections.unmodifiableList(new ArrayList<>(tokens)), ids, source);
  }

  /**
   * A vocabulary from a token-to-id map (as in {@code tokenizer.json}).
   *
   * @throws MedvisionException naming {@code source} if the ids are not 0..n−1 each used once
   */
  public static WordPieceVocabulary of(Map<String, Integer> tokenIds, String source) {
    String[] byId = new String[tokenIds.size()];
    for (Map.Entry<String, Integer> e : tokenIds.entrySet()) {
      int id = e.getValue();
      if (id < 0 || id >= byId.length) {
        throw new MedvisionException(source + ": token '" + e.getKey() + "' has id " + id + ", outside 0.."
            + (byId.length - 1) + " for a vocabulary of " + byId.length + " tokens");
      }
      if (byId[id] != null) {
        throw new MedvisionException(source + ": tokens '" + byId[id] + "' and '" + e.getKey() + "' share id "
            + id);
      }
      byId[id] = e.getKey();
    }
    return of(List.of(byId), source);
  }

  /**
   * Reads a {@code vocab.txt}: UTF-8, one token per line, the id being the line index. A final line break is
   * optional; a carriage return before a line break is dropped.
   *
   * @throws MedvisionException naming the file if it is missing, unreadable or breaks a rule of {@link #of(List,
   *     String)}
   */
  public static WordPieceVocabulary read(Path vocabTxt) {
    String text;
    try {
      text = Files.readString(vocabTxt, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MedvisionException("vocabulary file " + vocabTxt + " does not exist", e);
    } catch (IOException e) {
      throw new MedvisionException("cannot read vocabulary file " + vocabTxt + ": " + e.getMessage(), e);
    }
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    lines.replaceAll(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
    return of(lines, vocabTxt.toString());
  }

  /** Number of tokens. */
  public int size() {
    return tokens.size();
  }

  /** Where the tokens came from (a file path), for messages. */
  public String source() {
    return source;
  }

  /** The id of {@code token}, if the vocabulary has it. */
  public Optional<Integer> find(String token) {
    return Optional.ofNullable(ids.get(token));
  }

  /** True if {@code token} is in the vocabulary. */
  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /**
   * The id of {@code token}.
   *
   * @throws MedvisionException if the vocabulary lacks it
   */
  public int id(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new MedvisionException(source + " has no token '" + token + "'");
    }
    return id;
  }

  /** The token with id {@code id}. */
  public String token(int id) {
    return tokens.get(id);
  }

  /** Every token, in id order. */
  public List<String> tokens() {
    return tokens;
  }

  /**
   * Whether the vocabulary was built from cased text: it holds some word both capitalised and in lower case (such as
   * "The" and "the"), or it has BERT-base-cased's 28,996 tokens (BioBERT's). An uncased vocabulary holds no
   * upper-case letters outside its bracketed special tokens, so lower-casing cannot lose anything it could spell.
   */
  public boolean looksCased() {
    if (tokens.size() == BERT_BASE_CASED_SIZE) {
      return true;
    }
    return casedPair().isPresent();
  }

  /** A token with an upper-case letter whose lower-case form is also a token, e.g. "The" (with "the"). */
  Optional<String> casedPair() {
    for (String t : tokens) {
      if (t.startsWith("[") && t.endsWith("]")) {
        continue;
      }
      String lower = t.toLowerCase(Locale.ROOT);
      if (!lower.equals(t) && ids.containsKey(lower)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }
}
