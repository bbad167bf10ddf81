package org.medvision.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.runtime.ModelRequest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.batch.ModelSharing;

/**
 * The compiled models of this JVM, one {@link Loaded} per {@link ModelHandle.Key}: the first task of a job on an
 * executor reads the model and compiles it, every later task and partition of that executor, on any of its task
 * threads, reuses it. Loading per partition or per row is what makes DL inference on Spark slow (DJL's Spark users
 * report 13 s per partition for a large model), so it happens once here. Each partition borrows a compiled
 * {@link Predictor} from the model's {@link CopyPool} and runs it through its own
 * {@link org.medvision.runtime.batch.BatchPredictor}.
 *
 * <p>Models stay loaded for the life of the JVM (an executor runs one application), released by a shutdown hook.
 */
final class ExecutorModels {
  private static final Map<ModelHandle.Key, Loaded> MODELS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "medvision-executor-models"));
  }

  private ExecutorModels() {}

  /**
   * A model read on this JVM with the engine that runs it, and its compiled copies: one lent to every partition at
   * once, or one per running partition where the engine runs one call at a time on a compiled model
   * ({@link ModelSharing#PER_WORKER}, the local runner's choice for DJL).
   */
  static final class Loaded implements AutoCloseable {
    private final Engine engine;
    private final CopyPool<Predictor> copies;

    /**
     * Takes over {@code engine}; compiles the shared copy now, so that a model that does not compile fails here.
     *
     * @throws org.medvision.api.engine.EngineException if the shared copy cannot be compiled; the engine is then still
     *     the caller's to close
     */
    Loaded(Engine engine, ModelSource model, CompileOptions compile, int batchSize, ModelSharing sharing) {
      this.engine = engine;
      Supplier<Predictor> one = () -> new Predictor(engine, model, compile, batchSize);
      this.copies = sharing == ModelSharing.SHARED ? CopyPool.shared(one.get()) : CopyPool.exclusive(one);
    }

    /** A compiled copy for one partition, until it closes the lease. */
    CopyPool<Predictor>.Lease borrow() {
      return copies.borrow();
    }

    /** How many compiled copies exist. */
    int copies() {
      return copies.copies();
    }

    /** How many partitions hold a copy now. */
    int lent() {
      return copies.lent();
    }

    @Override
    public void close() {
      try {
        copies.close();
      } finally {
        engine.close();
      }
    }
  }

  /**
   * The compiled model {@code handle} names, loading it on this JVM's first request (other threads asking meanwhile
   * wait for that load rather than start their own).
   *
   * @throws EngineNatives.MissingNativesException if the engine or its natives are missing on this machine
   * @throws MedvisionException if the model cannot be found or read, or is not the one the driver loaded
   */
  static Loaded get(ModelHandle handle, Configuration conf) {
    return MODELS.computeIfAbsent(handle.key(), k -> load(handle, conf));
  }

  /** How many models this JVM has loaded so far (for tests and logs). */
  static int loads() {
    return LOADS.get();
  }

  private static Loaded load(ModelHandle handle, Configuration conf) {
    String where = where();
    Medvision mv = Medvision.builder().classLoader(ExecutorModels.class.getClassLoader()).build();
    Path scratch;
    try {
      scratch = Files.createTempDirectory("medvision-model-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary folder for the model on " + where, e);
    }
    ModelSource model;
    try {
      model = ModelSource.load(mv, ModelFiles.local(handle.location(), conf, scratch, where), ModelRequest.none());
    } finally {
      // The weights are in memory now; copies from a remote file system are not needed again.
      TempFiles.deleteTree(scratch);
    }
    String identity = ModelHandle.identityOf(model);
    if (!identity.equals(handle.identity())) {
      throw new MedvisionException("model " + handle.location() + " on " + where + " is not the one the driver "
          + "loaded (" + model.describe() + ", weights " + org.medvision.runtime.Provenance.weightsSha256(model)
          + "): the file changed while the job ran, or another file of that name was shipped; give every machine "
          + "the same model file");
    }
    Engine engine = EngineNatives.open(mv, handle.engine(), where);
    try {
      Loaded loaded = new Loaded(engine, model, CompileOptions.defaults().withDevice(Device.parse(handle.device())),
          handle.batchSize(), handle.sharing());
      LOADS.incrementAndGet();
      return loaded;
    } catch (RuntimeException | Error e) {
      engine.close();
      throw e;
    }
  }

  /** This JVM for messages: {@code executor 3 on host-a}, or {@code the driver on host-a} in local mode. */
  static String where() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "an unknown host";
    }
    SparkEnv env = SparkEnv.get();
    String id = env == null ? null : env.executorId();
    return (id == null ? "this JVM" : "driver".equals(id) ? "the driver" : "executor " + id) + " on " + host;
  }

  /**
   * Closes and forgets every model, each compiled copy included (at JVM exit; tests call it to start afresh); no
   * partition may be running.
   */
  static synchronized void closeAll() {
    for (ModelHandle.Key k : MODELS.keySet()) {
      Loaded l = MODELS.remove(k);
      if (l != null) {
        l.close();
      }
    }
  }
}
