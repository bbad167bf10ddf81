package org.medvision.testkit.engine;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.medvision.api.engine.Engine;

/**
 * The lifecycle the conformance suites share: one engine per test class, created before the first test and closed
 * after the last. An engine module's test supplies only {@link #createEngine()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class EngineSuite {
  private Engine engine;

  /** Creates the engine under test; called once per test class, and the suite closes it at the end. */
  protected abstract Engine createEngine();

  /** The engine under test, created before the first test. */
  protected final Engine engine() {
    return engine;
  }

  /** Creates the engine once for the class. */
  @BeforeAll
  protected final void startEngine() {
    engine = createEngine();
    if (engine == null) {
      fail(getClass().getSimpleName() + ".createEngine() returned null");
    }
  }

  /** Closes the engine after the last test. */
  @AfterAll
  protected final void closeEngine() {
    if (engine != null) {
      engine.close();
    }
  }
}
