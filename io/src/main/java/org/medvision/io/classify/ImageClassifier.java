package org.medvision.io.classify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.io.ProgressListener;
import org.medvision.io.image.Images;

/**
 * Classifies images with a task model: compiles the task's graph once, then decodes (for files), preprocesses and
 * batches images, runs them and turns the task's first output into per-label probabilities. Image files and images
 * already in memory ({@link #classifyImages}) take the same path.
 *
 * <p>Every graph input is filled from its {@link org.medvision.api.task.InputSpec#source()}: inputs that share a
 * source get the same preprocessed tensor (see {@link TaskInputs}), so a two-encoder model such as StrokeNeXt sees
 * one image twice. Inputs are processed in batches of at most {@link #batchSize()} images; a graph with a fixed batch
 * dimension gets exactly that many, the last batch padded by repeating its final image (padded results are
 * discarded).
 *
 * <p>Holds the compiled model's native resources until {@link #close()}; the engine stays the caller's. Not safe for
 * concurrent use.
 */
public final class ImageClassifier implements AutoCloseable {
  /** Images per batch when none is given. */
  public static final int DEFAULT_BATCH_SIZE = 8;

  private final Task task;
  private final TaskInputs inputs;
  private final CompiledModel model;
  private final OutputSpec output;
  private final int batchSize;
  private final boolean fixedBatch;

  /**
   * Compiles {@code task}'s graph with {@code weights} on {@code engine} and batches {@link #DEFAULT_BATCH_SIZE}
   * images at a time.
   *
   * @throws org.medvision.api.weights.WeightMismatchException if the weights do not fit the graph
   * @throws org.medvision.api.engine.EngineException if the engine cannot compile it for the device
   */
  public ImageClassifier(Task task, Engine engine, Weights weights, CompileOptions options) {
    this(task, engine, weights, options, DEFAULT_BATCH_SIZE);
  }

  /**
   * Like {@link #ImageClassifier(Task, Engine, Weights, CompileOptions)} with {@code batchSize} images per run.
   *
   * @throws MedvisionException if the task has no outputs or {@code batchSize} is not positive
   */
  public ImageClassifier(Task task, Engine engine, Weights weights, CompileOptions options, int batchSize) {
    if (batchSize < 1) {
      throw new MedvisionException("batch size must be at least 1, got " + batchSize);
    }
    if (task.outputs().isEmpty()) {
      throw new MedvisionException("task " + task.name() + " declares no outputs to classify with");
    }
    this.task = task;
    this.output = task.outputs().get(0);
    this.inputs = new TaskInputs(task);
    this.fixedBatch = inputs.fixedBatch() > 0;
    this.batchSize = fixedBatch ? (int) inputs.fixedBatch() : batchSize;
    this.model = engine.compile(task.graph(), weights, options);
  }

  /** The task being run. */
  public Task task() {
    return task;
  }

  /** Images per engine run. */
  public int batchSize() {
    return batchSize;
  }

  /** The distinct input sources the task reads images from, in declaration order. */
  public List<String> sources() {
    return inputs.sources();
  }

  /** The output the probabilities come from (the task's first). */
  public OutputSpec output() {
    return output;
  }

  /**
   * Classifies each file; the task must take a single image source.
   *
   * @return one prediction per file, in order
   * @throws org.medvision.io.image.ImageReadException naming a file that is missing or cannot be decoded
   */
  public List<Prediction> classify(List<Path> images) {
    return classify(images, ProgressListener.NONE);
  }

  /**
   * Like {@link #classify(List)}, reporting progress after each batch.
   *
   * @throws MedvisionException if the task takes images from more than one source
   */
  public List<Prediction> classify(List<Path> images, ProgressListener progress) {
    List<String> sources = inputs.sources();
    if (sources.size() != 1) {
      throw new MedvisionException("task " + task.name() + " takes images from " + sources.size() + " sources "
          + sources + "; use classifyItems with one file per source");
    }
    List<Map<String, Path>> items = new ArrayList<>();
    for (Path p : images) {
      items.add(Map.of(sources.get(0), p));
    }
    return classifyItems(items, progress);
  }

  /**
   * Classifies items that each supply one file per input source.
   *
   * @param items per item, source name to file; the prediction's path is the file of the first source
   * @throws MedvisionException if an item lacks a source the task needs
   */
  public List<Prediction> classifyItems(List<Map<String, Path>> items, ProgressListener progress) {
    List<Classification> scores = inBatches(items, this::decode, progress);
    String first = inputs.sources().get(0);
    List<Prediction> out = new ArrayList<>(scores.size());
    for (int i = 0; i < scores.size(); i++) {
      Classification c = scores.get(i);
      out.add(new Prediction(items.get(i).get(first), output.name(), c.probabilities(), c.topLabel(),
          c.topProbability()));
    }
    return out;
  }

  /**
   * Classifies images already in memory, preprocessed, batched and padded as files are; a list whose elements are
   * made on access is read one batch at a time.
   *
   * @param images per item, input source name to an image as the image decoders produce it: float32 {@code [C, H,
   *     W]} in [0, 1]
   * @return one classification per item, in order
   * @throws MedvisionException if an item lacks a source the task needs, or the model's output does not have one
   *     value per label per item
   */
  public List<Classification> classifyImages(List<Map<String, Tensor>> images, ProgressListener progress) {
    return inBatches(images, chunk -> chunk, progress);
  }

  /** Runs {@code items} a batch at a time, {@code load} turning each batch into images, reporting after each. */
  private <T> List<Classification> inBatches(List<T> items, Function<List<T>, List<Map<String, Tensor>>> load,
      ProgressListener progress) {
    List<Classification> out = new ArrayList<>(items.size());
    progress.progress(0, items.size());
    for (int start = 0; start < items.size(); start += batchSize) {
      List<T> chunk = items.subList(start, Math.min(items.size(), start + batchSize));
      out.addAll(runBatch(load.apply(chunk)));
      progress.progress(start + chunk.size(), items.size());
    }
    return out;
  }

  /** Decodes a batch's files, each file once however many sources or items name it. */
  private List<Map<String, Tensor>> decode(List<Map<String, Path>> chunk) {
    Map<Path, Tensor> decoded = new HashMap<>();
    List<Map<String, Tensor>> out = new ArrayList<>(chunk.size());
    for (Map<String, Path> item : chunk) {
      Map<String, Tensor> images = new HashMap<>();
      for (String source : inputs.sources()) {
        Path file = item.get(source);
        if (file == null) {
          throw new MedvisionException("item " + item + " has no file for input source '" + source + "'");
        }
        images.put(source, decoded.computeIfAbsent(file, Images::read));
      }
      out.add(images);
    }
    return out;
  }

  private List<Classification> runBatch(List<Map<String, Tensor>> chunk) {
    int n = fixedBatch ? batchSize : chunk.size();
    List<Map<String, Tensor>> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      // A fixed batch is padded by repeating the last item; padded results are dropped in read.
      items.add(chunk.get(Math.min(i, chunk.size() - 1)));
    }
    Map<String, Tensor> results = model.run(inputs.feeds(items));
    Tensor logits = results.get(output.name());
    if (logits == null) {
      throw new MedvisionException("the model returned no output '" + output.name() + "'; it returned "
          + results.keySet());
    }
    return read(logits, chunk.size());
  }

  private List<Classification> read(Tensor logits, int count) {
    List<String> labels = output.labels();
    int k = labels.size();
    if (logits.shape().rank() != 2 || logits.shape().dim(1) != k || logits.shape().dim(0) < count) {
      throw new MedvisionException("output '" + output.name() + "' has shape " + logits.shape() + "; expected ["
          + count + ", " + k + "] for labels " + labels);
    }
    float[] values = logits.toFloatArray();
    List<Classification> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      double[] probs = output.kind() == OutputSpec.Kind.CLASS_LOGITS
          ? Probabilities.softmax(values, i * k, k)
          : Probabilities.sigmoid(values, i * k, k);
      Map<String, Float> byLabel = new LinkedHashMap<>();
      int best = 0;
      for (int j = 0; j < k; j++) {
        byLabel.put(labels.get(j), (float) probs[j]);
        if (probs[j] > probs[best]) {
          best = j;
        }
      }
      out.add(new Classification(byLabel, best, labels.get(best), (float) probs[best]));
    }
    return out;
  }

  /** Closes the compiled model; the engine stays open. Idempotent. */
  @Override
  public void close() {
    model.close();
  }
}
