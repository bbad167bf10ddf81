package org.medvision.io.classify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.InputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.image.ImagePreprocessor;

/**
 * Turns decoded images into the feed map of a task's graph. Each graph input is filled from its
 * {@link InputSpec#source()}; inputs that share a source and a preprocessing get the very same batched tensor, so an
 * image is preprocessed once however many encoders read it. Immutable and thread-safe.
 */
public final class TaskInputs {
  private final Task task;
  private final List<String> sources;
  private final Map<Feed, ImagePreprocessor> preprocessors = new LinkedHashMap<>();
  private final Map<String, Feed> feedOfInput = new LinkedHashMap<>();
  private final long fixedBatch;

  /**
   * Reads {@code task}'s input specs.
   *
   * @throws MedvisionException if a spec names an input the graph lacks
   */
  public TaskInputs(Task task) {
    this.task = task;
    Map<String, ValueInfo> graphInputs = new HashMap<>();
    for (ValueInfo vi : task.graph().inputs()) {
      graphInputs.put(vi.name(), vi);
    }
    Set<String> src = new LinkedHashSet<>();
    long fixed = -1;
    for (InputSpec in : task.inputs()) {
      ValueInfo vi = graphInputs.get(in.name());
      if (vi == null) {
        throw new MedvisionException("task " + task.name() + " declares input '" + in.name()
            + "' that its graph lacks; graph inputs: " + graphInputs.keySet());
      }
      if (vi.shape().rank() > 0 && vi.shape().dim(0) != Shape.DYNAMIC) {
        fixed = vi.shape().dim(0);
      }
      src.add(in.source());
      Feed feed = new Feed(in.source(), in.preprocessing());
      preprocessors.computeIfAbsent(feed, f -> new ImagePreprocessor(f.preprocessing()));
      feedOfInput.put(in.name(), feed);
    }
    if (src.isEmpty()) {
      throw new MedvisionException("task " + task.name() + " declares no image inputs");
    }
    this.sources = List.copyOf(src);
    this.fixedBatch = fixed;
  }

  /** Inputs with the same source and preprocessing share one tensor (StrokeNeXt's two encoders see one image). */
  private record Feed(String source, ImagePreprocessing preprocessing) {}

  /** The task whose inputs these are. */
  public Task task() {
    return task;
  }

  /** The distinct input sources, in declaration order (one, "image", for single-image tasks). */
  public List<String> sources() {
    return sources;
  }

  /** The batch size the graph fixes, or -1 when its batch dimension is dynamic. */
  public long fixedBatch() {
    return fixedBatch;
  }

  /**
   * The feed map for a batch.
   *
   * @param items per batch element, source name to a decoded image ([C, H, W] in [0, 1])
   * @return graph input name to a float32 [N, C, H, W] tensor, N = items.size()
   * @throws MedvisionException if an item lacks a source, naming the item's index
   */
  public Map<String, Tensor> feeds(List<Map<String, Tensor>> items) {
    Map<Feed, Tensor> batched = new HashMap<>();
    for (Map.Entry<Feed, ImagePreprocessor> e : preprocessors.entrySet()) {
      String source = e.getKey().source();
      List<Tensor> list = new ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        Tensor image = items.get(i).get(source);
        if (image == null) {
          throw new MedvisionException("batch item " + i + " has no image for input source '" + source + "'");
        }
        list.add(e.getValue().apply(image));
      }
      batched.put(e.getKey(), ImagePreprocessor.batch(list));
    }
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    for (Map.Entry<String, Feed> e : feedOfInput.entrySet()) {
      feeds.put(e.getKey(), batched.get(e.getValue()));
    }
    return feeds;
  }
}
