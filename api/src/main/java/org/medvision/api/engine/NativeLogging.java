package org.medvision.api.engine;

/**
 * Whether engines let their native libraries print informational log lines to stderr. Off by default, so that
 * command output is not interleaved with lines such as TensorFlow's {@code I0000 ... mlir_graph_optimization_pass};
 * the command line turns it on with {@code --verbose}, an embedding application with {@link #setVerbose} or
 * {@code -Dmedvision.native.verbose=true}. Native libraries read their log level when they load, once per process,
 * so set it before the first engine is created.
 */
public final class NativeLogging {
  /** The system property holding the setting. */
  public static final String PROPERTY = "medvision.native.verbose";

  private NativeLogging() {}

  /** True when native libraries may log everything they would by default. */
  public static boolean verbose() {
    return Boolean.getBoolean(PROPERTY);
  }

  /** Sets {@link #PROPERTY}; affects engines whose natives load afterwards. */
  public static void setVerbose(boolean verbose) {
    System.setProperty(PROPERTY, Boolean.toString(verbose));
  }
}
