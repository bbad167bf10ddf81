package org.medvision.io.classify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Classifies image files with a task model: compiles the task's graph once, then decodes, preprocesses and batches
 * images, runs them and turns the task's first output into per-label probabilities.
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
    List<Prediction> out = new ArrayList<>(items.size());
    progress.progress(0, items.size());
    for (int start = 0; start < items.size(); start += batchSize) {
      List<Map<String, Path>> chunk = items.subList(start, Math.min(items.size(), start + batchSize));
      out.addAll(runBatch(chunk));
      progress.progress(start + chunk.size(), items.size());
    }
    return out;
  }

  private List<Prediction> runBatch(List<Map<String, Path>> chunk) {
    int n = fixedBatch ? batchSize : chunk.size();
    Map<Path, Tensor> decoded = new HashMap<>();
    List<Map<String, Tensor>> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Map<String, Path> item = chunk.get(Math.min(i, chunk.size() - 1));
      Map<String, Tensor> images = new HashMap<>();
      for (String source : inputs.sources()) {
        Path file = item.get(source);
        if (file == null) {
          throw new MedvisionException("item " + item + " has no file for input source '" + source + "'");
        }
        images.put(source, decoded.computeIfAbsent(file, Images::read));
      }
      items.add(images);
    }
    Map<String, Tensor> results = model.run(inputs.feeds(items));
    Tensor logits = results.get(output.name());
    if (logits == null) {
      throw new MedvisionException("the model returned no output '" + output.name() + "'; it returned "
          + results.keySet());
    }
    return read(logits, chunk);
  }

  private List<Prediction> read(Tensor logits, List<Map<String, Path>> chunk) {
    List<String> labels = output.labels();
    int k = labels.size();
    if (logits.shape().rank() != 2 || logits.shape().dim(1) != k || logits.shape().dim(0) < chunk.size()) {
      throw new MedvisionException("output '" + output.name() + "' has shape " + logits.shape() + "; expected ["
          + chunk.size() + ", " + k + "] for labels " + labels);
    }
    float[] values = logits.toFloatArray();
    List<Prediction> out = new ArrayList<>(chunk.size());
    for (int i = 0; i < chunk.size(); i++) {
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
      Path path = chunk.get(i).get(inputs.sources().get(0));
      out.add(new Prediction(path, output.name(), byLabel, labels.get(best), (float) probs[best]));
    }
    return out;
  }

  /** Closes the compiled model; the engine stays open. Idempotent. */
  @Override
  public void close() {
    model.close();
  }
}
