package org.medvision.api.metrics;

import java.util.List;
import java.util.Map;
import org.medvision.api.data.Example;
import org.medvision.api.pipeline.ExampleResult;

/**
 * Scores a task's predictions against the truth in its examples: a task lists the suites that fit it, the trainer
 * and evaluator feed them every validation or test example, and reports show what they return. A suite holds state;
 * make a fresh one per evaluation.
 */
public interface MetricSuite {
  /** The suite's name, e.g. {@code classification}, used in reports and metric keys. */
  String name();

  /**
   * Adds one scored example.
   *
   * @param truth the example with its targets (labels, masks)
   * @param predicted what the pipeline predicted for it
   */
  void add(Example truth, ExampleResult predicted);

  /** The metric keys usable to select a checkpoint ({@code --select-metric}), with their better direction. */
  Map<String, Direction> selectable();

  /** The key selected by default. */
  String defaultSelection();

  /** The keys worth logging after every training epoch (a few headline numbers); all selectable ones by default. */
  default List<String> epochKeys() {
    return List.copyOf(selectable().keySet());
  }

  /**
   * The metrics of everything added so far.
   *
   * @param bootstrapSeed the seed of the confidence intervals' resampling
   * @param bootstrapRounds resamples for confidence intervals; 0 for none (e.g. per-epoch validation)
   */
  MetricResult result(long bootstrapSeed, int bootstrapRounds);

  /** Whether a larger or smaller value is better. */
  enum Direction {
    /** Larger is better (accuracy, AUC, Dice). */
    HIGHER,
    /** Smaller is better (loss, error). */
    LOWER;

    /** Whether {@code candidate} beats {@code best} (NaN never beats, anything beats NaN). */
    public boolean improves(double candidate, double best) {
      if (Double.isNaN(candidate)) {
        return false;
      }
      return Double.isNaN(best) || (this == HIGHER ? candidate > best : candidate < best);
    }
  }
}
