package org.medvision.engine.djl;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.engine.EngineConformanceSuite;

/** The shared engine conformance suite (every op against the reference interpreter) run on DJL's PyTorch CPU build. */
class DjlEngineConformanceTest extends EngineConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new DjlEngineProvider().create();
  }
}
