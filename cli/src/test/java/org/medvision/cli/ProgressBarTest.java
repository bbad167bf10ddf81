package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void onATerminalItRedrawsInPlaceAndEndsTheLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      try (ProgressBar bar = new ProgressBar(err, "work", 4, true)) {
        for (int i = 1; i <= 4; i++) {
          bar.update(i);
        }
      }
    }
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(4, s.chars().filter(c -> c == '\r').count(), s);
    assertTrue(s.contains("\rwork [" + "#".repeat(15) + " ".repeat(15) + "]  50% (2/4)"), s);
    assertTrue(s.endsWith("] 100% (4/4)" + System.lineSeparator()), s);
  }

  @Test
  void offATerminalQuickWorkPrintsNothing() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      try (ProgressBar bar = new ProgressBar(err, "work", 3, false)) {
        for (int i = 1; i <= 3; i++) {
          bar.update(i);
        }
      }
    }
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }

  @Test
  void dataNotesAndWarningsWaitUntilTheBarHasEndedItsLine() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      CommandContext ctx = new CommandContext(err, err, true, false);
      try (DicomInfoPrinter.Progress progress = new DicomInfoPrinter.Progress(ctx, "read data")) {
        progress.progress(1, 2);
        progress.warning("label 'Hernia' has no positive row in split val");
        progress.note("split 80/10/10 by patient");
        progress.progress(2, 2);
      }
    }
    String n = System.lineSeparator();
    String s = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(s.endsWith("] 100% (2/2)" + n + "medvision: warning: label 'Hernia' has no positive row in split val" + n
        + "medvision: note: split 80/10/10 by patient" + n), s);
  }
}
