package org.medvision.engine.tensorflow;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.engine.EngineConformanceSuite;

/**
 * The shared engine conformance suite (every op, losses included, against the reference interpreter with the
 * suite's float32 tolerances) on TensorFlow's CPU build.
 */
class TensorFlowEngineConformanceTest extends EngineConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new TensorFlowEngineProvider().create();
  }
}
