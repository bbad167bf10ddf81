package org.medvision.tasks.covidsa;

import java.util.List;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.tasks.common.Convolution;
import org.medvision.tasks.common.LayerInit;
import org.medvision.tasks.common.Linear;
import org.medvision.tasks.common.ResNet3d;

/**
 * DSA-Net's graph: a 3-D ResNet over {@code ct}, the online attention module on its layer4 map, global average
 * pooling and a linear classifier.
 *
 * <pre>
 * ct [N, 1, D, H, W]
 * F  = ResNet3d layer4                          [N, C, d, h, w]   (conv1, bn1, layer1..layer4)
 * Z  = Conv3d(C, 1, k=1)(F)                     [N, 1, d, h, w]   (attention.weight [1, C, 1, 1, 1], attention.bias [1])
 * A  = sigmoid(Z)                               output "attention"
 * F' = F ⊙ (1 + A)                              (A broadcast over channels; the 1 is a graph constant)
 * logits = fc(GAP(F'))                          [N, 2]            (fc.weight [2, C], fc.bias [2])
 * </pre>
 *
 * <p>The formula is papers.md §3.3's proposal: the paper's own attention formula was not retrieved; a secondary
 * source calls it a CAM-like map "extended for 3D" and refined by infection masks during training, which this form
 * (a learned 1×1×1 projection of the last feature map, supervised by the mask) satisfies. The residual {@code 1 + A}
 * keeps every voxel's features (an attention of 0 leaves them unchanged rather than erasing them), so early in
 * training, when A is uninformative, the classifier still sees the whole lung.
 *
 * <p>Outputs: {@code logits}, {@code attention} and {@code attention_logits} (Z, the pre-sigmoid map the attention
 * loss takes, so it is computed stably from logits rather than from a saturated sigmoid). Initialisation: the
 * backbone as Hara's; {@code attention} and {@code fc} PyTorch's defaults for {@code nn.Conv3d} and
 * {@code nn.Linear} (a proposal; the paper's was not retrieved).
 */
final class CovidDsaModel {
  /** Name of the class-logit output. */
  static final String LOGITS = "logits";
  /** Name of the attention-map output, values in [0, 1]. */
  static final String ATTENTION = "attention";
  /** Name of the pre-sigmoid attention output. */
  static final String ATTENTION_LOGITS = "attention_logits";

  private CovidDsaModel() {}

  /** The graph of {@code c}, whose logits are in the order of {@code classes}. */
  static Graph graph(CovidDsaConfig c, List<String> classes) {
    GraphBuilder b = new GraphBuilder(CovidDsaTaskProvider.NAME + "-" + c.backbone().modelName()
        + (c.layout().equals(CovidDsaConfig.HARA) ? "" : "-" + c.layout()));
    int[] size = c.input();
    Value ct = b.input(CovidDsaSchema.CT, DType.FLOAT32, Shape.of(Shape.DYNAMIC, 1, size[0], size[1], size[2]));
    ResNet3d net = new ResNet3d(c.backbone());
    Value features = net.features(b, ct);
    int channels = c.channels();
    Value z = Convolution.conv3d(channels, 1, 1, 1, 0, 1, true, LayerInit.pytorchDefault(channels))
        .apply(b, "attention", features);
    Value attention = b.apply(Op.SIGMOID, z);
    Value gain = b.apply(Op.ADD, b.scalar(1f), attention);
    Value attended = b.apply(Op.MUL, features, gain);
    Value pooled = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, attended));
    Value logits = Linear.pytorchDefault(channels, classes.size()).apply(b, "fc", pooled);
    b.output(LOGITS, logits);
    b.output(ATTENTION, attention);
    b.output(ATTENTION_LOGITS, z);
    int[] grid = c.grid();
    b.metadata("task", CovidDsaTaskProvider.NAME)
        .metadata("variant", c.backbone().modelName())
        .metadata("layout", c.layout())
        .metadata("shortcut", c.backbone().shortcut().name())
        .metadata("conv1_t_stride", Integer.toString(c.backbone().conv1TStride()))
        .metadata("input", size[0] + "x" + size[1] + "x" + size[2])
        .metadata("attention_grid", grid[0] + "x" + grid[1] + "x" + grid[2])
        .metadata("labels", String.join(",", classes));
    return b.build();
  }
}
