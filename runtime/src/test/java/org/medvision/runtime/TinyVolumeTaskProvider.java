package org.medvision.runtime;

import java.util.List;
import java.util.Map;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.metrics.ClassificationSuite;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * A test-only 3-D task small enough for the reference interpreter: a scan in, class logits and a voxel map out.
 *
 * <p>The map is {@code sigmoid(w * x + b)} of each voxel of the preprocessed scan (a 1x1x1 convolution), on the same
 * grid as the input, so a test can predict every voxel of the map written back onto the source scan from the scan's
 * own values. The same values also come out as a generated image ({@code image}), to exercise that result
 * kind. The logits come from a 3x3x3 convolution, global pooling and a linear layer. Intensities are clipped to
 * [{@value #CLIP_LOW}, {@value #CLIP_HIGH}] HU.
 *
 * <p>Options: {@code input} (D x H x W of the tensor), {@code batch} (a fixed batch dimension, 0 for any) and the
 * training-only {@code sampler}; variants {@code narrow} and {@code wide} differ in the classifier's width.
 */
final class TinyVolumeTaskProvider implements TaskProvider {
  static final String NAME = "tiny-volume";
  static final double CLIP_LOW = -100;
  static final double CLIP_HIGH = 200;
  static final List<String> CLASSES = List.of("clear", "lesion");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String citation() {
    return "medvision runtime tests, a tiny volume task with a voxel map";
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
    return List.of(OptionSpec.size("input", "4x8x8", 1, 64, "D x H x W of the model's input"),
        OptionSpec.integer("batch", "0", 0, 16, "a fixed batch dimension of the graph, 0 for any"),
        OptionSpec.choice("sampler", "uniform", List.of("uniform", "size-balanced"), "how training draws scans")
            .training());
  }

  @Override
  public Task create(TaskConfig requested) {
    TaskConfig config = configure(requested.variant(), requested.options());
    int[] input = config.sizeOption("input");
    int batch = config.intOption("batch");
    int width = config.variant().equals("wide") ? 4 : 2;
    GraphBuilder b = new GraphBuilder(NAME + "-" + config.variant());
    Value x = b.input("scan", DType.FLOAT32, Shape.of(batch > 0 ? batch : Shape.DYNAMIC, 1, input[0], input[1],
        input[2]));
    Value map;
    try (GraphBuilder.Scope s = b.scope("map_head")) {
      Value w = b.parameter("weight", Shape.of(1, 1, 1, 1, 1), ParamRole.WEIGHT, Initializers.uniform(6f));
      Value bias = b.parameter("bias", Shape.of(1), ParamRole.BIAS, Initializers.uniform(3f));
      map = b.apply(Op.SIGMOID, b.apply(Op.CONV, x, w, bias));
    }
    Value features;
    try (GraphBuilder.Scope s = b.scope("stem")) {
      Value w = b.parameter("weight", Shape.of(width, 1, 3, 3, 3), ParamRole.WEIGHT, Initializers.kaimingUniform());
      Value bias = b.parameter("bias", Shape.of(width), ParamRole.BIAS, Initializers.uniform(0.1f));
      features = b.apply(Op.CONV, Attributes.builder().set("pads", 1L, 1L, 1L, 1L, 1L, 1L).build(), x, w, bias);
    }
    features = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, b.apply(Op.RELU, features)));
    Value logits;
    try (GraphBuilder.Scope s = b.scope("head")) {
      Value w = b.parameter("weight", Shape.of(CLASSES.size(), width), ParamRole.WEIGHT,
          Initializers.kaimingUniform());
      Value bias = b.parameter("bias", Shape.of(CLASSES.size()), ParamRole.BIAS, Initializers.uniform(0.5f));
      logits = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), features, w, bias);
    }
    b.output("logits", logits);
    b.output("map", map);
    b.output("image", b.apply(Op.IDENTITY, map));
    b.metadata("task", NAME).metadata("variant", config.variant()).metadata("input", config.option("input"));
    Graph graph = b.build();
    VolumeField scan = new VolumeField("scan", "path", new VolumePreprocessing("", 0, CLIP_LOW, CLIP_HIGH, Double.NaN,
        input), true);
    LabelField label = LabelField.single("label", "label", CLASSES);
    DataSchema data = new DataSchema(List.of(scan, label), Map.of("scan", "scan"), "label");
    return Task.builder(NAME, config, graph).data(data)
        .output(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, CLASSES))
        .output(OutputSpec.over("map", OutputSpec.Kind.SPATIAL_MAP, "scan"))
        .output(OutputSpec.over("image", OutputSpec.Kind.IMAGE, "scan"))
        .metrics(() -> new ClassificationSuite("logits", "label", CLASSES)).build();
  }
}
