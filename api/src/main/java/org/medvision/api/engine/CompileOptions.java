package org.medvision.api.engine;

/**
 * How to compile a graph.
 *
 * @param device target device
 * @param threads intra-op threads; 0 lets the engine choose (normally one per core)
 * @param optimize whether graph-level optimisations (fusions, constant folding) are allowed; they change no output
 *     beyond float rounding
 */
public record CompileOptions(Device device, int threads, boolean optimize) {
  /** CPU, engine-chosen threads, optimised. */
  public static CompileOptions defaults() {
    return new CompileOptions(Device.CPU, 0, true);
  }

  /** These options on another device. */
  public CompileOptions withDevice(Device d) {
    return new CompileOptions(d, threads, optimize);
  }

  /** These options with another thread count. */
  public CompileOptions withThreads(int n) {
    return new CompileOptions(device, n, optimize);
  }
}
