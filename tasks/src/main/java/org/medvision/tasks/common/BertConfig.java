package org.medvision.tasks.common;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.medvision.api.MedvisionException;

/**
 * The architecture of a BERT encoder, as a Hugging Face {@code config.json} ({@code BertConfig}) describes it.
 *
 * <p>BioBERT v1.1 ({@code dmis-lab/biobert-v1.1}): vocabulary 28,996, hidden 768, 12 layers, 12 heads, intermediate
 * 3072, exact GELU, LayerNorm eps 1e-12, 512 positions, 2 token types, pad id 0.
 *
 * @param vocabSize rows of the word-embedding table ({@code vocab_size})
 * @param hiddenSize width of every token state H ({@code hidden_size})
 * @param layers number of encoder layers ({@code num_hidden_layers})
 * @param heads attention heads per layer ({@code num_attention_heads}); H must be a multiple of it
 * @param intermediateSize width of the feed-forward layer ({@code intermediate_size})
 * @param hiddenAct the feed-forward activation as Hugging Face names it: {@code gelu} (exact, erf form) or
 *     {@code gelu_new} / {@code gelu_pytorch_tanh} (tanh approximation)
 * @param layerNormEps added to the variance in every LayerNorm ({@code layer_norm_eps})
 * @param maxPositions rows of the position-embedding table, the longest sequence ({@code max_position_embeddings})
 * @param typeVocabSize rows of the token-type table ({@code type_vocab_size})
 * @param padTokenId the padding token's id ({@code pad_token_id})
 * @param initializerRange standard deviation of the random initialisation ({@code initializer_range})
 */
public record BertConfig(int vocabSize, int hiddenSize, int layers, int heads, int intermediateSize, String hiddenAct,
    double layerNormEps, int maxPositions, int typeVocabSize, int padTokenId, double initializerRange) {
  /** The activations Hugging Face's BERT accepts that the IR computes exactly; the first is the exact GELU. */
  public static final List<String> ACTIVATIONS = List.of("gelu", "gelu_new", "gelu_pytorch_tanh");

  /**
   * Checks the sizes.
   *
   * @throws MedvisionException if a size is not positive, the hidden size is not a multiple of the heads, eps is not
   *     positive or the activation is not one of {@link #ACTIVATIONS}
   */
  public BertConfig {
    check(vocabSize > 0 && hiddenSize > 0 && layers > 0 && heads > 0 && intermediateSize > 0 && maxPositions > 0
        && typeVocabSize > 0, "sizes must be positive: vocab_size " + vocabSize + ", hidden_size " + hiddenSize
        + ", num_hidden_layers " + layers + ", num_attention_heads " + heads + ", intermediate_size "
        + intermediateSize + ", max_position_embeddings " + maxPositions + ", type_vocab_size " + typeVocabSize);
    check(hiddenSize % heads == 0, "hidden_size " + hiddenSize + " is not a multiple of num_attention_heads "
        + heads);
    check(layerNormEps > 0 && (float) layerNormEps > 0, "layer_norm_eps must be positive, got " + layerNormEps);
    check(initializerRange > 0, "initializer_range must be positive, got " + initializerRange);
    check(ACTIVATIONS.contains(hiddenAct), "hidden_act \"" + hiddenAct + "\" is not supported: use \"gelu\" (exact)"
        + " or \"gelu_new\" / \"gelu_pytorch_tanh\" (tanh approximation)");
  }

  /** BERT-base's shape with BERT-base-cased's (and BioBERT's) vocabulary of 28,996 tokens. */
  public static BertConfig base(int vocabSize) {
    return new BertConfig(vocabSize, 768, 12, 12, 3072, "gelu", 1e-12, 512, 2, 0, 0.02);
  }

  /** Width of one attention head, H / heads. */
  public int headSize() {
    return hiddenSize / heads;
  }

  /** True for the tanh approximation of GELU. */
  public boolean tanhGelu() {
    return !hiddenAct.equals("gelu");
  }

  /** The same configuration with another activation. */
  public BertConfig withHiddenAct(String act) {
    return new BertConfig(vocabSize, hiddenSize, layers, heads, intermediateSize, act, layerNormEps, maxPositions,
        typeVocabSize, padTokenId, initializerRange);
  }

  /**
   * Reads a Hugging Face {@code config.json}. The five sizes are required; the other fields default as in Hugging
   * Face's {@code BertConfig} (gelu, 1e-12, 512, 2, 0, 0.02).
   *
   * @throws MedvisionException naming the file and the key if the file is missing or not JSON, a size is absent, a
   *     value is out of range, or the file describes something this encoder does not build: another
   *     {@code model_type}, relative position embeddings, or a decoder
   */
  public static BertConfig read(Path configJson) {
    return parse(JsonConfig.read(configJson));
  }

  /**
   * A configuration from a parsed {@code config.json}.
   *
   * @throws MedvisionException as {@link #read}
   */
  public static BertConfig parse(JsonConfig json) {
    String modelType = json.optionalString("model_type").orElse("bert");
    if (!modelType.equals("bert")) {
      throw new MedvisionException(json.source() + ": model_type \"" + modelType + "\" is not \"bert\"; this reader"
          + " builds BERT encoders only");
    }
    String positions = json.optionalString("position_embedding_type").orElse("absolute");
    if (!positions.equals("absolute")) {
      throw new MedvisionException(json.source() + ": position_embedding_type \"" + positions + "\" is not"
          + " supported, only \"absolute\"");
    }
    if (json.optionalBoolean("is_decoder").orElse(false)) {
      throw new MedvisionException(json.source() + ": \"is_decoder\": true describes a causal decoder; only the"
          + " bidirectional encoder is supported");
    }
    try {
      return new BertConfig(json.requiredInt("vocab_size"), json.requiredInt("hidden_size"),
          json.requiredInt("num_hidden_layers"), json.requiredInt("num_attention_heads"),
          json.requiredInt("intermediate_size"), json.optionalString("hidden_act").orElse("gelu"),
          json.optionalDouble("layer_norm_eps").orElse(1e-12), json.optionalInt("max_position_embeddings").orElse(512),
          json.optionalInt("type_vocab_size").orElse(2), json.optionalInt("pad_token_id").orElse(0),
          json.optionalDouble("initializer_range").orElse(0.02));
    } catch (MedvisionException e) {
      if (e.getMessage().startsWith(json.source())) {
        throw e;
      }
      throw new MedvisionException(json.source() + ": " + e.getMessage(), e);
    }
  }

  /** This configuration as a Hugging Face {@code config.json} (with {@code "model_type": "bert"}). */
  public String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("model_type", "bert");
    o.add("architectures", new JsonArray());
    o.getAsJsonArray("architectures").add("BertModel");
    o.addProperty("vocab_size", vocabSize);
    o.addProperty("hidden_size", hiddenSize);
    o.addProperty("num_hidden_layers", layers);
    o.addProperty("num_attention_heads", heads);
    o.addProperty("intermediate_size", intermediateSize);
    o.addProperty("hidden_act", hiddenAct);
    o.addProperty("hidden_dropout_prob", 0.1);
    o.addProperty("attention_probs_dropout_prob", 0.1);
    o.addProperty("layer_norm_eps", layerNormEps);
    o.addProperty("max_position_embeddings", maxPositions);
    o.addProperty("type_vocab_size", typeVocabSize);
    o.addProperty("pad_token_id", padTokenId);
    o.addProperty("initializer_range", initializerRange);
    o.addProperty("position_embedding_type", "absolute");
    return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
  }

  private static void check(boolean ok, String problem) {
    if (!ok) {
      throw new MedvisionException(problem);
    }
  }
}
