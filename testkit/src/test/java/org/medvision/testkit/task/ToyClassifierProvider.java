package org.medvision.testkit.task;

import java.util.ArrayList;
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
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * A minimal task for testing the suite: conv, ReLU, global pooling and a linear classifier. {@code broken} makes it
 * accept unknown variants, which the suite must catch.
 */
final class ToyClassifierProvider implements TaskProvider {
  private final boolean broken;

  ToyClassifierProvider(boolean broken) {
    this.broken = broken;
  }

  @Override
  public String name() {
    return "toy-classifier";
  }

  @Override
  public String citation() {
    return "medvision testkit, a toy classifier for testing the task conformance suite";
  }

  @Override
  public List<String> variants() {
    return List.of("narrow", "wide");
  }

  @Override
  public String defaultVariant() {
    return "narrow";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.choice("subtask", "2class", List.of("2class", "3class"), "how many classes"),
        OptionSpec.integer("image_size", "16", 8, 256, "input height and width"));
  }

  /** The broken provider skips the variant check that the default configuration makes. */
  @Override
  public TaskConfig configure(String variant, Map<String, String> overrides) {
    if (!broken) {
      return TaskProvider.super.configure(variant, overrides);
    }
    return TaskProvider.super.configure(defaultVariant(), overrides).withVariant(variant);
  }

  @Override
  public Task create(TaskConfig requested) {
    TaskConfig config = configure(requested.variant(), requested.options());
    int width = config.variant().equals("wide") ? 16 : 8;
    int classes = config.option("subtask").equals("3class") ? 3 : 2;
    int size = config.intOption("image_size");
    GraphBuilder b = new GraphBuilder("toy-" + config.variant() + "-" + config.option("subtask"));
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, size, size));
    try (GraphBuilder.Scope s = b.scope("stem")) {
      Value w = b.parameter("weight", Shape.of(width, 3, 3, 3), ParamRole.WEIGHT, Initializers.kaimingUniform());
      Value bias = b.parameter("bias", Shape.of(width), ParamRole.BIAS, Initializers.uniform(0.1f));
      x = b.apply(Op.CONV, Attributes.builder().set("strides", 2L, 2L).set("pads", 1L, 1L, 1L, 1L).build(), x, w,
          bias);
    }
    x = b.apply(Op.RELU, x);
    x = b.apply(Op.GLOBAL_AVG_POOL, x);
    x = b.apply(Op.FLATTEN, x);
    try (GraphBuilder.Scope s = b.scope("head")) {
      Value w = b.parameter("weight", Shape.of(classes, width), ParamRole.WEIGHT, Initializers.kaimingUniform());
      Value bias = b.parameter("bias", Shape.of(classes), ParamRole.BIAS, Initializers.zeros());
      x = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), x, w, bias);
    }
    b.output("logits", x);
    Graph graph = b.build();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < classes; i++) {
      labels.add("class" + i);
    }
    LabelField label = LabelField.single("label", "label", labels);
    DataSchema data = new DataSchema(List.of(ImageField.of("image", "path", ImagePreprocessing.imagenet(size),
        Windowing.range()), label), Map.of("image", "image"), "label");
    return Task.builder(name(), config, graph).data(data)
        .output(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, labels))
        .metrics(() -> new ClassificationSuite("logits", "label", labels)).build();
  }
}
