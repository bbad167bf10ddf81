package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.Batches;
import org.medvision.api.data.Example;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.ExampleSet;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.synth.chest.ChestCtDataset;

/**
 * DSA-Net's logits and attention maps agree on ONNX Runtime, DJL and TensorFlow: the same weights (with BatchNorm
 * running statistics drawn away from 0 and 1, so inference-mode normalisation is exercised) and the same synthetic
 * chest CTs, read and preprocessed as training and prediction read them, in one JVM.
 */
class CovidDsaCrossEngineParityTest {
  /** The bar for float32 cross-engine parity. */
  private static final double TOLERANCE = 1e-4;
  private static final List<String> OUTPUTS = List.of("logits", "attention", "attention_logits");

  @TempDir
  Path dir;

  @Test
  void logitsAndAttentionAgreeOnEveryEngine() {
    // The MedicalNet layout keeps a 2x4x4 attention grid at this small input, so the maps have structure to compare.
    Task task = TestImages.MEDVISION.task("covid-dsa", TestImages.MEDVISION.tasks().get("covid-dsa").configure(
        "resnet10", Map.of("input", "16x32x32", "layout", "medicalnet")));
    ChestCtDataset.Result synth = ChestCtDataset.generate(dir.resolve("chest"), 10, 48, 3, "nifti", false,
        ProgressListener.NONE);
    ExampleSet scans = TaskData.load(synth.manifest(), task.data(), 3, ProgressListener.NONE).split(Split.TRAIN);
    ExampleReader reader = ExampleReader.inputs(task.data(), null);
    List<Example> examples = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      examples.add(reader.read(scans.get(i), 0, i));
    }
    Map<String, Tensor> feeds = SingleGraphPipeline.feeds(task.data(), Batches.collate(examples));
    Weights weights = withRunningStatistics(task, RandomWeights.initialize(task.graph(), 17));

    Map<String, Map<String, float[]>> byEngine = new LinkedHashMap<>();
    for (String engine : List.of("onnx", "djl", "tensorflow")) {
      byEngine.put(engine, run(engine, task, weights, feeds));
    }
    Map<String, float[]> reference = byEngine.get("onnx");
    float[] attention = reference.get("attention");
    assertEquals(4L * 2 * 4 * 4, attention.length, "4 scans x the 2x4x4 attention grid");
    assertTrue(spread(attention) > 1e-3, "attention varies over the grid, so agreement is not trivial");
    for (Map.Entry<String, Map<String, float[]>> e : byEngine.entrySet()) {
      for (String output : OUTPUTS) {
        double diff = maxAbsDiff(reference.get(output), e.getValue().get(output));
        assertTrue(diff <= TOLERANCE, e.getKey() + " vs onnx, " + output + ": max |diff| = " + diff);
      }
    }
  }

  private static Map<String, float[]> run(String engineName, Task task, Weights weights, Map<String, Tensor> feeds) {
    try (Engine engine = TestImages.MEDVISION.engine(engineName);
        CompiledModel model = engine.compile(task.graph(), weights, CompileOptions.defaults())) {
      Map<String, Tensor> out = model.run(feeds);
      Map<String, float[]> values = new LinkedHashMap<>();
      for (String name : OUTPUTS) {
        values.put(name, out.get(name).toFloatArray());
      }
      return values;
    }
  }

  /** Running means drawn in [-0.2, 0.2] and variances in [0.5, 1.5], seeded. */
  private static Weights withRunningStatistics(Task task, Weights weights) {
    SplittableRandom random = new SplittableRandom(23);
    Map<String, Tensor> tensors = new LinkedHashMap<>(weights.tensors());
    for (ParameterSpec p : task.graph().parameters()) {
      boolean mean = p.role() == ParamRole.RUNNING_MEAN;
      if (mean || p.role() == ParamRole.RUNNING_VAR) {
        float[] v = new float[(int) p.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (mean ? random.nextDouble(-0.2, 0.2) : random.nextDouble(0.5, 1.5));
        }
        tensors.put(p.name(), Tensor.of(p.shape(), v));
      }
    }
    return Weights.of(tensors, weights.source());
  }

  private static double spread(float[] v) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float x : v) {
      min = Math.min(min, x);
      max = Math.max(max, x);
    }
    return max - min;
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }
}
