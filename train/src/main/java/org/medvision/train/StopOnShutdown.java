package org.medvision.train;

/**
 * A JVM shutdown hook that turns Ctrl-C (SIGINT, SIGTERM) into a clean stop: it asks the {@link Trainer} to stop
 * after its current optimiser update and holds the JVM open until the trainer has written its resumable checkpoint
 * and returned, or until the grace period ends. Close it when training ends normally, which removes the hook.
 */
public final class StopOnShutdown implements AutoCloseable {
  /** How long the hook waits for the checkpoint by default. */
  public static final long DEFAULT_GRACE_MILLIS = 120_000;

  private final Thread hook;

  private StopOnShutdown(Thread hook) {
    this.hook = hook;
  }

  /**
   * Installs the hook for {@code trainer}.
   *
   * @param graceMillis the longest the JVM is held open after the signal
   */
  public static StopOnShutdown install(Trainer trainer, long graceMillis) {
    Thread hook = new Thread(() -> {
      trainer.requestStop();
      trainer.awaitIdle(graceMillis);
    }, "medvision-train-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    return new StopOnShutdown(hook);
  }

  /** Removes the hook; does nothing once the JVM is already shutting down. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; it must be left to finish.
    }
  }
}
