package org.medvision.tasks.common.text;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.BertConfig;
import org.medvision.tasks.common.BertEncoder;
import org.medvision.tasks.common.BertKeyMaps;
import org.medvision.tasks.common.JsonConfig;

/**
 * A Hugging Face BERT model folder (as {@code save_pretrained} writes it or the Hub serves it): the architecture, the
 * tokenizer and the weights, checked against one another.
 *
 * <ul>
 *   <li>{@code config.json}: the architecture ({@link BertConfig#read});
 *   <li>the vocabulary: {@code tokenizer.json} when present (a WordPiece model only; its normalizer gives the
 *       lower-casing), otherwise {@code vocab.txt} (one token per line, the id is the line index);
 *   <li>{@code tokenizer_config.json}, optional: {@code do_lower_case}, {@code strip_accents} and
 *       {@code tokenize_chinese_chars} override what {@code tokenizer.json} says, as in Hugging Face;
 *   <li>{@code model.safetensors}: the weights, a {@code BertModel} or a model wrapping one ({@link BertKeyMaps}).
 *       A folder with only {@code pytorch_model.bin} is refused with the command that converts it.
 * </ul>
 *
 * <p>Lower-casing, first match wins: the caller's override, {@code tokenizer_config.json}, {@code tokenizer.json}'s
 * normalizer, and else the vocabulary's casing (Hugging Face would lower-case here, which is how cased BioBERT
 * derivatives end up lower-cased). A cased vocabulary with lower-casing switched on by a file is kept as the file
 * says, with a warning: the BioBERT pitfall of papers-addendum §11.
 */
public final class BertFolder {
  /** The architecture file. */
  public static final String CONFIG = "config.json";
  /** The plain vocabulary file. */
  public static final String VOCAB_TXT = "vocab.txt";
  /** The fast-tokenizer file. */
  public static final String TOKENIZER_JSON = "tokenizer.json";
  /** The tokenizer options file. */
  public static final String TOKENIZER_CONFIG = "tokenizer_config.json";
  /** The weights file. */
  public static final String WEIGHTS = "model.safetensors";
  /** PyTorch's pickled weights, which this project does not read. */
  public static final String PYTORCH_BIN = "pytorch_model.bin";

  private final Path dir;
  private final BertConfig config;
  private final BertTokenizer tokenizer;
  private final boolean pooler;
  private final Weights weights;
  private final List<String> warnings;

  private BertFolder(Path dir, BertConfig config, BertTokenizer tokenizer, boolean pooler, Weights weights,
      List<String> warnings) {
    this.dir = dir;
    this.config = config;
    this.tokenizer = tokenizer;
    this.pooler = pooler;
    this.weights = weights;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads a folder, taking the lower-casing from its files.
   *
   * @throws MedvisionException naming the file at fault: the folder or {@code config.json} is missing, there is no
   *     vocabulary, {@code tokenizer.json} is not WordPiece, the vocabulary does not fit {@code vocab_size}, the
   *     weights are missing or only in {@code pytorch_model.bin}, or a tensor's shape disagrees with
   *     {@code config.json}
   */
  public static BertFolder read(Path dir) {
    return read(dir, null);
  }

  /**
   * Reads a folder.
   *
   * @param lowerCase forces lower-casing on or off (e.g. false for BioBERT whatever its files say); null to take it
   *     from the files
   * @throws MedvisionException as {@link #read(Path)}
   */
  public static BertFolder read(Path dir, Boolean lowerCase) {
    if (!Files.isDirectory(dir)) {
      throw new MedvisionException("BERT model folder " + dir + (Files.exists(dir) ? " is not a directory"
          : " does not exist"));
    }
    Path configFile = dir.resolve(CONFIG);
    if (!Files.isRegularFile(configFile)) {
      throw new MedvisionException("BERT model folder " + dir + " has no " + CONFIG);
    }
    BertConfig config = BertConfig.read(configFile);
    List<String> warnings = new ArrayList<>();
    BertTokenizer tokenizer = tokenizer(dir, config, lowerCase, warnings);
    Weights checkpoint = Safetensors.read(weightsFile(dir));
    boolean pooler = BertKeyMaps.huggingFace().apply(checkpoint).find("pooler.dense.weight").isPresent();
    Graph shapes = new BertEncoder(config).graph(1, pooler);
    Weights fitted = BertKeyMaps.fit(checkpoint, shapes, configFile.toString());
    return new BertFolder(dir, config, tokenizer, pooler, fitted, warnings);
  }

  private static Path weightsFile(Path dir) {
    Path weights = dir.resolve(WEIGHTS);
    if (Files.isRegularFile(weights)) {
      return weights;
    }
    if (Files.isRegularFile(dir.resolve(PYTORCH_BIN))) {
      throw new MedvisionException(dir + " holds " + PYTORCH_BIN + " but no " + WEIGHTS + "; this project reads"
          + " safetensors only. Convert it once, in that folder, with PyTorch and the safetensors package:\n"
          + "  python3 -c \"import torch, safetensors.torch as st; st.save_file({k: v.clone().contiguous() for k, v"
          + " in torch.load('" + PYTORCH_BIN + "', map_location='cpu').items()}, '" + WEIGHTS + "')\"");
    }
    if (Files.isRegularFile(dir.resolve(WEIGHTS + ".index.json"))) {
      throw new MedvisionException(dir + " holds a sharded checkpoint (" + WEIGHTS + ".index.json); save it as one "
          + WEIGHTS + " (save_pretrained(..., max_shard_size=\"10GB\"))");
    }
    throw new MedvisionException("BERT model folder " + dir + " has no " + WEIGHTS);
  }

  private static BertTokenizer tokenizer(Path dir, BertConfig config, Boolean override, List<String> warnings) {
    Path tokenizerJson = dir.resolve(TOKENIZER_JSON);
    Path vocabTxt = dir.resolve(VOCAB_TXT);
    TokenizerJson fast = Files.isRegularFile(tokenizerJson) ? TokenizerJson.read(tokenizerJson) : null;
    if (fast == null && !Files.isRegularFile(vocabTxt)) {
      throw new MedvisionException("BERT model folder " + dir + " has no vocabulary: neither " + VOCAB_TXT + " nor "
          + TOKENIZER_JSON);
    }
    WordPieceVocabulary vocabulary = fast != null ? fast.vocabulary() : WordPieceVocabulary.read(vocabTxt);
    if (vocabulary.size() > config.vocabSize()) {
      throw new MedvisionException(vocabulary.source() + " has " + vocabulary.size() + " tokens but "
          + dir.resolve(CONFIG) + " says vocab_size " + config.vocabSize() + "; ids past that have no embedding");
    }
    Path optionsFile = dir.resolve(TOKENIZER_CONFIG);
    JsonConfig options = Files.isRegularFile(optionsFile) ? JsonConfig.read(optionsFile) : null;
    Optional<Boolean> fromOptions = options == null ? Optional.empty() : options.optionalBoolean("do_lower_case");

    boolean lowerCase;
    String decidedBy;
    if (override != null) {
      lowerCase = override;
      decidedBy = null;
    } else if (fromOptions.isPresent()) {
      lowerCase = fromOptions.get();
      decidedBy = optionsFile + " says \"do_lower_case\": " + lowerCase;
    } else if (fast != null) {
      lowerCase = fast.lowerCase();
      decidedBy = tokenizerJson + "'s normalizer " + (lowerCase ? "lower-cases" : "keeps case");
    } else {
      lowerCase = !vocabulary.looksCased();
      decidedBy = null;
      if (!lowerCase) {
        warnings.add("no do_lower_case in " + dir + " (" + TOKENIZER_CONFIG + "); " + vocabulary.source() + " is"
            + " cased" + casedEvidence(vocabulary) + ", so text keeps its case (Hugging Face would default to"
            + " lower-casing)");
      }
    }
    if (lowerCase && decidedBy != null && vocabulary.looksCased()) {
      warnings.add(decidedBy + ", but " + vocabulary.source() + " is cased" + casedEvidence(vocabulary)
          + "; lower-cased text cannot reach its capitalised pieces. Cased models such as BioBERT"
          + " (dmis-lab/biobert-v1.1) want do_lower_case false; derived copies often carry true by mistake."
          + " Lower-casing as the file says; pass lowerCase=false to override");
    }
    Boolean stripAccents = options != null && options.has("strip_accents")
        ? options.optionalBoolean("strip_accents").orElseThrow() : fast != null ? fast.stripAccents() : null;
    boolean chinese = options != null && options.has("tokenize_chinese_chars")
        ? options.optionalBoolean("tokenize_chinese_chars").orElseThrow() : fast == null || fast.chineseChars();
    WordPieceTokenizer wordPiece = fast == null ? WordPieceTokenizer.huggingFace(vocabulary)
        : new WordPieceTokenizer(vocabulary, fast.unknown(), fast.continuation(), fast.maxInputCharsPerWord());
    BasicTokenizer basic = new BasicTokenizer(lowerCase, stripAccents, chinese,
        BertTokenizer.specials(vocabulary));
    return new BertTokenizer(vocabulary, basic, wordPiece);
  }

  private static String casedEvidence(WordPieceVocabulary vocabulary) {
    Optional<String> pair = vocabulary.casedPair();
    if (pair.isPresent()) {
      return " (it has both \"" + pair.get() + "\" and \"" + pair.get().toLowerCase(Locale.ROOT) + "\")";
    }
    return " (" + vocabulary.size() + " tokens, BERT-base-cased's and BioBERT's vocabulary)";
  }

  /** The folder. */
  public Path dir() {
    return dir;
  }

  /** The architecture from {@code config.json}. */
  public BertConfig config() {
    return config;
  }

  /** The tokenizer the folder's files describe. */
  public BertTokenizer tokenizer() {
    return tokenizer;
  }

  /** Whether the checkpoint has a pooler ({@code pooler.dense}); graphs from this folder include it if so. */
  public boolean hasPooler() {
    return pooler;
  }

  /** Problems worth telling the user that did not stop the reading (the lower-casing pitfall), as sentences. */
  public List<String> warnings() {
    return warnings;
  }

  /** The encoder graph ({@link BertEncoder#graph}) for sequences of {@code length} tokens, with the pooler if any. */
  public Graph graph(int length) {
    return new BertEncoder(config).graph(length, pooler);
  }

  /** The label-prototype graph ({@link BertEncoder#prototypeGraph}) for sequences of {@code length} tokens. */
  public Graph prototypeGraph(int length) {
    return new BertEncoder(config).prototypeGraph(length, pooler);
  }

  /**
   * The checkpoint under the encoder's names, float32, in parameter order: the weights of every graph from
   * {@link #graph} and {@link #prototypeGraph}, whatever their length.
   */
  public Weights weights() {
    return weights;
  }
}
