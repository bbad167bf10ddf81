package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The pool of compiled copies, with copies that only count their closes: partitions run by threads that end after
 * each (as Spark's idle task threads do) reuse the copies returned before them, so no more copies exist than
 * partitions ran at once, and closing the pool closes every one.
 */
class CopyPoolTest {
  /** A copy that records whether it was closed. */
  static final class Copy implements AutoCloseable {
    int closes;

    @Override
    public void close() {
      closes++;
    }
  }

  /** Runs {@code body} on {@code n} new threads at once and waits for them to end, rethrowing what one threw. */
  static void onNewThreads(int n, Runnable body) throws InterruptedException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Thread t = new Thread(body, "partition-" + i);
      t.setUncaughtExceptionHandler((th, e) -> failure.compareAndSet(null, e));
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (failure.get() != null) {
      throw new AssertionError("a partition failed", failure.get());
    }
  }

  @Test
  void partitionsOnThreadsThatEndReuseTheCopiesReturnedBeforeThem() throws Exception {
    List<Copy> made = Collections.synchronizedList(new ArrayList<>());
    CopyPool<Copy> pool = CopyPool.exclusive(() -> {
      Copy c = new Copy();
      made.add(c);
      return c;
    });
    List<Copy> used = Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      onNewThreads(1, () -> {
        try (CopyPool<Copy>.Lease lease = pool.borrow()) {
          used.add(lease.copy());
        }
      });
    }
    assertEquals(1, made.size(), "one partition at a time needs one copy");
    used.forEach(c -> assertSame(made.get(0), c));

    CyclicBarrier together = new CyclicBarrier(2);
    List<Copy> atOnce = Collections.synchronizedList(new ArrayList<>());
    onNewThreads(2, () -> {
      try (CopyPool<Copy>.Lease lease = pool.borrow()) {
        atOnce.add(lease.copy());
        together.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertNotSame(atOnce.get(0), atOnce.get(1), "partitions running at once never share a copy");
    assertEquals(2, made.size());

    for (int i = 0; i < 4; i++) {
      onNewThreads(1, () -> pool.borrow().close());
    }
    assertEquals(2, pool.copies(), "as many copies as partitions ever ran at once");
    assertEquals(2, made.size());
    assertEquals(0, pool.lent());

    CopyPool<Copy>.Lease open = pool.borrow();
    pool.close();
    made.forEach(c -> assertEquals(1, c.closes, "every copy closed once, the lent one included"));
    open.close();
    assertEquals(1, open.copy().closes, "a copy returned after the close is not closed again");
    assertEquals(0, pool.copies());
    IllegalStateException e = assertThrows(IllegalStateException.class, pool::borrow);
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  @Test
  void aLeaseClosedTwiceReturnsItsCopyOnce() {
    CopyPool<Copy> pool = CopyPool.exclusive(Copy::new);
    CopyPool<Copy>.Lease first = pool.borrow();
    first.close();
    first.close();
    CopyPool<Copy>.Lease a = pool.borrow();
    CopyPool<Copy>.Lease b = pool.borrow();
    assertNotSame(a.copy(), b.copy(), "a copy returned twice must not be lent to two partitions");
    assertEquals(2, pool.lent());
  }

  @Test
  void aSharedCopyIsLentToEveryPartitionAtOnce() {
    Copy only = new Copy();
    CopyPool<Copy> pool = CopyPool.shared(only);
    CopyPool<Copy>.Lease a = pool.borrow();
    CopyPool<Copy>.Lease b = pool.borrow();
    assertSame(only, a.copy());
    assertSame(only, b.copy());
    assertEquals(2, pool.lent());
    a.close();
    b.close();
    assertEquals(0, pool.lent());
    assertEquals(0, only.closes, "returning a shared copy does not close it");
    pool.close();
    assertEquals(1, only.closes);
  }

  @Test
  void aCopyThatCannotBeMadeLendsNothing() {
    CopyPool<Copy> pool = CopyPool.exclusive(() -> {
      throw new IllegalArgumentException("model does not compile");
    });
    assertThrows(IllegalArgumentException.class, pool::borrow);
    assertEquals(0, pool.lent());
    assertEquals(0, pool.copies());
  }
}
