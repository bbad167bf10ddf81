package org.medvision.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.data.Batches;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.Detection;
import org.medvision.api.pipeline.Detections;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.Pipeline;
import org.medvision.api.pipeline.Prediction;
import org.medvision.api.pipeline.Probabilities;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Initializers;

/**
 * A test-only 2-D task whose pipeline returns every kind of result writers handle for images: class probabilities,
 * a pixel map {@code sigmoid(6 x - 3)} of the windowed slice (so bright pixels light up), and one detection whose mask
 * is that map (nothing is detected when no pixel reaches 0.5). One grey channel of {@value #SIZE} x {@value #SIZE},
 * brain window 40/80, no normalisation.
 */
final class TinySliceTaskProvider implements TaskProvider {
  static final String NAME = "tiny-slice";
  static final int SIZE = 32;
  static final List<String> CLASSES = List.of("clear", "lesion");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String citation() {
    return "medvision runtime tests, a tiny slice task with a map and detections";
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
    return List.of();
  }

  @Override
  public Task create(TaskConfig requested) {
    TaskConfig config = configure(requested.variant(), requested.options());
    GraphBuilder b = new GraphBuilder(NAME);
    Value x = b.input("image", DType.FLOAT32, Shape.of(Shape.DYNAMIC, 1, SIZE, SIZE));
    Value map;
    try (GraphBuilder.Scope s = b.scope("map_head")) {
      Value w = b.parameter("weight", Shape.of(1, 1, 1, 1), ParamRole.WEIGHT, Initializers.constant(6f));
      Value bias = b.parameter("bias", Shape.of(1), ParamRole.BIAS, Initializers.constant(-3f));
      map = b.apply(Op.SIGMOID, b.apply(Op.CONV, x, w, bias));
    }
    Value pooled = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, x));
    Value logits;
    try (GraphBuilder.Scope s = b.scope("head")) {
      Value w = b.parameter("weight", Shape.of(CLASSES.size(), 1), ParamRole.WEIGHT, Initializers.uniform(2f));
      Value bias = b.parameter("bias", Shape.of(CLASSES.size()), ParamRole.BIAS, Initializers.uniform(0.5f));
      logits = b.apply(Op.GEMM, Attributes.builder().set("transB", 1L).build(), pooled, w, bias);
    }
    b.output("logits", logits);
    b.output("map", map);
    Graph graph = b.build();
    ImageField image = ImageField.of("image", "path", new ImagePreprocessing(1, SIZE, SIZE, new float[] {0f},
        new float[] {1f}), Windowing.fixed(40, 80));
    DataSchema data = new DataSchema(List.of(image, LabelField.single("label", "label", CLASSES)),
        Map.of("image", "image"), "label");
    return Task.builder(NAME, config, graph).data(data).pipeline(new MapAndLesions(data)).build();
  }

  /** Class probabilities, the map, and the map as one detected lesion. */
  private record MapAndLesions(DataSchema schema) implements Pipeline {
    @Override
    public List<ExampleResult> predict(List<Example> batch, StageRunner stages) {
      Map<String, Tensor> out = stages.run(Task.MODEL, SingleGraphPipeline.feeds(schema, Batches.collate(batch)));
      List<ExampleResult> results = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Tensor map = Batches.row(out.get("map"), i).reshape(Shape.of(SIZE, SIZE));
        Map<String, Prediction> p = new LinkedHashMap<>();
        p.put("logits", new ClassProbabilities(CLASSES, Probabilities.softmax(Batches.row(out.get("logits"), i)
            .toFloatArray())));
        p.put("map", new SpatialMap(map, "image"));
        p.put("lesions", new Detections(lesions(map), "image"));
        results.add(new ExampleResult(batch.get(i).id(), p));
      }
      return results;
    }

    private static List<Detection> lesions(Tensor map) {
      float[] v = map.toFloatArray();
      float max = 0;
      for (float f : v) {
        max = Math.max(max, f);
      }
      return max < 0.5f ? List.of() : List.of(new Detection(new float[] {0, 0, SIZE, SIZE}, max, "lesion", map));
    }
  }
}
