package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * BERT's encoder (Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding",
 * NAACL 2019) as Hugging Face's {@code BertModel} computes it at inference, with its parameter names and layouts, so
 * that a {@code model.safetensors} of a {@code BertModel} loads without renaming ({@link BertKeyMaps} covers the
 * {@code bert.}-prefixed names of {@code BertForPreTraining} and of BioBERT's conversions).
 *
 * <p>Names: {@code embeddings.{word,position,token_type}_embeddings.weight}, {@code embeddings.LayerNorm.*}, then per
 * layer i {@code encoder.layer.i.attention.self.{query,key,value}.*}, {@code ...attention.output.dense.*},
 * {@code ...attention.output.LayerNorm.*}, {@code ...intermediate.dense.*}, {@code ...output.dense.*},
 * {@code ...output.LayerNorm.*}, and {@code pooler.dense.*}; linear weights are [out, in] as in PyTorch.
 *
 * <p>The sequence length T is fixed when the graph is built (the position embeddings are the first T rows of the
 * table); the batch is dynamic. The attention mask is Hugging Face's additive one: (1 − mask) times float32's most
 * negative value, added to every head's scores before the softmax, so padded keys get weight exactly 0. Dropout is
 * left out: the graph is for inference and for a frozen text encoder (the chest X-ray task's label prototypes).
 */
public final class BertEncoder {
  /** Output name of the token states, [B, T, H]. */
  public static final String LAST_HIDDEN_STATE = "last_hidden_state";
  /** Output name of the pooler, tanh(dense(h[:, 0])), [B, H]. */
  public static final String POOLER_OUTPUT = "pooler_output";
  /** Output name of the masked mean of the token states, [B, H]. */
  public static final String MEAN_POOLED = "mean_pooled";
  /** Smallest denominator of the masked mean, so that a row with no pooled token gives 0 instead of NaN. */
  static final float MIN_POOL_WEIGHT = 1e-9f;

  private final BertConfig config;

  /** An encoder of the given architecture. */
  public BertEncoder(BertConfig config) {
    this.config = config;
  }

  /** The architecture. */
  public BertConfig config() {
    return config;
  }

  /**
   * Emits the embeddings and every encoder layer under the builder's current scope.
   *
   * @return the last layer's token states, [B, T, H]
   * @throws org.medvision.api.MedvisionException if T exceeds the configuration's max positions
   */
  public Value encode(GraphBuilder b, BertInputs in) {
    Value x = new BertEmbeddings(config).apply(b, in);
    Value additiveMask = b.within("extended_attention_mask", () -> {
      Value masked = b.apply(Op.SUB, b.scalar(1f), in.attentionMask());
      Value scaled = b.apply(Op.MUL, masked, b.scalar(-Float.MAX_VALUE));
      return b.apply(Op.UNSQUEEZE, Attributes.builder().set("axes", new long[] {1, 2}).build(), scaled);
    });
    BertLayer layer = new BertLayer(config);
    for (int i = 0; i < config.layers(); i++) {
      Value input = x;
      x = b.within("encoder.layer." + i, () -> layer.apply(b, input, additiveMask));
    }
    return x;
  }

  /**
   * Emits Hugging Face's {@code BertPooler} ({@code pooler.dense}): tanh of a dense layer on the first ([CLS]) state.
   *
   * @param hidden [B, T, H]
   * @return [B, H]
   */
  public Value pool(GraphBuilder b, Value hidden) {
    int h = config.hiddenSize();
    return b.within("pooler", () -> {
      Value first = b.apply(Op.SLICE, Attributes.builder().set("starts", new long[] {0}).set("ends", new long[] {1})
          .set("axes", new long[] {1}).build(), hidden);
      Value cls = b.apply(Op.SQUEEZE, Attributes.builder().set("axes", new long[] {1}).build(), first);
      LayerInit init = new LayerInit(Initializers.normal((float) config.initializerRange()), Initializers.zeros());
      return b.apply(Op.TANH, new Linear(h, h, true, init).apply(b, "dense", cls));
    });
  }

  /**
   * The weighted mean of token states over the sequence, Σ_t h[b,t,:]·p[b,t] / Σ_t p[b,t]; the denominator is
   * clipped below at 1e-9, so a row whose weights are all 0 gives 0 rather than NaN. With p the pool mask (1 on word
   * pieces, 0 on [CLS], [SEP] and padding) this is the chest X-ray task's label embedding.
   *
   * @param hidden [B, T, H]
   * @param weights [B, T]
   * @return [B, H]
   */
  public static Value maskedMean(GraphBuilder b, Value hidden, Value weights) {
    return b.within("mean_pool", () -> {
      Value w = b.apply(Op.UNSQUEEZE, Attributes.builder().set("axes", new long[] {2}).build(), weights);
      Value sum = b.apply(Op.REDUCE_SUM, Attributes.builder().set("axes", new long[] {1}).set("keepdims", 0L).build(),
          b.apply(Op.MUL, hidden, w));
      Value count = b.apply(Op.REDUCE_SUM, Attributes.builder().set("axes", new long[] {1}).set("keepdims", 1L)
          .build(), weights);
      Value safe = b.apply(Op.CLIP, Attributes.builder().set("min", MIN_POOL_WEIGHT).build(), count);
      return b.apply(Op.DIV, sum, safe);
    });
  }

  /**
   * A graph with inputs {@code input_ids}, {@code token_type_ids}, {@code attention_mask} ({@link BertInputs}) and
   * outputs {@code last_hidden_state} and, when {@code pooler}, {@code pooler_output}: Hugging Face's
   * {@code BertModel} (with or without {@code add_pooling_layer}).
   *
   * @param length the sequence length T, at most the configuration's max positions
   */
  public Graph graph(int length, boolean pooler) {
    GraphBuilder b = new GraphBuilder("bert");
    Value hidden = encode(b, BertInputs.declare(b, length));
    b.output(LAST_HIDDEN_STATE, hidden);
    if (pooler) {
      b.output(POOLER_OUTPUT, pool(b, hidden));
    }
    return b.build();
  }

  /**
   * The label-prototype graph: {@link #graph} plus a float32 input {@code pool_mask} [B, T] and the output
   * {@code mean_pooled} [B, H], the {@link #maskedMean} of the last token states under that mask.
   */
  public Graph prototypeGraph(int length, boolean pooler) {
    GraphBuilder b = new GraphBuilder("bert-prototype");
    BertInputs in = BertInputs.declare(b, length);
    Value poolMask = b.input(BertInputs.POOL_MASK, DType.FLOAT32, Shape.of(Shape.DYNAMIC, length));
    Value hidden = encode(b, in);
    b.output(LAST_HIDDEN_STATE, hidden);
    if (pooler) {
      b.output(POOLER_OUTPUT, pool(b, hidden));
    }
    b.output(MEAN_POOLED, maskedMean(b, hidden, poolMask));
    return b.build();
  }
}
