package org.medvision.engine.onnx;

import java.util.EnumSet;
import java.util.Set;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Op;
import org.medvision.testkit.engine.EngineConformanceSuite;

/** The shared engine conformance suite (every op against the reference interpreter) run on ONNX Runtime's CPU. */
class OnnxEngineConformanceTest extends EngineConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new OnnxEngineProvider().create();
  }

  /** The losses: the engine is inference-only, and ONNX has no operator for most of them. */
  @Override
  protected Set<Op> unsupportedOps() {
    Set<Op> losses = EnumSet.allOf(Op.class);
    losses.removeIf(op -> !op.isLoss());
    return losses;
  }
}
