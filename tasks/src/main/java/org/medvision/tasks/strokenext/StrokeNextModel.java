package org.medvision.tasks.strokenext;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Fusion;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.tasks.common.ConcatFusion;
import org.medvision.tasks.common.Conv1dFusion;
import org.medvision.tasks.common.ConvNextEncoder;
import org.medvision.tasks.common.SumFusion;

/**
 * StrokeNeXt's graph: two ConvNeXt encoders ({@code encoder1}, {@code encoder2}) over inputs {@code image1} and
 * {@code image2}, the fusion ({@code fusion}) and the MLP classifier ({@code classifier}), output {@code logits};
 * {@code single} has one encoder and input.
 */
final class StrokeNextModel {
  private StrokeNextModel() {}

  /** The graph of {@code c} with {@code labels} as its classes. */
  static Graph graph(StrokeNextConfig c, List<String> labels, ImagePreprocessing prep) {
    ConvNextEncoder encoder = new ConvNextEncoder();
    Fusion fusion = fusion(c);
    String variant = c.variant();
    GraphBuilder b = new GraphBuilder(StrokeNextTaskProvider.NAME + "-" + variant + "-" + c.subtask() + "-"
        + c.fusion());
    Shape inputShape = Shape.of(Shape.DYNAMIC, 3, c.imageSize(), c.imageSize());
    Value image1 = b.input("image1", DType.FLOAT32, inputShape);
    Value f1 = b.within("encoder1", () -> encoder.encode(b, image1, variant, c.dropPath()));
    Value fused;
    if (fusion == null) {
      fused = f1;
    } else {
      Value image2 = b.input("image2", DType.FLOAT32, inputShape);
      Value f2 = b.within("encoder2", () -> encoder.encode(b, image2, variant, c.dropPath()));
      fused = b.within("fusion", () -> fusion.fuse(b, List.of(f1, f2)));
    }
    Value logits = b.within("classifier", () -> new StrokeNextHead().apply(b, fused, labels.size()));
    b.output("logits", logits);
    b.metadata("task", StrokeNextTaskProvider.NAME)
        .metadata("variant", variant)
        .metadata("subtask", c.subtask())
        .metadata("fusion", c.fusion())
        .metadata("image_size", Integer.toString(c.imageSize()))
        .metadata("labels", String.join(",", labels))
        .metadata("preprocessing.mean", join(prep.mean()))
        .metadata("preprocessing.std", join(prep.std()));
    if (c.fusionHidden() > 0) {
      b.metadata("option.fusion_hidden", Integer.toString(c.fusionHidden()));
    }
    return b.build();
  }

  private static Fusion fusion(StrokeNextConfig c) {
    switch (c.fusion()) {
      case "conv1d":
        return c.fusionHidden() > 0 ? new Conv1dFusion(c.fusionHidden(), Conv1dFusion.PAPER_DROPOUT)
            : new Conv1dFusion();
      case "concat":
        return new ConcatFusion();
      case "sum":
        return new SumFusion();
      case StrokeNextConfig.SINGLE:
        return null;
      default:
        throw new AssertionError(c.fusion());
    }
  }

  private static String join(float[] values) {
    List<String> parts = new ArrayList<>();
    for (float v : values) {
      parts.add(Float.toString(v));
    }
    return String.join(",", parts);
  }
}
