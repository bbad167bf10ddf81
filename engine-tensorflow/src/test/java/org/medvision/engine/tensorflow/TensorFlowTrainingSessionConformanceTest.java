package org.medvision.engine.tensorflow;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.training.TrainingSessionConformanceSuite;

/**
 * The shared session suite (BatchNorm statistics, masks, inference on training graphs, mixed precision on the CPU,
 * capabilities) on TensorFlow's CPU build.
 */
class TensorFlowTrainingSessionConformanceTest extends TrainingSessionConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new TensorFlowEngineProvider().create();
  }
}
