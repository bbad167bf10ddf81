package org.medvision.api.training;

import java.util.List;
import java.util.Map;
import org.medvision.api.tensor.Tensor;

/**
 * Parameter values a recipe computes once at the start of a run instead of learning them: e.g. the text embeddings
 * of a task's class names from a frozen BERT, so that the trained model holds them and prediction needs no text
 * encoder. The trainer runs it after the initial weights are chosen (fresh, from a checkpoint or a backbone), and not
 * on a resume, whose checkpoint already holds the values; it then overwrites the named parameters, whose shapes must
 * match. A recipe normally freezes these parameters ({@link ParamGroup}).
 */
public interface ParameterComputation {
  /** What is computed and from what, for the run's log, e.g. {@code text embeddings of 14 labels from BERT bert/}. */
  String description();

  /**
   * The values, by parameter name of the model graph.
   *
   * @param runner runs helper graphs on the run's engine and device
   * @param notes where to add lines for the run's log and record (e.g. a warning about the inputs it read)
   * @throws org.medvision.api.MedvisionException if the inputs it reads (files, options) are unusable
   */
  Map<String, Tensor> compute(GraphRunner runner, List<String> notes);
}
