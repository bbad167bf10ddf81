package org.medvision.train.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.classify.Probabilities;
import org.medvision.io.ProgressListener;
import org.medvision.io.classify.TaskInputs;
import org.medvision.io.dataset.Dataset;
import org.medvision.io.dataset.DatasetException;
import org.medvision.io.dataset.LabelMapping;
import org.medvision.io.image.Images;

/**
 * Runs a classification model over a data set and scores it.
 *
 * <p>Images are decoded lazily, one batch at a time, in data-set order, and fed through {@link TaskInputs}: the
 * task's own input specs (resize, channel adaptation, normalisation), which is the preprocessing the trainer applies
 * after augmentation, so training and evaluation see identically prepared pixels. The model is anything that maps
 * feeds to outputs: a {@link CompiledModel} of any engine, or a training session's inference. The task's first
 * output must hold mutually exclusive class logits; probabilities are their softmax.
 *
 * <p>Scores are {@link org.medvision.api.metrics.ClassificationMetrics} plus percentile-bootstrap 95% confidence
 * intervals of every {@link SummaryMetric} from {@value Evaluation#BOOTSTRAP_RESAMPLES} seeded resamples (see
 * {@link Evaluation#of}). Not thread-safe; the model stays the caller's.
 */
public final class Evaluator {
  /** Images per model run when none is given. */
  public static final int DEFAULT_BATCH_SIZE = 16;

  /** Maps one batch of graph inputs to graph outputs. */
  @FunctionalInterface
  public interface Model {
    /**
     * Runs one batch.
     *
     * @param feeds graph input name to a float32 [N, C, H, W] tensor
     * @return graph output name to tensor, including the task's first output
     */
    Map<String, Tensor> run(Map<String, Tensor> feeds);
  }

  private final Task task;
  private final Model model;
  private final TaskInputs inputs;
  private final OutputSpec output;
  private final int batchSize;
  private final boolean fixedBatch;

  /**
   * An evaluator of {@code task} run by {@code model}, {@code batchSize} images at a time (the graph's own batch
   * size when it fixes one).
   *
   * @throws MedvisionException if the batch size is not positive, the task reads more than one image per sample, or
   *     its first output is not class logits
   */
  public Evaluator(Task task, Model model, int batchSize) {
    this.task = Objects.requireNonNull(task, "task");
    this.model = Objects.requireNonNull(model, "model");
    if (batchSize < 1) {
      throw new MedvisionException("batch size must be at least 1, got " + batchSize);
    }
    if (task.outputs().isEmpty() || task.outputs().get(0).kind() != OutputSpec.Kind.CLASS_LOGITS) {
      throw new MedvisionException("evaluation needs a task whose first output holds mutually exclusive class logits;"
          + " task " + task.name() + " has outputs " + task.outputs());
    }
    this.output = task.outputs().get(0);
    this.inputs = new TaskInputs(task);
    if (inputs.sources().size() != 1) {
      throw new MedvisionException("evaluation reads one image per sample, but task " + task.name()
          + " takes images from " + inputs.sources());
    }
    this.fixedBatch = inputs.fixedBatch() > 0;
    this.batchSize = fixedBatch ? Math.toIntExact(inputs.fixedBatch()) : batchSize;
  }

  /** An evaluator running {@code model}, a compiled graph of {@code task}. */
  public static Evaluator of(Task task, CompiledModel model, int batchSize) {
    return new Evaluator(task, model::run, batchSize);
  }

  /** The class names of the task's output, in output order. */
  public List<String> classes() {
    return output.labels();
  }

  /**
   * Predicts every image of {@code data}, in data-set order.
   *
   * @param progress told the number of images done after each batch
   * @throws DatasetException naming the manifest row of an image that cannot be read, or if the data set's classes
   *     are not the task's
   */
  public List<ImagePrediction> predict(Dataset data, ProgressListener progress) {
    checkClasses(data.classes());
    if (data.size() == 0) {
      throw new DatasetException("the data set to evaluate has no images");
    }
    List<ImagePrediction> out = new ArrayList<>(data.size());
    progress.progress(0, data.size());
    for (int start = 0; start < data.size(); start += batchSize) {
      int end = Math.min(data.size(), start + batchSize);
      runBatch(data, start, end, out);
      progress.progress(end, data.size());
    }
    return out;
  }

  /**
   * Predicts every image of {@code data} and scores the predictions.
   *
   * @param bootstrapSeed seed of the bootstrap resampling
   * @throws DatasetException as {@link #predict}
   */
  public Evaluation evaluate(Dataset data, long bootstrapSeed, ProgressListener progress) {
    return Evaluation.of(predict(data, progress), classes(), bootstrapSeed);
  }

  private void checkClasses(List<String> dataClasses) {
    List<String> want = output.labels();
    boolean same = dataClasses.size() == want.size();
    for (int k = 0; same && k < want.size(); k++) {
      same = LabelMapping.canonical(dataClasses.get(k)).equals(LabelMapping.canonical(want.get(k)));
    }
    if (!same) {
      throw new DatasetException("the data set's classes " + dataClasses + " are not the classes " + want
          + " of task " + task.name() + " (subtask " + task.config().subtask() + "), in that order");
    }
  }

  private void runBatch(Dataset data, int start, int end, List<ImagePrediction> out) {
    int n = fixedBatch ? batchSize : end - start;
    String source = inputs.sources().get(0);
    List<Map<String, Tensor>> items = new ArrayList<>(n);
    Tensor last = null;
    for (int i = start; i < end; i++) {
      Dataset.Item item = data.get(i);
      try {
        last = Images.read(item.path());
      } catch (MedvisionException e) {
        throw new DatasetException(item.where() + ": " + e.getMessage(), e);
      }
      items.add(Map.of(source, last));
    }
    // A graph with a fixed batch size gets full batches: the last one repeats its final image, results dropped.
    while (items.size() < n) {
      items.add(Map.of(source, last));
    }
    Map<String, Tensor> results = model.run(inputs.feeds(items));
    Tensor logits = results.get(output.name());
    if (logits == null) {
      throw new MedvisionException("the model returned no output '" + output.name() + "'; it returned "
          + results.keySet());
    }
    int k = output.labels().size();
    if (logits.shape().rank() != 2 || logits.shape().dim(1) != k || logits.shape().dim(0) < end - start) {
      throw new MedvisionException("output '" + output.name() + "' has shape " + logits.shape() + "; expected ["
          + (end - start) + ", " + k + "] for classes " + output.labels());
    }
    float[] values = logits.toFloatArray();
    for (int i = start; i < end; i++) {
      double[] p = Probabilities.softmax(values, (i - start) * k, k);
      float[] probabilities = new float[k];
      for (int j = 0; j < k; j++) {
        probabilities[j] = (float) p[j];
      }
      Dataset.Item item = data.get(i);
      out.add(ImagePrediction.of(item.path(), item.label(), probabilities));
    }
  }
}
