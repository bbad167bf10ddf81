package org.medvision.engine.tensorflow;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.NativeLogging;
import org.medvision.testkit.engine.ConcurrencyHarness;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * TensorFlow's native log lines stay off stderr unless verbose: a fresh JVM (the natives read their log level once,
 * when they load) creates the engine, compiles and runs a model, which makes TensorFlow 2.18 log "I0000 ...
 * mlir_graph_optimization_pass ..." through Abseil by default. The verbose run shows that line, so the quiet run's
 * check can fail.
 */
class NativeLoggingTest {
  private static String childOutput(boolean verbose) throws Exception {
    return NativeMemory.runChild(ConcurrencyHarness.class, List.of("-D" + NativeLogging.PROPERTY + "=" + verbose),
        Set.of("TF_CPP_MIN_LOG_LEVEL", "TF_CPP_MAX_VLOG_LEVEL"), TensorFlowEngineProvider.class.getName(), "1", "2");
  }

  @Test
  void firstUseWritesNoNativeLogLinesByDefault() throws Exception {
    String out = childOutput(false);
    assertTrue(out.contains("concurrency threads=1"), out);
    assertFalse(out.contains("I0000"), out);
    assertFalse(out.contains("mlir"), out);
    assertFalse(out.contains("absl::InitializeLog"), out);
  }

  @Test
  void verboseLetsThemThrough() throws Exception {
    String out = childOutput(true);
    assertTrue(out.contains("mlir_graph_optimization_pass"), out);
  }
}
