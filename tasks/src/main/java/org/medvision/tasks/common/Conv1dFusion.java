package org.medvision.tasks.common;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Fusion;

/**
 * StrokeNeXt's {@code Conv1dFusion} (Ramos & Sappa 2026), layer for layer as in the authors' code, with their
 * parameter names.
 *
 * <p>The k feature vectors [N, d] are stacked to [N, d, k] (written as unsqueeze on axis 2 and concat on axis 2, the
 * order of {@code torch.stack(dim=2)}). Then: {@code conv_reduce} Conv1d(d, d, kernel k, no bias) → squeeze →
 * {@code bn_reduce} BatchNorm1d(d) → GELU → unsqueeze → {@code conv_point} Conv1d(d, h, 1, no bias) → squeeze →
 * {@code bn_point} BatchNorm1d(h) → GELU → Dropout(p); and when h ≠ d also {@code conv_expand} Conv1d(h, d, 1, no bias)
 * → {@code bn_expand} → GELU. The reduce step equals y = Σ_t W[:, :, t]·f_t, a bias-free linear map of the
 * concatenated features; real 1-D convolutions keep PyTorch's weight layouts ({@code conv_reduce.weight} [d, d, k]).
 *
 * <p>The registered plugin is the paper's configuration: h = d ({@code fusion_hidden=None}) and dropout 0.5. The
 * authors pass two features (k = 2); any k ≥ 2 gives a kernel of size k.
 */
public final class Conv1dFusion implements Fusion {
  /** The dropout StrokeNeXt passes as {@code fusion_dropout}. */
  public static final float PAPER_DROPOUT = 0.5f;

  private final int hidden;
  private final float dropout;

  /** The paper's fusion: hidden size equal to the feature size, dropout 0.5. */
  public Conv1dFusion() {
    this(0, PAPER_DROPOUT);
  }

  /**
   * A fusion with another hidden size or dropout (the authors' {@code fusion_hidden} and {@code fusion_dropout}).
   *
   * @param hidden hidden size h; 0 means h = d
   * @param dropout dropout probability after {@code bn_point}
   */
  public Conv1dFusion(int hidden, float dropout) {
    if (hidden < 0 || !(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("Conv1dFusion: hidden must be >= 0 (0 = feature size) and dropout in [0, 1);"
          + " got " + hidden + " and " + dropout);
    }
    this.hidden = hidden;
    this.dropout = dropout;
  }

  /** {@code conv1d}. */
  @Override
  public String name() {
    return "conv1d";
  }

  @Override
  public String description() {
    return "StrokeNeXt's stacked 1-D convolution fusion (reduce, point-wise projection, BatchNorm, GELU)";
  }

  /** {@code featureDim}: the fusion maps back to the feature size. */
  @Override
  public int outputDim(int featureDim, int count) {
    return featureDim;
  }

  /**
   * Emits the fusion under the builder's current scope.
   *
   * @param features two or more [N, d] values of one d
   * @return [N, d]
   * @throws org.medvision.api.MedvisionException for fewer than two inputs or mismatched shapes
   */
  @Override
  public Value fuse(GraphBuilder builder, List<Value> features) {
    int d = FusionInputs.featureDim(name(), features, 2);
    int k = features.size();
    int h = hidden == 0 ? d : hidden;
    List<Value> columns = new ArrayList<>();
    for (Value f : features) {
      columns.add(unsqueeze(builder, f));
    }
    Value x = builder.apply(Op.CONCAT, Attributes.builder().set("axis", 2L).build(), columns.toArray(new Value[0]));
    x = convBnGelu(builder, x, "reduce", d, d, k);
    x = convBnGelu(builder, unsqueeze(builder, x), "point", d, h, 1);
    x = Activations.dropout(builder, x, dropout);
    if (h != d) {
      x = convBnGelu(builder, unsqueeze(builder, x), "expand", h, d, 1);
    }
    return x;
  }

  /** conv_{suffix} (bias-free) on [N, in, kernel] → squeeze to [N, out] → bn_{suffix} → GELU. */
  private static Value convBnGelu(GraphBuilder b, Value x, String suffix, int in, int out, int kernel) {
    Convolution conv = Convolution.conv1d(in, out, kernel, 1, 0, 1, false, LayerInit.pytorchDefault((long) in * kernel));
    Value y = conv.apply(b, "conv_" + suffix, x);
    y = b.apply(Op.SQUEEZE, Attributes.builder().set("axes", new long[] {2L}).build(), y);
    y = new BatchNorm1d(out).apply(b, "bn_" + suffix, y);
    return Activations.gelu(b, y);
  }

  private static Value unsqueeze(GraphBuilder b, Value x) {
    return b.apply(Op.UNSQUEEZE, Attributes.builder().set("axes", new long[] {2L}).build(), x);
  }
}
