package org.medvision.engine.tensorflow;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.training.OptimizerConformanceSuite;

/**
 * The shared optimiser suite (AdamW and SGD against the reference optimiser, state round trips, accumulation, parameter
 * groups, learning) on TensorFlow's CPU build.
 */
class TensorFlowOptimizerConformanceTest extends OptimizerConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new TensorFlowEngineProvider().create();
  }
}
