package org.medvision.engine.tensorflow;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.training.TrainingConformanceSuite;

/**
 * The shared training conformance suite (gradients against finite differences, BatchNorm statistics, AdamW and SGD
 * against the reference optimiser, optimiser state, accumulation, masks, learning) on TensorFlow's CPU build.
 */
class TensorFlowTrainingConformanceTest extends TrainingConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new TensorFlowEngineProvider().create();
  }
}
