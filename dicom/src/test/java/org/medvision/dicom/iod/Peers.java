package org.medvision.dicom.iod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medvision.testkit.fixtures.TestData;

/** Runs the peer tools (dciodvfy, dcmdump, dsrdump) on files we wrote and turns their verdicts into assertions. */
final class Peers {
  private Peers() {}

  /** Exit code and merged output of one tool run. */
  record Run(int exitCode, String output) {
    List<String> lines(String prefix) {
      List<String> out = new ArrayList<>();
      for (String line : output.split("\n")) {
        if (line.startsWith(prefix)) {
          out.add(line);
        }
      }
      return out;
    }
  }

  static Run run(String tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestData.tool(tool).toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(tool + " did not finish within 60 s");
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + tool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + tool, e);
    }
  }

  /** Asserts dciodvfy reports no "Error -" line and exits 0, printing its whole report on failure. */
  static Run assertValid(Path file, String expectedIod) {
    Run run = run("dciodvfy", file.toString());
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
    Run run = run("dcmdump", "+L", file.toString());
    assertEquals(0, run.exitCode(), () -> "dcmdump failed on " + file + ":\n" + run.output());
    assertTrue(!run.output().contains("E: "), () -> "dcmdump reported errors on " + file + ":\n" + run.output());
    return run.output();
  }
}
