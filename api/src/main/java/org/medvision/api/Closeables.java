package org.medvision.api;

/**
 * Closing several native resources together, so that one that fails to close does not leave the others open.
 */
public final class Closeables {
  private Closeables() {}

  /**
   * Closes each of {@code resources}, every one even when an earlier one fails to; the first failure is thrown at the
   * end with the later ones suppressed. A checked exception becomes an {@link IllegalStateException} naming the
   * resource.
   */
  public static void closeAll(Iterable<? extends AutoCloseable> resources) {
    RuntimeException failure = null;
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        RuntimeException unchecked = e instanceof RuntimeException re ? re
            : new IllegalStateException("cannot close " + r, e);
        if (failure == null) {
          failure = unchecked;
        } else {
          failure.addSuppressed(unchecked);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
