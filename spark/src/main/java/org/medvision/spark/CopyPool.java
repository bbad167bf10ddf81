package org.medvision.spark;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.medvision.api.Closeables;

/**
 * The compiled copies of one model on an executor, lent to the partitions that run it. Where the engine runs
 * concurrent calls on one compiled model, every partition borrows the same copy; where it does not (DJL), a running
 * partition borrows a copy no other running partition holds, made when none is free and lent again once returned, so
 * there are never more copies than partitions that ran at the same time.
 *
 * <p>Copies belong to the pool rather than to task threads because Spark's executors end a task thread after 60 s
 * without work and start new ones later: copies kept per thread would pile up with every idle gap, each holding the
 * model's native memory.
 *
 * @param <T> a compiled copy
 */
final class CopyPool<T extends AutoCloseable> implements AutoCloseable {
  private final Supplier<T> make;
  private final boolean shared;
  /** Copies not lent, the one returned last on top (its memory is the likeliest to be warm). */
  private final Deque<T> free = new ArrayDeque<>();
  private final List<T> copies = new ArrayList<>();
  private int lent;
  private boolean closed;

  private CopyPool(Supplier<T> make, boolean shared) {
    this.make = make;
    this.shared = shared;
  }

  /** A pool lending {@code copy} to every borrower at once. */
  static <T extends AutoCloseable> CopyPool<T> shared(T copy) {
    CopyPool<T> pool = new CopyPool<>(null, true);
    pool.copies.add(Objects.requireNonNull(copy, "copy"));
    return pool;
  }

  /** A pool lending each copy to one borrower at a time, making one with {@code make} when none is free. */
  static <T extends AutoCloseable> CopyPool<T> exclusive(Supplier<T> make) {
    return new CopyPool<>(Objects.requireNonNull(make, "make"), false);
  }

  /**
   * A copy for the caller until it closes the lease.
   *
   * @throws IllegalStateException if the pool is closed
   * @throws RuntimeException whatever making a copy throws (nothing is lent then)
   */
  Lease borrow() {
    T copy;
    synchronized (this) {
      requireOpen();
      copy = shared ? copies.get(0) : free.poll();
      lent++;
    }
    if (copy == null) {
      copy = makeCopy();
    }
    return new Lease(copy);
  }

  /** How many copies exist: made and not closed. */
  synchronized int copies() {
    return copies.size();
  }

  /** How many leases are open. */
  synchronized int lent() {
    return lent;
  }

  /**
   * Closes every copy, lent ones included, each even when an earlier one fails to close; idempotent. Call it when no
   * partition runs (at JVM exit, between tests): a copy closed under a running partition frees native memory it uses.
   */
  @Override
  public void close() {
    List<T> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(copies);
      copies.clear();
      free.clear();
    }
    Closeables.closeAll(all);
  }

  /** Makes a copy outside the lock (compiling takes seconds; returns and other borrowers need not wait for it). */
  private T makeCopy() {
    T copy;
    try {
      copy = make.get();
    } catch (RuntimeException | Error e) {
      giveBack(null);
      throw e;
    }
    boolean late;
    synchronized (this) {
      late = closed;
      if (late) {
        lent--;
      } else {
        copies.add(copy);
      }
    }
    if (late) {
      Closeables.closeAll(List.of(copy));
      requireOpen();
    }
    return copy;
  }

  private synchronized void giveBack(T copy) {
    lent--;
    if (copy != null && !shared && !closed) {
      free.push(copy);
    }
  }

  private synchronized void requireOpen() {
    if (closed) {
      throw new IllegalStateException("the compiled copies of this model were closed (the executor is shutting "
          + "down); no partition can borrow one");
    }
  }

  /** One borrower's use of a copy; closing it (once or more) returns the copy to the pool. */
  final class Lease implements AutoCloseable {
    private final T copy;
    private final AtomicBoolean returned = new AtomicBoolean();

    private Lease(T copy) {
      this.copy = copy;
    }

    /** The copy lent. */
    T copy() {
      return copy;
    }

    @Override
    public void close() {
      if (returned.compareAndSet(false, true)) {
        giveBack(copy);
      }
    }
  }
}
