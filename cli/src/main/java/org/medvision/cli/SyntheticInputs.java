package org.medvision.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.data.Batches;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.dataset.ExampleReader;

/**
 * Seeded random inputs for a task, for benchmarks: images as a decoder delivers them (one channel in [0, 1] at the
 * model's size, preprocessed on every pass as real inputs are), volumes already preprocessed to the model's D×H×W.
 */
final class SyntheticInputs {
  private final Task task;
  private final ExampleReader reader;
  private final List<Map<String, Tensor>> raw = new ArrayList<>();

  /** {@code count} random examples for {@code task}. */
  SyntheticInputs(Task task, int count, long seed) {
    this.task = task;
    this.reader = ExampleReader.inputs(task.data(), null);
    SplittableRandom random = new SplittableRandom(seed);
    DataSchema schema = task.data();
    for (int i = 0; i < count; i++) {
      Map<String, Tensor> item = new LinkedHashMap<>();
      for (String name : schema.inputFields()) {
        Field f = schema.field(name).orElseThrow();
        if (f instanceof ImageField img) {
          item.put(name, uniform(random, 1, img.preprocessing().height(), img.preprocessing().width()));
        } else if (f instanceof VolumeField vol) {
          int[] s = vol.preprocessing().size();
          item.put(name, uniform(random, 1, s[0], s[1], s[2]));
        }
      }
      raw.add(item);
    }
  }

  private static Tensor uniform(SplittableRandom random, int... dims) {
    Shape shape = Shape.of(dims);
    float[] v = new float[(int) shape.size()];
    for (int j = 0; j < v.length; j++) {
      v[j] = (float) random.nextDouble();
    }
    return Tensor.of(shape, v);
  }

  /** The examples, preprocessed as the task's fields say (images are resized and normalised here). */
  List<Example> examples() {
    List<Example> out = new ArrayList<>(raw.size());
    for (int i = 0; i < raw.size(); i++) {
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      for (Map.Entry<String, Tensor> e : raw.get(i).entrySet()) {
        Field f = task.data().field(e.getKey()).orElseThrow();
        tensors.put(e.getKey(), f instanceof ImageField img ? reader.preprocessImage(img, e.getValue())
            : e.getValue());
      }
      out.add(new Example("synthetic-" + i, null, "synthetic example " + i, tensors, Map.of()));
    }
    return out;
  }

  /** The model stage's feeds for {@code examples}. */
  Map<String, Tensor> feeds(List<Example> examples) {
    return SingleGraphPipeline.feeds(task.data(), Batches.collate(examples));
  }
}
