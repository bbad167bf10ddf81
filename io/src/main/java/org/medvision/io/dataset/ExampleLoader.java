package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;

/**
 * Decodes an {@link ExampleSet}'s rows batch by batch in a given order with an {@link ExampleReader}.
 *
 * <p>Only the batch being returned (and, with prefetch, the next one) is in memory, so a data set of volumes far
 * larger than memory streams through. With prefetch, the next batch is decoded on one background daemon thread while
 * the caller works on the current one; rows are still decoded in order and the reader receives each draw's index, so
 * results do not depend on the threading. Close the loader (try-with-resources) to stop the thread; iterators then
 * fail.
 *
 * <p>The draw index that seeds augmentation is the row's index for its first draw in the pass, and row + k × size for
 * its (k+1)-th: a sampler that draws a row several times in one epoch (DSA-Net's size-balanced sampler oversamples
 * rare cells) gets a different augmentation each time, while a pass that draws every row once augments exactly as a
 * plain shuffle does.
 */
public final class ExampleLoader implements AutoCloseable {
  private final ExampleSet set;
  private final ExampleReader reader;
  private final int batchSize;
  private final int epoch;
  private final ExecutorService prefetcher;
  private volatile boolean closed;

  /**
   * A loader of {@code set} through {@code reader}.
   *
   * @param batchSize examples per batch, at least 1
   * @param epoch the epoch passed to the reader (augmentation seeds); 0 outside training
   * @param prefetch whether the next batch is decoded on a background thread
   */
  public ExampleLoader(ExampleSet set, ExampleReader reader, int batchSize, int epoch, boolean prefetch) {
    if (batchSize < 1) {
      throw new MedvisionException("batch size must be at least 1, got " + batchSize);
    }
    this.set = set;
    this.reader = reader;
    this.batchSize = batchSize;
    this.epoch = epoch;
    this.prefetcher = prefetch ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "medvision-batch-prefetch");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** Number of batches a pass over {@code n} rows gives (the last may be smaller). */
  public int batchCount(int n) {
    return (n + batchSize - 1) / batchSize;
  }

  /**
   * The batches of one pass over {@code order}, decoded lazily as the iterator advances.
   *
   * @param order row indices into the set (repeats allowed); copied
   * @throws MedvisionException if an index is out of range; the iterator throws, naming the row, if a row cannot be
   *     decoded
   */
  public Iterator<List<Example>> batches(int[] order) {
    return batches(order, 0);
  }

  /**
   * The batches of one pass over {@code order} from batch {@code firstBatch} on (a resumed epoch): the earlier
   * batches are skipped without decoding, but still count for the draw indices of repeated rows.
   *
   * @throws MedvisionException if an index or {@code firstBatch} is out of range
   */
  public Iterator<List<Example>> batches(int[] order, int firstBatch) {
    int[] copy = order.clone();
    int[] draws = new int[copy.length];
    int[] seen = new int[set.size()];
    for (int p = 0; p < copy.length; p++) {
      int i = copy[p];
      if (i < 0 || i >= set.size()) {
        throw new MedvisionException("batch order holds index " + i + " but the data set has " + set.size()
            + " examples");
      }
      draws[p] = i + seen[i]++ * set.size();
    }
    int count = batchCount(copy.length);
    if (firstBatch < 0 || firstBatch > count) {
      throw new MedvisionException("first batch " + firstBatch + " is outside the pass's " + count + " batches");
    }
    return new Iterator<>() {
      private int next = firstBatch;
      private Future<List<Example>> pending = prefetcher == null || next >= count ? null
          : submit(copy, draws, next);

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public List<Example> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (closed) {
          throw new MedvisionException("example loader is closed");
        }
        int k = next++;
        if (prefetcher == null) {
          return load(copy, draws, k);
        }
        List<Example> b = await(pending);
        pending = next < count ? submit(copy, draws, next) : null;
        return b;
      }
    };
  }

  private Future<List<Example>> submit(int[] order, int[] draws, int k) {
    return prefetcher.submit(() -> load(order, draws, k));
  }

  private static List<Example> await(Future<List<Example>> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MedvisionException("interrupted while waiting for the next batch", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new MedvisionException("loading a batch failed: " + c, c);
    }
  }

  private List<Example> load(int[] order, int[] draws, int k) {
    int from = k * batchSize;
    int n = Math.min(batchSize, order.length - from);
    List<Example> batch = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      batch.add(reader.read(set.get(order[from + j]), epoch, draws[from + j]));
    }
    return batch;
  }

  /** Stops the prefetch thread; later {@code next()} calls fail. */
  @Override
  public void close() {
    closed = true;
    if (prefetcher != null) {
      prefetcher.shutdownNow();
    }
  }
}
