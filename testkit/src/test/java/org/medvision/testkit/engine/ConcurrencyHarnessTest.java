package org.medvision.testkit.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Device;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * The harness passes a model that is safe to share and catches one that hands a caller another caller's result or
 * throws under load, so an engine's green concurrency test means something.
 */
class ConcurrencyHarnessTest {
  private static final Graph GRAPH = ConcurrencyHarness.model();
  private static final Weights WEIGHTS = EngineTestModels.randomWeights(GRAPH, 1);

  /** The reference interpreter behind the compiled-model interface: stateless, so safe to share. */
  private static class Shared implements CompiledModel {
    @Override
    public Graph graph() {
      return GRAPH;
    }

    @Override
    public Device device() {
      return Device.CPU;
    }

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
      return ReferenceInterpreter.run(GRAPH, WEIGHTS, inputs);
    }

    @Override
    public void close() {}
  }

  /** Keeps its result in a field, as a model with one output buffer would: overlapping callers read each other's. */
  private static final class OneOutputBuffer extends Shared {
    private volatile Map<String, Tensor> last;

    @Override
    public Map<String, Tensor> run(Map<String, Tensor> inputs) {
      last = super.run(inputs);
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return last;
    }
  }

  @Test
  void aModelSafeToShareGivesTheSingleThreadOutputs() throws Exception {
    ConcurrencyHarness.Report r = ConcurrencyHarness.run(new Shared(), ConcurrencyHarness.inputs(2), 4, 5, false);
    assertEquals(0, r.mismatches(), r.firstProblem());
    assertEquals(0, r.failures(), r.firstProblem());
    assertEquals("", r.firstProblem());
  }

  @Test
  void aSharedOutputBufferIsCaught() throws Exception {
    ConcurrencyHarness.Report r = ConcurrencyHarness.run(new OneOutputBuffer(), ConcurrencyHarness.inputs(2), 8, 5,
        false);
    assertTrue(r.mismatches() > 0, r.summary());
    assertTrue(r.firstProblem().contains("differs from the single-thread"), r.firstProblem());
  }

  @Test
  void callsThatThrowUnderLoadAreCounted() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    int single = ConcurrencyHarness.DISTINCT_INPUTS + 4 * 5;
    CompiledModel flaky = new Shared() {
      @Override
      public Map<String, Tensor> run(Map<String, Tensor> inputs) {
        // Every tenth call after the single-thread phase fails.
        if (calls.incrementAndGet() > single && calls.get() % 10 == 0) {
          throw new IllegalStateException("native session busy");
        }
        return super.run(inputs);
      }
    };
    ConcurrencyHarness.Report r = ConcurrencyHarness.run(flaky, ConcurrencyHarness.inputs(2), 4, 5, false);
    assertTrue(r.failures() > 0, r.summary());
    assertTrue(r.firstProblem().contains("native session busy"), r.firstProblem());
  }
}
