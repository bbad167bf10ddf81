package org.medvision.dicom.iod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.medvision.dicom.testing.PeerTools;

/** Turns the peer tools' verdicts (dciodvfy, dcmdump) on files we wrote into assertions. */
final class Peers {
  private Peers() {}

  /** Asserts dciodvfy reports no "Error -" line and exits 0, printing its whole report on failure. */
  static PeerTools.Run assertValid(Path file, String expectedIod) {
    PeerTools.Run run = PeerTools.run("dciodvfy", file.toString());
    List<String> errors = run.lines("Error");
    assertTrue(errors.isEmpty(), () -> "dciodvfy found " + errors.size() + " errors in " + file + ":\n"
        + String.join("\n", errors) + "\n--- full report ---\n" + run.output());
    assertEquals(0, run.exitCode(), () -> "dciodvfy exit code for " + file + ":\n" + run.output());
    assertTrue(run.output().startsWith(expectedIod), () -> "dciodvfy identified another IOD than " + expectedIod
        + ":\n" + run.output());
    return run;
  }

  /** Asserts dcmdump reads the file (exit 0) and returns its dump. */
  static String assertDcmdump(Path file) {
    PeerTools.Run run = PeerTools.run("dcmdump", "+L", file.toString());
    assertEquals(0, run.exitCode(), () -> "dcmdump failed on " + file + ":\n" + run.output());
    assertTrue(!run.output().contains("E: "), () -> "dcmdump reported errors on " + file + ":\n" + run.output());
    return run.output();
  }
}
