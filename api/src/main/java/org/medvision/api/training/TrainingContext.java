package org.medvision.api.training;

import java.util.Map;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.task.TaskConfig;

/**
 * What a {@link TrainingRecipe} may look at: the configuration and the training examples (their classes and
 * attributes, nothing decoded).
 *
 * @param config the task configuration, training options included
 * @param train the training split
 * @param seed the run seed
 * @param settings trainer settings a recipe may honour, by name (e.g. {@code label_smoothing} given on the command
 *     line as a flag); recipes read their own options from {@code config}
 */
public record TrainingContext(TaskConfig config, ExampleTable train, long seed, Map<String, String> settings) {
  /** Copies the settings. */
  public TrainingContext {
    settings = Map.copyOf(settings);
  }

  /** The number of training examples of each class of the stratification label, in class order. */
  public int[] classCounts() {
    int[] counts = new int[train.classes().size()];
    for (int i = 0; i < train.size(); i++) {
      int c = train.label(i);
      if (c >= 0) {
        counts[c]++;
      }
    }
    return counts;
  }
}
