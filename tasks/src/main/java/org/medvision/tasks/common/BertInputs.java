package org.medvision.tasks.common;

import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * The graph inputs of a {@link BertEncoder} graph, named as Hugging Face's {@code BertModel.forward} arguments, for a
 * batch of B sequences of the fixed length T the graph was built for (B is dynamic).
 *
 * @param inputIds {@value #INPUT_IDS}: int64 [B, T] vocabulary ids
 * @param tokenTypeIds {@value #TOKEN_TYPE_IDS}: int64 [B, T] segment ids (0 for a single sequence)
 * @param attentionMask {@value #ATTENTION_MASK}: float32 [B, T], 1 on real tokens and 0 on padding
 */
public record BertInputs(Value inputIds, Value tokenTypeIds, Value attentionMask) {
  /** Name of the token-id input. */
  public static final String INPUT_IDS = "input_ids";
  /** Name of the segment-id input. */
  public static final String TOKEN_TYPE_IDS = "token_type_ids";
  /** Name of the padding-mask input. */
  public static final String ATTENTION_MASK = "attention_mask";
  /**
   * Name of the pooling-weight input of {@link BertEncoder#prototypeGraph}: float32 [B, T], 1 on the word pieces to
   * average and 0 on [CLS], [SEP] and padding.
   */
  public static final String POOL_MASK = "pool_mask";

  /**
   * Declares the three inputs for sequences of length {@code length}.
   *
   * @throws IllegalArgumentException unless {@code length} is positive
   */
  public static BertInputs declare(GraphBuilder b, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("sequence length must be positive, got " + length);
    }
    Shape shape = Shape.of(Shape.DYNAMIC, length);
    return new BertInputs(b.input(INPUT_IDS, DType.INT64, shape), b.input(TOKEN_TYPE_IDS, DType.INT64, shape),
        b.input(ATTENTION_MASK, DType.FLOAT32, shape));
  }
}
