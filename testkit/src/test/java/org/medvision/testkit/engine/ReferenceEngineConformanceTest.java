package org.medvision.testkit.engine;

import java.util.EnumSet;
import java.util.function.UnaryOperator;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Op;

/** The suite run against the reference interpreter itself: a correct engine must pass every test. */
class ReferenceEngineConformanceTest extends EngineConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new ReferenceEngine(EnumSet.allOf(Op.class), UnaryOperator.identity());
  }
}
