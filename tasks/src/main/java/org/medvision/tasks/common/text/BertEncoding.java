package org.medvision.tasks.common.text;

import java.util.List;

/**
 * One tokenized sequence, padded to the graph's length T: the arrays of one row of {@link BertBatch}. The arrays are
 * the record's own; callers must not change them.
 *
 * @param tokens the tokens, [CLS] first, [SEP] after each segment, then [PAD] up to T
 * @param inputIds vocabulary ids, [T]
 * @param tokenTypeIds 0 through the first segment's [SEP], 1 for a second segment and its [SEP], 0 on padding, [T]
 * @param attentionMask 1 on real tokens (specials included), 0 on padding, [T]
 * @param poolMask 1 on word pieces, 0 on [CLS], [SEP] and padding, [T]: the weights of the prototype's mean
 */
public record BertEncoding(List<String> tokens, long[] inputIds, long[] tokenTypeIds, float[] attentionMask,
    float[] poolMask) {
  /** Copies the token list. */
  public BertEncoding {
    tokens = List.copyOf(tokens);
  }

  /** The padded length T. */
  public int length() {
    return inputIds.length;
  }

  /** Number of real tokens, [CLS] and [SEP] included. */
  public int realTokens() {
    int n = 0;
    for (float m : attentionMask) {
      n += m > 0 ? 1 : 0;
    }
    return n;
  }
}
