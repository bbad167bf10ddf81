package org.medvision.io.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.medvision.api.MedvisionException;
import org.medvision.io.ProgressListener;

/**
 * Draws and writes the cases of a synthetic set on a few daemon threads, reporting progress after each case (one
 * call at a time) and returning their results in case order, so the output does not depend on scheduling.
 */
public final class ParallelCases {
  private ParallelCases() {}

  /** One case's work. */
  @FunctionalInterface
  public interface Job<T> {
    /** Draws and writes case {@code index}; returns what the set records of it. */
    T run(int index) throws Exception;
  }

  /**
   * Runs {@code job} for cases 0 to {@code count - 1}.
   *
   * @param maxThreads at most this many threads (and no more than cores or cases)
   * @param threadName thread name prefix, e.g. {@code chest-ct-synth}
   * @param what the set, for messages, e.g. {@code chest CT set}
   * @throws MedvisionException when interrupted, or wrapping a case's checked exception; a case's unchecked
   *     exception or error is rethrown as it is
   */
  public static <T> List<T> run(int count, int maxThreads, String threadName, String what, ProgressListener progress,
      Job<T> job) {
    int threads = Math.max(1, Math.min(maxThreads, Math.min(count, Runtime.getRuntime().availableProcessors())));
    AtomicInteger number = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, threadName + "-" + number.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    AtomicInteger done = new AtomicInteger();
    Object progressLock = new Object();
    try {
      List<Future<T>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          T result = job.run(index);
          synchronized (progressLock) {
            progress.progress(done.incrementAndGet(), count);
          }
          return result;
        }));
      }
      List<T> results = new ArrayList<>(count);
      for (Future<T> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MedvisionException("interrupted while writing the " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new MedvisionException("cannot write the " + what + ": " + cause, cause);
    } finally {
      pool.shutdownNow();
    }
  }
}
