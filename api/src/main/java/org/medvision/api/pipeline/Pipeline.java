package org.medvision.api.pipeline;

import java.util.List;
import org.medvision.api.data.Example;

/**
 * How a task turns preprocessed examples into typed predictions: graph stages plus whatever Java runs between them
 * (anchors, non-maximum suppression, tokenisation). Pure: the same examples and stage outputs give the same results.
 */
@FunctionalInterface
public interface Pipeline {
  /**
   * Predicts a batch.
   *
   * @param batch examples with every input field decoded and preprocessed
   * @param stages runs the task's graph stages
   * @return one result per example, in order
   */
  List<ExampleResult> predict(List<Example> batch, StageRunner stages);
}
