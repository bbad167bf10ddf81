package org.medvision.api.engine;

import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;

/**
 * A graph compiled for one engine and device, holding native resources until closed.
 *
 * <p>Use it in try-with-resources. {@link #run} may be called many times; whether calls may overlap from several
 * threads is engine-specific and documented by the engine. Calling {@code run} after {@code close} throws
 * {@link IllegalStateException}.
 */
public interface CompiledModel extends AutoCloseable {
  /** The graph this model was compiled from. */
  Graph graph();

  /** The device it runs on. */
  Device device();

  /**
   * Runs the graph.
   *
   * @param inputs one tensor per graph input, by name, with the declared dtype and a compatible shape
   * @return one tensor per graph output, by name, in declaration order
   * @throws EngineException naming the input whose name, dtype or shape is wrong, or the engine's failure
   */
  Map<String, Tensor> run(Map<String, Tensor> inputs);

  /** Releases native resources; idempotent. */
  @Override
  void close();
}
