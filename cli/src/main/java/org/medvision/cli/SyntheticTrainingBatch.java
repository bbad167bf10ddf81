package org.medvision.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.Batches;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.data.Field;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSpec;

/**
 * One seeded training batch for a task, for timing training steps: the model inputs of {@link SyntheticInputs} plus
 * a value for every target the task's recipe reads, and the feeds the generic trainer would build from them.
 *
 * <p>Each target takes the shape and dtype of its training-graph input (the batch axis dropped) and values of the
 * kind its field holds: a class index for a single label (cycling through the classes, so every class is in the
 * batch), 0/1 for masks and multi-label vectors (about a third ones), 1 for a mask's presence key (so every
 * masked loss is computed, as for a fully annotated batch), uniform [0, 1) otherwise.
 */
final class SyntheticTrainingBatch {
  /** Share of ones in synthetic masks and multi-label targets. */
  private static final double POSITIVE_FRACTION = 0.3;

  private final Task task;
  private final TrainingSpec spec;
  private final Map<String, Tensor> collated;

  /** {@code batch} examples for {@code task} trained as {@code spec} says. */
  SyntheticTrainingBatch(Task task, TrainingSpec spec, int batch, long seed) {
    this.task = task;
    this.spec = spec;
    List<Example> inputs = new SyntheticInputs(task, batch, seed).examples();
    SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
    Map<String, ValueInfo> graphInputs = new LinkedHashMap<>();
    spec.graph().inputs().forEach(i -> graphInputs.put(i.name(), i));
    List<Example> examples = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      Example e = inputs.get(i);
      for (Map.Entry<String, String> t : spec.targets().entrySet()) {
        e = e.with(t.getValue(), target(graphInputs.get(t.getKey()), t.getValue(), i, random));
      }
      examples.add(e);
    }
    this.collated = Batches.collate(examples);
  }

  /** The collated batch: model inputs and targets by example key, each with a leading batch axis. */
  Map<String, Tensor> collated() {
    return collated;
  }

  /**
   * The training graph's feeds for optimiser step {@code step}, built as the trainer builds them: the recipe's
   * preparation step (if any, running stages through {@code stages}), the model inputs the data schema names, the
   * targets, and the loss weights the balancer gives for that step.
   */
  Map<String, Tensor> feeds(long step, StageRunner stages) {
    Map<String, Tensor> batch = spec.preparer() == null ? collated : spec.preparer().prepare(collated, stages);
    Map<String, Tensor> feeds = SingleGraphPipeline.feeds(task.data(), batch);
    spec.targets().forEach((input, key) -> feeds.put(input, batch.get(key)));
    spec.balancer().weights(step).forEach((term, w) -> feeds.put(TrainingGraph.LOSS_WEIGHT_PREFIX + term,
        Tensor.of(Shape.scalar(), w.floatValue())));
    return feeds;
  }

  /** One example's value of target {@code key}, shaped as graph input {@code input} without its batch axis. */
  private Tensor target(ValueInfo input, String key, int index, SplittableRandom random) {
    long[] dims = input.shape().dims();
    if (dims.length == 0) {
      throw new MedvisionException("training target '" + input.name() + "' is a scalar; bench expects a batch axis");
    }
    Shape shape = Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
    if (Arrays.stream(shape.dims()).anyMatch(d -> d == Shape.DYNAMIC)) {
      throw new MedvisionException("training target '" + input.name() + "' has shape " + input.shape()
          + "; bench can only synthesise targets whose shape is fixed apart from the batch axis");
    }
    Field field = task.data().field(DataSchema.baseField(key)).orElseThrow(() -> new MedvisionException(
        "training target '" + input.name() + "' reads '" + key + "', which is no field of task " + task.name()));
    if (input.dtype() == DType.INT64) {
      if (!(field instanceof LabelField labels) || labels.multiLabel() || shape.rank() != 0) {
        throw new MedvisionException("training target '" + input.name() + "' is int64" + input.shape()
            + " but reads '" + key + "', which is no single-label field; bench cannot synthesise it");
      }
      return Tensor.ofLongs(shape, index % labels.classes().size());
    }
    float[] v = new float[Math.toIntExact(shape.size())];
    boolean presence = field instanceof MaskField && key.equals(MaskField.presenceKey(field.name()));
    boolean binary = !presence && (field instanceof MaskField || field instanceof LabelField);
    for (int j = 0; j < v.length; j++) {
      if (presence) {
        v[j] = 1f;
      } else if (binary) {
        v[j] = random.nextDouble() < POSITIVE_FRACTION ? 1f : 0f;
      } else {
        v[j] = (float) random.nextDouble();
      }
    }
    return Tensor.fromFloats(input.dtype(), shape, v);
  }

  /**
   * A training split of {@code size} rows for the recipe to plan with: classes of the stratification label in turn
   * (so class-count weighting sees every class) and attributes spread evenly over (0, 0.5].
   */
  static ExampleTable table(Task task, int size) {
    List<String> classes = task.data().labels().map(LabelField::classes).orElse(List.of());
    List<String> attributes = task.data().fields(AttributeField.class).stream().map(Field::name).toList();
    return new ExampleTable() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public String id(int row) {
        return "synthetic-" + row;
      }

      @Override
      public String patient(int row) {
        return "P" + row;
      }

      @Override
      public int[] labelsOf(int row, String field) {
        // Multi-label rows name one class each, cycling, so label frequencies are defined for every class.
        if (!(task.data().field(field).orElse(null) instanceof LabelField f)) {
          throw new MedvisionException("task " + task.name() + " has no label field '" + field + "'");
        }
        int k = f.classes().size();
        return k == 0 ? new int[0] : new int[] {row % k};
      }

      @Override
      public int label(int row) {
        return classes.isEmpty() ? -1 : row % classes.size();
      }

      @Override
      public List<String> classes() {
        return classes;
      }

      @Override
      public double attribute(int row, String name) {
        // A fixed spread rather than draws: samplers that bin an attribute see every bin filled.
        return attributes.contains(name) ? 0.5 * (row + 1) / size : Double.NaN;
      }

      @Override
      public String where(int row) {
        return "synthetic row " + row;
      }
    };
  }
}
