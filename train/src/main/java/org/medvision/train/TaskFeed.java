package org.medvision.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.InputSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;

/**
 * How a batch becomes the feed of a task's graph during training: every graph input reads the one image source, so
 * the same preprocessed batch tensor goes to all of them (StrokeNeXt's two encoders see one image, as in the
 * authors' code), and the class-logits output is the one the loss reads.
 */
final class TaskFeed {
  private final List<String> inputNames;
  private final ImagePreprocessing preprocessing;
  private final OutputSpec logits;

  private TaskFeed(List<String> inputNames, ImagePreprocessing preprocessing, OutputSpec logits) {
    this.inputNames = inputNames;
    this.preprocessing = preprocessing;
    this.logits = logits;
  }

  /**
   * Reads {@code task}'s inputs and outputs.
   *
   * @throws MedvisionException if the task has no class-logits output, or inputs from more than one source or with
   *     different preprocessing
   */
  static TaskFeed of(Task task) {
    OutputSpec logits = task.outputs().stream().filter(o -> o.kind() == OutputSpec.Kind.CLASS_LOGITS).findFirst()
        .orElseThrow(() -> new MedvisionException("task " + task.name() + " has no class-logits output to train "
            + "with cross-entropy; its outputs: " + task.outputs()));
    List<String> names = new ArrayList<>();
    ImagePreprocessing prep = null;
    String source = null;
    for (InputSpec in : task.inputs()) {
      if (source == null) {
        source = in.source();
        prep = in.preprocessing();
      } else if (!source.equals(in.source()) || !prep.equals(in.preprocessing())) {
        throw new MedvisionException("task " + task.name() + " reads more than one image per example (input '"
            + in.name() + "' reads source '" + in.source() + "' with " + in.preprocessing() + ", input '"
            + names.get(0) + "' reads '" + source + "' with " + prep + "); the trainer feeds one image per example");
      }
      names.add(in.name());
    }
    if (names.isEmpty()) {
      throw new MedvisionException("task " + task.name() + " declares no image inputs");
    }
    return new TaskFeed(List.copyOf(names), prep, logits);
  }

  /** The preprocessing of the image source. */
  ImagePreprocessing preprocessing() {
    return preprocessing;
  }

  /** The class-logits output. */
  OutputSpec logits() {
    return logits;
  }

  /** The graph inputs fed from {@code images} [N, C, H, W], plus the labels when not null. */
  Map<String, Tensor> feeds(Tensor images, Tensor labels) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (String n : inputNames) {
      m.put(n, images);
    }
    if (labels != null) {
      m.put(TrainingGraph.LABELS, labels);
    }
    return m;
  }
}
