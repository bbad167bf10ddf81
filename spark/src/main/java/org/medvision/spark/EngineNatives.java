package org.medvision.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineException;
import org.medvision.api.registry.UnknownNameException;

/**
 * Opens an engine on an executor, turning a missing engine module or native library into an error that names the
 * Maven artifacts to add to the executor's class path: on a cluster the usual cause is a jar left out of
 * {@code spark-submit}, and the engine's own error (a {@link NoClassDefFoundError} deep in a stack trace) does not say
 * which.
 */
final class EngineNatives {
  private static final Properties ARTIFACTS = load();

  private EngineNatives() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = EngineNatives.class.getResourceAsStream("engine-natives.properties")) {
      if (in == null) {
        throw new IllegalStateException("engine-natives.properties is missing from the medvision-spark jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /**
   * Creates engine {@code name}; the caller owns it.
   *
   * @param where names the machine, e.g. {@code executor 3 on host-a}, for the message
   * @throws MissingNativesException if the engine module or its native library cannot be found or loaded
   */
  static Engine open(Medvision mv, String name, String where) {
    try {
      return mv.engine(name);
    } catch (UnknownNameException e) {
      throw new MissingNativesException(engineName(name) + " engine not found on " + where + ": add "
          + artifacts(name) + " to the executor class path (" + e.getMessage() + ")", e);
    } catch (EngineException | LinkageError e) {
      if (!isMissingNative(e)) {
        throw e;
      }
      throw new MissingNativesException(engineName(name) + " native library not found on " + where + ": add "
          + artifacts(name) + " to the executor class path, e.g. in the medvision-spark jar given to spark-submit or "
          + "with --jars (" + rootMessage(e) + ")", e);
    }
  }

  /** The engine's name for people, e.g. {@code ONNX Runtime}. */
  static String engineName(String engine) {
    return ARTIFACTS.getProperty(engine + ".name", engine);
  }

  /** The Maven artifacts engine {@code engine} needs, with versions. */
  static String artifacts(String engine) {
    return ARTIFACTS.getProperty(engine + ".artifacts", "the engine module of '" + engine + "' and its natives");
  }

  /** Whether {@code e} or a cause is a class or native library that could not be found or linked. */
  private static boolean isMissingNative(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof LinkageError) {
        return true;
      }
      if (t instanceof EngineException && t.getMessage() != null && t.getMessage().contains("native librar")) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }

  /** An engine module or native library missing from an executor. */
  static final class MissingNativesException extends MedvisionException {
    private static final long serialVersionUID = 1L;

    MissingNativesException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
