package org.medvision.api.engine;

import org.medvision.api.registry.Named;

/**
 * The service an engine module registers in {@code META-INF/services/org.medvision.api.engine.EngineProvider}.
 *
 * <p>Discovery must have no side effects: a provider loads nothing native until {@link #create()} is called.
 */
public interface EngineProvider extends Named {
  /** Capabilities known without loading natives. */
  EngineCapabilities capabilities();

  /** Maven coordinates of the artifact that provides this engine, for messages. */
  String artifact();

  /**
   * Loads the engine.
   *
   * @throws EngineException if its native libraries cannot be loaded, saying which and why
   */
  Engine create();
}
