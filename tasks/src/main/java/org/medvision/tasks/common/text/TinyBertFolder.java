package org.medvision.tasks.common.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.BertConfig;
import org.medvision.tasks.common.BertEncoder;

/**
 * Writes a tiny random BERT model folder that {@link BertFolder} reads like a published one: {@code config.json},
 * {@code vocab.txt}, {@code tokenizer_config.json} ({@code do_lower_case} false: the vocabulary is cased, as
 * BioBERT's) and {@code model.safetensors} (a {@code BertModel} with its pooler). Deterministic: one seed gives the
 * same bytes.
 *
 * <p>The vocabulary holds the specials, ASCII punctuation, the ChestX-ray14 label words as the dataset spells them
 * ({@link #LABELS}), a few lower-case words and sub-word pieces of the labels, and every ASCII letter and digit both
 * as a word start and as a {@code ##} continuation, so any ASCII text has a spelling without [UNK].
 *
 * <p>The weights are not BERT's initialisation (normal, std 0.02), under which attention is nearly uniform and GELU
 * nearly linear, so a test would exercise little: matrices and embeddings are uniform in ±0.5, biases in ±0.1,
 * LayerNorm scales in [0.5, 1.5] and shifts in ±0.1.
 */
public final class TinyBertFolder {
  /** The 14 ChestX-ray14 findings as label texts (the dataset's "Pleural_Thickening" with a space). */
  public static final List<String> LABELS = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass",
      "Nodule", "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural Thickening",
      "Hernia");

  private static final List<String> SPECIALS = List.of(WordPieceVocabulary.PAD, WordPieceVocabulary.UNK,
      WordPieceVocabulary.CLS, WordPieceVocabulary.SEP, WordPieceVocabulary.MASK);
  private static final List<String> WORDS = List.of("the", "The", "of", "with", "no", "No", "chest", "x", "ray",
      "showing", "finding", "left", "right", "mass", "pleural", "effusion", "Pleura", "Pneumo", "Cardio", "Thick",
      "Fibro", "Emphy", "##thorax", "##nia", "##megaly", "##ening", "##sema", "##sis", "##osis", "##al", "##ing",
      "##s");
  private static final String PUNCTUATION = ".,;:!?-_()[]'\"/+";

  private TinyBertFolder() {}

  /** The tokens of {@code vocab.txt}, in id order ([PAD] is 0). */
  public static List<String> vocabulary() {
    List<String> tokens = new ArrayList<>(SPECIALS);
    PUNCTUATION.chars().forEach(c -> tokens.add(String.valueOf((char) c)));
    for (String label : LABELS) {
      for (String word : label.split(" ")) {
        if (!tokens.contains(word)) {
          tokens.add(word);
        }
      }
    }
    for (String w : WORDS) {
      if (!tokens.contains(w)) {
        tokens.add(w);
      }
    }
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (char c : alphabet.toCharArray()) {
      if (!tokens.contains(String.valueOf(c))) {
        tokens.add(String.valueOf(c));
      }
    }
    for (char c : alphabet.toCharArray()) {
      if (!tokens.contains("##" + c)) {
        tokens.add("##" + c);
      }
    }
    return List.copyOf(tokens);
  }

  /**
   * The default architecture: hidden 32, 2 layers, 4 heads, intermediate 64, exact GELU, 64 positions, 2 token
   * types, LayerNorm eps 1e-12, the vocabulary's size.
   */
  public static BertConfig config() {
    return new BertConfig(vocabulary().size(), 32, 2, 4, 64, "gelu", 1e-12, 64, 2, 0, 0.02);
  }

  /** Writes the folder with {@link #config()}; see {@link #write(Path, BertConfig, long)}. */
  public static Path write(Path dir, long seed) {
    return write(dir, config(), seed);
  }

  /**
   * Writes the folder (creating it if needed; existing files of these names are replaced).
   *
   * @param config the architecture; its vocabulary size must be at least the vocabulary's
   * @param seed the seed of every weight
   * @return {@code dir}
   * @throws IllegalArgumentException if {@code config}'s vocabulary is smaller than {@link #vocabulary()}
   * @throws UncheckedIOException if a file cannot be written
   */
  public static Path write(Path dir, BertConfig config, long seed) {
    List<String> tokens = vocabulary();
    if (config.vocabSize() < tokens.size()) {
      throw new IllegalArgumentException("vocab_size " + config.vocabSize() + " is smaller than the tiny vocabulary's"
          + " " + tokens.size() + " tokens");
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(BertFolder.CONFIG), config.toJson(), StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(BertFolder.VOCAB_TXT), String.join("\n", tokens) + "\n", StandardCharsets.UTF_8);
      Files.writeString(dir.resolve(BertFolder.TOKENIZER_CONFIG), String.format(Locale.ROOT,
          "{\"do_lower_case\": false, \"model_max_length\": %d}%n", config.maxPositions()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tiny BERT folder " + dir + ": " + e.getMessage(), e);
    }
    Safetensors.write(dir.resolve(BertFolder.WEIGHTS), weights(config, seed));
    return dir;
  }

  /** The random weights of {@link #write}, under Hugging Face's {@code BertModel} names, with the pooler. */
  public static Weights weights(BertConfig config, long seed) {
    Graph g = new BertEncoder(config).graph(1, true);
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (ParameterSpec p : g.parameters()) {
      double lo;
      double hi;
      switch (p.role()) {
        case WEIGHT -> {
          lo = -0.5;
          hi = 0.5;
        }
        case NORM_SCALE -> {
          lo = 0.5;
          hi = 1.5;
        }
        default -> {
          lo = -0.1;
          hi = 0.1;
        }
      }
      float[] v = new float[Math.toIntExact(p.size())];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (lo + (hi - lo) * random.nextDouble());
      }
      out.put(p.name(), Tensor.of(p.shape(), v));
    }
    return Weights.of(out, "tiny-bert(seed=" + seed + ")");
  }
}
