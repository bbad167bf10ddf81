package org.medvision.api.example;

import java.util.List;
import java.util.Map;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.metrics.ClassificationSuite;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingRecipe;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * The README's worked example of a task plugin: a two-layer CNN classifier on grayscale images. It is compiled and
 * exercised by {@link TinyCnnTaskProviderTest}, so the README cannot drift from the API.
 */
public final class TinyCnnTaskProvider implements TaskProvider {
  private static final List<String> LABELS = List.of("normal", "lesion");

  @Override
  public String name() {
    return "tiny-cnn";
  }

  @Override
  public String description() {
    return "two convolutions and a linear classifier (example plugin)";
  }

  @Override
  public String citation() {
    return "medvision README, 'Adding a task plugin'";
  }

  @Override
  public List<String> variants() {
    return List.of("8", "16");
  }

  @Override
  public String defaultVariant() {
    return "8";
  }

  /** One option: the input size; a model option, so a checkpoint records it. */
  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.integer("image_size", "64", 16, 512, "input height and width in pixels"));
  }

  @Override
  public Task create(TaskConfig config) {
    if (!variants().contains(config.variant())) {
      throw new UnknownNameException("tiny-cnn variant", config.variant(), variants(), "");
    }
    int width = Integer.parseInt(config.variant());
    int size = config.intOption("image_size");

    GraphBuilder b = new GraphBuilder("tiny-cnn-" + width);
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 1, size, size));
    Attributes same3x3 = Attributes.builder().set("pads", 1L, 1L, 1L, 1L).build();
    int in = 1;
    for (int layer = 0; layer < 2; layer++) {
      try (GraphBuilder.Scope s = b.scope("features." + layer)) {
        int out = width << layer;
        Value w = b.parameter("weight", Shape.of(out, in, 3, 3), ParamRole.WEIGHT, Initializers.kaimingNormalFanOut());
        x = b.apply(Op.RELU, b.apply(Op.CONV, same3x3, x, w));
        in = out;
      }
    }
    x = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, x));
    try (GraphBuilder.Scope s = b.scope("classifier")) {
      Value w = b.parameter("weight", Shape.of(LABELS.size(), in), ParamRole.WEIGHT, Initializers.kaimingUniform());
      Value bias = b.parameter("bias", Shape.of(LABELS.size()), ParamRole.BIAS, Initializers.zeros());
      x = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, w, bias);
    }
    b.output("logits", x);
    Graph graph = b.build();

    // What an example is: an image (manifest column "path"; DICOM files windowed 40/80) and its label.
    ImagePreprocessing prep = new ImagePreprocessing(1, size, size, new float[] {0.5f}, new float[] {0.25f});
    ImageField image = ImageField.of("image", "path", prep, Windowing.fixed(40, 80));
    LabelField label = LabelField.single("label", "label", LABELS);
    DataSchema data = new DataSchema(List.of(image, label), Map.of("image", "image"), "label");
    // How to train it: cross-entropy of the logits against the labels, one loss term.
    TrainingRecipe recipe = context -> {
      TrainingGraph.Builder t = TrainingGraph.builder(graph);
      Value logits = t.graph().value("logits");
      Value labels = t.target(TrainingGraph.LABELS, DType.INT64, Shape.of(Shape.DYNAMIC));
      t.loss("ce", t.graph().apply(Op.CROSS_ENTROPY, logits, labels));
      return TrainingSpec.of(t.build(), Map.of(TrainingGraph.LABELS, "label"), Map.of("ce", 1.0));
    };
    return Task.builder("tiny-cnn", configure(config.variant(), config.options()), graph)
        .data(data)
        .output(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, LABELS))
        .training(recipe)
        .metrics(() -> new ClassificationSuite("logits", "label", LABELS))
        .build();
  }
}
