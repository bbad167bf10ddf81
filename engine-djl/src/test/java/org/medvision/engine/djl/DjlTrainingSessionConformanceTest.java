package org.medvision.engine.djl;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.training.TrainingSessionConformanceSuite;

/**
 * The shared session suite (BatchNorm statistics, masks, inference on training graphs, mixed precision on the CPU,
 * capabilities) on DJL's PyTorch CPU build.
 */
class DjlTrainingSessionConformanceTest extends TrainingSessionConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new DjlEngineProvider().create();
  }
}
