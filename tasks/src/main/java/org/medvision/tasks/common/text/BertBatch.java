package org.medvision.tasks.common.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.tasks.common.BertInputs;

/**
 * Tokenized sequences of one length, as the tensors a {@link org.medvision.tasks.common.BertEncoder} graph reads.
 *
 * @param rows one encoding per sequence, all of one length
 */
public record BertBatch(List<BertEncoding> rows) {
  /** Copies the rows and checks that they share a length. */
  public BertBatch {
    rows = List.copyOf(rows);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("a batch needs at least one sequence");
    }
    int t = rows.get(0).length();
    for (BertEncoding r : rows) {
      if (r.length() != t) {
        throw new IllegalArgumentException("sequences of lengths " + t + " and " + r.length() + " in one batch");
      }
    }
  }

  /** The sequence length T. */
  public int length() {
    return rows.get(0).length();
  }

  /**
   * The graph inputs: {@code input_ids}, {@code token_type_ids} (int64 [B, T]), {@code attention_mask} and, when
   * {@code withPoolMask}, {@code pool_mask} (float32 [B, T]).
   */
  public Map<String, Tensor> inputs(boolean withPoolMask) {
    int b = rows.size();
    int t = length();
    long[] ids = new long[b * t];
    long[] types = new long[b * t];
    float[] mask = new float[b * t];
    float[] pool = new float[b * t];
    for (int i = 0; i < b; i++) {
      BertEncoding r = rows.get(i);
      System.arraycopy(r.inputIds(), 0, ids, i * t, t);
      System.arraycopy(r.tokenTypeIds(), 0, types, i * t, t);
      System.arraycopy(r.attentionMask(), 0, mask, i * t, t);
      System.arraycopy(r.poolMask(), 0, pool, i * t, t);
    }
    Shape shape = Shape.of(b, t);
    Map<String, Tensor> out = new LinkedHashMap<>();
    out.put(BertInputs.INPUT_IDS, Tensor.ofLongs(shape, ids));
    out.put(BertInputs.TOKEN_TYPE_IDS, Tensor.ofLongs(shape, types));
    out.put(BertInputs.ATTENTION_MASK, Tensor.of(shape, mask));
    if (withPoolMask) {
      out.put(BertInputs.POOL_MASK, Tensor.of(shape, pool));
    }
    return out;
  }
}
