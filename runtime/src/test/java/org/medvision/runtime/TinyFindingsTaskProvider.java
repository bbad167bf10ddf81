package org.medvision.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.metrics.MultiLabelSuite;
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
 * A test-only multi-label 2-D task: three findings whose logits are fixed ({@link #LOGITS}, the head's weight is 0),
 * so their sigmoid probabilities are known whatever the image; option {@code threshold} sets the probability from
 * which a label is present. One grey channel of {@value #SIZE} x {@value #SIZE}, brain window 40/80.
 */
final class TinyFindingsTaskProvider implements TaskProvider {
  static final String NAME = "tiny-findings";
  static final int SIZE = 32;
  static final List<String> LABELS = List.of("Effusion", "Mass", "Pleural_Thickening");
  /** The logits of every image: sigmoid gives about 0.881, 0.119 and 0.525. */
  static final float[] LOGITS = {2f, -2f, 0.1f};

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String citation() {
    return "medvision runtime tests, a tiny multi-label task with fixed findings";
  }

  @Override
  public List<String> variants() {
    return List.of("tiny");
  }

  @Override
  public String defaultVariant() {
    return "tiny";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(OptionSpec.number("threshold", "0.5", 0, 1, "probability from which a finding is present"));
  }

  @Override
  public Task create(TaskConfig requested) {
    TaskConfig config = configure(requested.variant(), requested.options());
    GraphBuilder b = new GraphBuilder(NAME);
    Value x = b.input("image", DType.FLOAT32, Shape.of(Shape.DYNAMIC, 1, SIZE, SIZE));
    Value pooled = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, x));
    Value logits;
    try (GraphBuilder.Scope s = b.scope("head")) {
      Value w = b.parameter("weight", Shape.of(LABELS.size(), 1), ParamRole.WEIGHT, Initializers.zeros());
      logits = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), pooled, w,
          b.constant(Shape.of(LABELS.size()), LOGITS));
    }
    b.output("findings", logits);
    ImageField image = ImageField.of("image", "path", new ImagePreprocessing(1, SIZE, SIZE, new float[] {0f},
        new float[] {1f}), Windowing.fixed(40, 80));
    LabelField findings = new LabelField("findings", "labels", LABELS, Map.of(), Set.of("no-finding"), true, "|");
    DataSchema data = new DataSchema(List.of(image, findings), Map.of("image", "image"), "");
    return Task.builder(NAME, config, b.build()).data(data)
        .output(new OutputSpec("findings", OutputSpec.Kind.MULTILABEL_LOGITS, LABELS))
        .labelThreshold((float) config.numberOption("threshold"))
        .metrics(() -> new MultiLabelSuite("findings", findings)).build();
  }
}
