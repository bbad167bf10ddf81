package org.medvision.engine.djl;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.training.OptimizerConformanceSuite;

/**
 * The shared optimiser suite (AdamW and SGD against the reference optimiser, state round trips, accumulation, parameter
 * groups, learning) on DJL's PyTorch CPU build.
 */
class DjlOptimizerConformanceTest extends OptimizerConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new DjlEngineProvider().create();
  }
}
