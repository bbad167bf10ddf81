package org.medvision.runtime.batch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of input ids kept as 64-bit digests (the first 8 bytes of each id's SHA-256) in an open-addressing table:
 * about 16 bytes per id instead of a string and a hash-set entry, so a job over millions of inputs keeps the ids it
 * has done in tens of megabytes. Two ids share a digest with probability about n²/2⁶⁵ (10⁻⁷ for 2 million ids).
 * Thread-safe.
 */
final class InputIdSet {
  private long[] slots = new long[1024];
  private boolean hasZero;
  private int size;

  /** Adds {@code id}; false if it was there. */
  synchronized boolean add(String id) {
    long d = digest(id);
    if (d == 0) {
      boolean added = !hasZero;
      hasZero = true;
      size += added ? 1 : 0;
      return added;
    }
    if (2L * (size + 1) > slots.length) {
      grow();
    }
    return insert(slots, d);
  }

  /** Whether {@code id} is in the set. */
  synchronized boolean contains(String id) {
    long d = digest(id);
    if (d == 0) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = mix(d) & mask; slots[i] != 0; i = (i + 1) & mask) {
      if (slots[i] == d) {
        return true;
      }
    }
    return false;
  }

  /** The number of ids. */
  synchronized int size() {
    return size;
  }

  private boolean insert(long[] table, long d) {
    int mask = table.length - 1;
    int i = mix(d) & mask;
    while (table[i] != 0) {
      if (table[i] == d) {
        return false;
      }
      i = (i + 1) & mask;
    }
    table[i] = d;
    if (table == slots) {
      size++;
    }
    return true;
  }

  private void grow() {
    long[] bigger = new long[slots.length * 2];
    for (long d : slots) {
      if (d != 0) {
        insert(bigger, d);
      }
    }
    slots = bigger;
  }

  private static int mix(long d) {
    return (int) (d ^ (d >>> 32));
  }

  private static long digest(String id) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      long d = 0;
      for (int i = 0; i < 8; i++) {
        d = (d << 8) | (h[i] & 0xff);
      }
      return d;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
