package org.medvision.tasks.common;

import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * Hugging Face's {@code BertEmbeddings} at inference: word + token type + position embeddings, then LayerNorm, under
 * {@code embeddings.}: {@code word_embeddings.weight} [V, H], {@code token_type_embeddings.weight} [types, H],
 * {@code position_embeddings.weight} [P, H], {@code LayerNorm.weight/bias} [H]. Positions are 0..T−1, T being fixed
 * when the graph is built, so the position rows are a slice of the table rather than a gather.
 */
final class BertEmbeddings {
  private static final Attributes AXIS_0 = Attributes.builder().set("axis", 0L).build();

  private final BertConfig config;

  BertEmbeddings(BertConfig config) {
    this.config = config;
  }

  /** The embedded tokens, [B, T, H]. */
  Value apply(GraphBuilder b, BertInputs in) {
    long length = in.inputIds().shape().dim(1);
    if (length > config.maxPositions()) {
      throw new MedvisionException("BERT: sequence length " + length + " exceeds max_position_embeddings "
          + config.maxPositions());
    }
    int h = config.hiddenSize();
    float std = (float) config.initializerRange();
    return b.within("embeddings", () -> {
      Value words = b.within("word_embeddings", () -> b.apply(Op.GATHER, AXIS_0,
          b.parameter("weight", Shape.of(config.vocabSize(), h), ParamRole.WEIGHT, Initializers.normal(std)),
          in.inputIds()));
      Value positions = b.within("position_embeddings", () -> b.apply(Op.SLICE,
          Attributes.builder().set("starts", new long[] {0}).set("ends", new long[] {length})
              .set("axes", new long[] {0}).build(),
          b.parameter("weight", Shape.of(config.maxPositions(), h), ParamRole.WEIGHT, Initializers.normal(std))));
      Value types = b.within("token_type_embeddings", () -> b.apply(Op.GATHER, AXIS_0,
          b.parameter("weight", Shape.of(config.typeVocabSize(), h), ParamRole.WEIGHT, Initializers.normal(std)),
          in.tokenTypeIds()));
      // Hugging Face's order: (words + types) + positions; float addition is not associative.
      Value sum = b.apply(Op.ADD, b.apply(Op.ADD, words, types), positions);
      return new LayerNorm(h, (float) config.layerNormEps()).apply(b, "LayerNorm", sum);
    });
  }
}
