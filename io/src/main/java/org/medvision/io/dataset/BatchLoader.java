package org.medvision.io.dataset;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.image.Images;

/**
 * Decodes a {@link Dataset}'s images batch by batch in a given order: each image is read with the decoder
 * ({@link Images#read} unless set), passed through the caller's {@link ImageTransform} (augmentation, then
 * preprocessing to a fixed size) and stacked into float32 {@code [B, C, H, W]} with int64 labels {@code [B]}.
 *
 * <p>Only the batch being returned (and, with prefetch, the next one) is in memory. With prefetch, the next batch is
 * decoded on one background daemon thread while the caller works on the current one; images are still decoded in
 * order and the transform receives each item's dataset index, so results do not depend on the threading. Close the
 * loader (try-with-resources) to stop the thread; iterators then fail.
 */
public final class BatchLoader implements AutoCloseable {
  /** Per-image work between decoding and batching. */
  @FunctionalInterface
  public interface ImageTransform {
    /** Leaves the image as decoded. */
    ImageTransform IDENTITY = (image, index) -> image;

    /**
     * Transforms one image.
     *
     * @param image float32 [C, H, W] as decoded
     * @param index the item's index in the dataset, e.g. to seed its augmentation reproducibly
     * @return float32 [C', H', W'], the same shape for every image of a batch
     */
    Tensor apply(Tensor image, int index);
  }

  /**
   * One batch.
   *
   * @param images float32 [B, C, H, W]
   * @param labels int64 [B], class indices
   * @param indices the dataset indices of the B images, in batch order
   */
  public record Batch(Tensor images, Tensor labels, int[] indices) {}

  private final Dataset dataset;
  private final int batchSize;
  private final boolean dropLast;
  private final Function<Path, Tensor> decoder;
  private final ImageTransform transform;
  private final ExecutorService prefetcher;
  private volatile boolean closed;

  private BatchLoader(Builder b) {
    this.dataset = b.dataset;
    this.batchSize = b.batchSize;
    this.dropLast = b.dropLast;
    this.decoder = b.decoder;
    this.transform = b.transform;
    this.prefetcher = b.prefetch ? Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "medvision-batch-prefetch");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /** A builder over {@code dataset}: batch size 32, {@link Images#read}, no transform, no prefetch, last kept. */
  public static Builder builder(Dataset dataset) {
    return new Builder(dataset);
  }

  /** Options of a {@link BatchLoader}. */
  public static final class Builder {
    private final Dataset dataset;
    private int batchSize = 32;
    private boolean dropLast;
    private boolean prefetch;
    private Function<Path, Tensor> decoder = Images::read;
    private ImageTransform transform = ImageTransform.IDENTITY;

    private Builder(Dataset dataset) {
      this.dataset = dataset;
    }

    /** Images per batch, at least 1. */
    public Builder batchSize(int n) {
      if (n < 1) {
        throw new MedvisionException("batch size must be at least 1, got " + n);
      }
      this.batchSize = n;
      return this;
    }

    /** Whether a last, smaller batch is left out (default: kept). */
    public Builder dropLast(boolean drop) {
      this.dropLast = drop;
      return this;
    }

    /** Whether the next batch is decoded on a background thread (default: no). */
    public Builder prefetch(boolean on) {
      this.prefetch = on;
      return this;
    }

    /** How a file becomes a float32 [C, H, W] tensor (default {@link Images#read}). */
    public Builder decoder(Function<Path, Tensor> d) {
      this.decoder = d;
      return this;
    }

    /** The per-image transform (default: none). */
    public Builder transform(ImageTransform t) {
      this.transform = t;
      return this;
    }

    /** The loader; close it when done. */
    public BatchLoader build() {
      return new BatchLoader(this);
    }
  }

  /** Number of batches an epoch over {@code n} images gives. */
  public int batchCount(int n) {
    return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
  }

  /**
   * The batches of one pass over {@code order}, decoded lazily as the iterator advances.
   *
   * @param order dataset indices, e.g. {@link Dataset#shuffledOrder}; copied
   * @throws MedvisionException if an index is out of range; the iterator throws, naming the row, if an image cannot
   *     be decoded or its transformed shape differs from the batch's first
   */
  public Iterator<Batch> batches(int[] order) {
    int[] copy = order.clone();
    for (int i : copy) {
      if (i < 0 || i >= dataset.size()) {
        throw new MedvisionException("batch order holds index " + i + " but the dataset has " + dataset.size()
            + " images");
      }
    }
    int count = batchCount(copy.length);
    return new Iterator<>() {
      private int next;
      private Future<Batch> pending = prefetcher == null || count == 0 ? null : submit(copy, 0);

      @Override
      public boolean hasNext() {
        return next < count;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (closed) {
          throw new MedvisionException("batch loader is closed");
        }
        int k = next++;
        if (prefetcher == null) {
          return load(copy, k);
        }
        Batch b = await(pending);
        pending = next < count ? submit(copy, next) : null;
        return b;
      }
    };
  }

  private Future<Batch> submit(int[] order, int k) {
    return prefetcher.submit(() -> load(order, k));
  }

  private static Batch await(Future<Batch> f) {
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
      throw new MedvisionException("loading a batch failed: " + c, c);
    }
  }

  private Batch load(int[] order, int k) {
    int from = k * batchSize;
    int n = Math.min(batchSize, order.length - from);
    int[] indices = new int[n];
    long[] labels = new long[n];
    float[] data = null;
    Shape first = null;
    int per = 0;
    for (int j = 0; j < n; j++) {
      int index = order[from + j];
      Dataset.Item item = dataset.get(index);
      Tensor image;
      try {
        image = transform.apply(decoder.apply(item.path()), index);
      } catch (MedvisionException e) {
        throw new DatasetException(item.where() + ": " + e.getMessage(), e);
      }
      if (first == null) {
        first = image.shape();
        if (first.rank() != 3) {
          throw new DatasetException(item.where() + ": image " + item.path() + " became shape " + first
              + " but a batch needs [C, H, W] images");
        }
        per = Math.toIntExact(first.size());
        data = new float[Math.multiplyExact(n, per)];
      } else if (!image.shape().equals(first)) {
        throw new DatasetException(item.where() + ": image " + item.path() + " has shape " + image.shape()
            + " but the batch's first image has " + first + "; resize images to one size in the transform");
      }
      System.arraycopy(image.toFloatArray(), 0, data, j * per, per);
      indices[j] = index;
      labels[j] = item.label();
    }
    Shape shape = Shape.of(n, first.dim(0), first.dim(1), first.dim(2));
    return new Batch(Tensor.of(shape, data), Tensor.ofLongs(Shape.of(n), labels), indices);
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
