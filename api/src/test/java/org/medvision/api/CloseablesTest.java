package org.medvision.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every resource is closed; the first failure is thrown, the later ones ride along as suppressed. */
class CloseablesTest {
  @Test
  void everyResourceIsClosedAndTheFirstFailureCarriesTheOthers() {
    List<String> closed = new ArrayList<>();
    IllegalArgumentException first = new IllegalArgumentException("first");
    AutoCloseable ok = () -> closed.add("ok");
    AutoCloseable failsUnchecked = () -> {
      closed.add("unchecked");
      throw first;
    };
    AutoCloseable failsChecked = new AutoCloseable() {
      @Override
      public void close() throws IOException {
        closed.add("checked");
        throw new IOException("disk");
      }

      @Override
      public String toString() {
        return "the checked one";
      }
    };
    RuntimeException thrown = assertThrows(RuntimeException.class,
        () -> Closeables.closeAll(List.of(ok, failsUnchecked, failsChecked, ok)));
    assertSame(first, thrown);
    assertEquals(List.of("ok", "unchecked", "checked", "ok"), closed);
    assertEquals(1, thrown.getSuppressed().length);
    Throwable checked = thrown.getSuppressed()[0];
    assertTrue(checked instanceof IllegalStateException && checked.getMessage().equals("cannot close the checked one")
        && checked.getCause() instanceof IOException, checked.toString());
  }

  @Test
  void nothingFailingThrowsNothing() {
    List<String> closed = new ArrayList<>();
    Closeables.closeAll(List.of(() -> closed.add("a"), () -> closed.add("b")));
    assertEquals(List.of("a", "b"), closed);
  }
}
