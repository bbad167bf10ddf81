package org.medvision.tasks.cxrprototype;

import java.util.List;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.tasks.common.ConvNextEncoder;
import org.medvision.tasks.common.LayerNorm;
import org.medvision.tasks.common.Linear;

/**
 * The label-prototype model (papers.md §5.2's proposal; the paper gives no dimensions or similarity function):
 *
 * <ul>
 *   <li>image: ConvNeXt ({@code stem.*}, {@code stages.*}, timm's names), global average pool, LayerNorm
 *       ({@code head.norm}, timm's pre-logits feature), projection MLP {@code image_projection.0} → GELU →
 *       {@code image_projection.2}, L2-normalised: ṽ [N, E];
 *   <li>labels: {@code label_embeddings} [K, H], each label's text embedding from a frozen BERT (mean of its
 *       last-layer word-piece states, computed once per run by {@link LabelEmbeddings} and kept in the checkpoint,
 *       so prediction needs no text encoder), projection MLP {@code text_projection.0} → GELU →
 *       {@code text_projection.2}, L2-normalised: prototypes P [K, E];
 *   <li>{@value #SIMILARITY} s = ṽ Pᵀ [N, K] (cosines), {@value #LOGITS} z = γ·s + b with the learnable scale
 *       γ = {@code logit_scale} (starting at 10) and per-label bias b = {@code label_bias}; σ(z) are the label
 *       probabilities.
 * </ul>
 */
final class CxrPrototypeModel {
  static final String IMAGE = "image";
  static final String LOGITS = "logits";
  static final String SIMILARITY = "similarity";
  static final String LABEL_EMBEDDINGS = "label_embeddings";
  /** The projections' hidden width (papers.md §5.2: 512). */
  static final int PROJECTION_HIDDEN = 512;
  static final float INITIAL_SCALE = 10f;
  /** timm's ConvNeXt head norm epsilon. */
  private static final float HEAD_NORM_EPS = 1e-6f;
  /** Keeps the L2 normalisation finite for an all-zero vector; far below any real norm. */
  private static final float NORM_EPS = 1e-12f;

  private CxrPrototypeModel() {}

  /** The graph of {@code c} over the labels {@code classes}. */
  static Graph graph(CxrPrototypeConfig c, List<String> classes, ImagePreprocessing prep) {
    int k = classes.size();
    GraphBuilder b = new GraphBuilder(CxrPrototypeTaskProvider.NAME + "-" + c.variant());
    Value image = b.input(IMAGE, DType.FLOAT32, Shape.of(Shape.DYNAMIC, 3, c.imageSize(), c.imageSize()));
    ConvNextEncoder encoder = new ConvNextEncoder();
    Value pooled = encoder.encode(b, image, c.variant(), c.dropPath());
    int features = encoder.featureDim(c.variant());
    Value v = new LayerNorm(features, HEAD_NORM_EPS).apply(b, "head.norm", pooled);
    Value imageVector = l2Normalize(b, projection(b, "image_projection", v, features, c.embedDim()));

    Value text = b.parameter(LABEL_EMBEDDINGS, Shape.of(k, c.textDim()), ParamRole.WEIGHT,
        (out, shape, random) -> {
          // Stand-ins until the run computes the real embeddings; unit-scale like BERT's hidden states.
          for (int i = 0; i < out.length; i++) {
            out[i] = (float) (random.nextDouble() * 2 - 1);
          }
        });
    Value prototypes = l2Normalize(b, projection(b, "text_projection", text, c.textDim(), c.embedDim()));
    Value similarity = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), imageVector, prototypes);
    Value scale = b.parameter("logit_scale", Shape.of(1), ParamRole.NORM_SCALE,
        (out, shape, random) -> out[0] = INITIAL_SCALE);
    Value bias = b.parameter("label_bias", Shape.of(k), ParamRole.BIAS, (out, shape, random) -> { });
    Value logits = b.apply(Op.ADD, b.apply(Op.MUL, similarity, scale), bias);
    b.output(LOGITS, logits);
    b.output(SIMILARITY, similarity);
    b.metadata("task", CxrPrototypeTaskProvider.NAME)
        .metadata("variant", c.variant())
        .metadata("labels", String.join(",", classes))
        .metadata("preprocessing.mean", join(prep.mean()))
        .metadata("preprocessing.std", join(prep.std()));
    return b.build();
  }

  /** Linear(in, 512) → GELU → Linear(512, out), named {@code name.0} and {@code name.2} as an nn.Sequential. */
  private static Value projection(GraphBuilder b, String name, Value x, int in, int out) {
    Value h = Linear.pytorchDefault(in, PROJECTION_HIDDEN).apply(b, name + ".0", x);
    h = b.apply(Op.GELU, h);
    return Linear.pytorchDefault(PROJECTION_HIDDEN, out).apply(b, name + ".2", h);
  }

  /** x / sqrt(Σ x² + ε) along the last axis. */
  static Value l2Normalize(GraphBuilder b, Value x) {
    Value squares = b.apply(Op.REDUCE_SUM, Attributes.builder().set("axes", new long[] {-1}).set("keepdims", 1L).build(),
        b.apply(Op.MUL, x, x));
    Value norm = b.apply(Op.SQRT, b.apply(Op.ADD, squares, b.constant(Shape.scalar(), NORM_EPS)));
    return b.apply(Op.DIV, x, norm);
  }

  private static String join(float[] values) {
    StringBuilder sb = new StringBuilder();
    for (float v : values) {
      sb.append(sb.length() == 0 ? "" : ",").append(v);
    }
    return sb.toString();
  }
}
