package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.weights.Initializers;

/**
 * One Hugging Face {@code BertLayer} at inference (post-norm): multi-head self-attention with an additive mask, dense
 * projection, residual and LayerNorm; then dense, GELU, dense, residual and LayerNorm. Parameters under the caller's
 * scope ({@code encoder.layer.i.}): {@code attention.self.{query,key,value}}, {@code attention.output.dense},
 * {@code attention.output.LayerNorm}, {@code intermediate.dense}, {@code output.dense}, {@code output.LayerNorm}.
 */
final class BertLayer {
  private final BertConfig config;
  private final LayerInit init;

  BertLayer(BertConfig config) {
    this.config = config;
    this.init = new LayerInit(Initializers.normal((float) config.initializerRange()), Initializers.zeros());
  }

  /**
   * Emits the layer under the builder's current scope.
   *
   * @param x [B, T, H]
   * @param additiveMask [B, 1, 1, T]: 0 where a key may be attended to, a large negative number where not
   * @return [B, T, H]
   */
  Value apply(GraphBuilder b, Value x, Value additiveMask) {
    int h = config.hiddenSize();
    float eps = (float) config.layerNormEps();
    Value attended = b.within("attention", () -> {
      Value context = selfAttention(b, x, additiveMask);
      return b.within("output", () -> {
        Value y = linear(h, h).apply(b, "dense", context);
        return new LayerNorm(h, eps).apply(b, "LayerNorm", b.apply(Op.ADD, y, x));
      });
    });
    Value inner = b.within("intermediate", () -> {
      Value y = linear(h, config.intermediateSize()).apply(b, "dense", attended);
      Attributes gelu = Attributes.builder().set("approximate", config.tanhGelu() ? "tanh" : "none").build();
      return b.apply(Op.GELU, gelu, y);
    });
    return b.within("output", () -> {
      Value y = linear(config.intermediateSize(), h).apply(b, "dense", inner);
      return new LayerNorm(h, eps).apply(b, "LayerNorm", b.apply(Op.ADD, y, attended));
    });
  }

  private Value selfAttention(GraphBuilder b, Value x, Value additiveMask) {
    int h = config.hiddenSize();
    long length = x.shape().dim(1);
    return b.within("self", () -> {
      // Heads are split as [B, T, heads, d] and moved to [B, heads, T, d]; keys go straight to [B, heads, d, T].
      Value q = heads(b, linear(h, h).apply(b, "query", x), length, 0, 2, 1, 3);
      Value kt = heads(b, linear(h, h).apply(b, "key", x), length, 0, 2, 3, 1);
      Value v = heads(b, linear(h, h).apply(b, "value", x), length, 0, 2, 1, 3);
      Value scores = b.apply(Op.DIV, b.apply(Op.MATMUL, q, kt), b.scalar((float) Math.sqrt(config.headSize())));
      Value probs = b.apply(Op.SOFTMAX, Attributes.builder().set("axis", -1L).build(),
          b.apply(Op.ADD, scores, additiveMask));
      Value context = b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", 0L, 2L, 1L, 3L).build(),
          b.apply(Op.MATMUL, probs, v));
      return b.apply(Op.RESHAPE, Attributes.builder().set("shape", 0L, length, h).build(), context);
    });
  }

  private Value heads(GraphBuilder b, Value x, long length, long... perm) {
    Value split = b.apply(Op.RESHAPE,
        Attributes.builder().set("shape", 0L, length, config.heads(), config.headSize()).build(), x);
    return b.apply(Op.TRANSPOSE, Attributes.builder().set("perm", perm).build(), split);
  }

  private Linear linear(int in, int out) {
    return new Linear(in, out, true, init);
  }
}
