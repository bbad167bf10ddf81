package org.medvision.engine.djl;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.training.TrainingConformanceSuite;

/**
 * The shared training conformance suite (gradients against finite differences, BatchNorm statistics, AdamW and SGD
 * against the reference optimiser, masks, learning, mixed precision on the CPU) run on DJL's PyTorch CPU build.
 */
class DjlTrainingConformanceTest extends TrainingConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new DjlEngineProvider().create();
  }
}
