package org.medvision.engine.onnx;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.engine.EngineConformanceSuite;

/** The shared engine conformance suite (every op against the reference interpreter) run on ONNX Runtime's CPU. */
class OnnxEngineConformanceTest extends EngineConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new OnnxEngineProvider().create();
  }
}
