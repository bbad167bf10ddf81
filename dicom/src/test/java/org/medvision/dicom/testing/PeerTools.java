package org.medvision.dicom.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medvision.testkit.fixtures.TestData;

/**
 * Runs a peer tool found through {@link TestData#tool(String)} (so the test is skipped where the tool is absent) and
 * captures its merged standard output and error.
 */
public final class PeerTools {
  private static final long TIMEOUT_SECONDS = 120;

  private PeerTools() {}

  /**
   * Exit code and merged output of one tool run.
   *
   * @param exitCode the process exit status
   * @param output standard output and standard error, interleaved, decoded as UTF-8
   */
  public record Run(int exitCode, String output) {
    /** The output lines that start with {@code prefix}, in order. */
    public List<String> lines(String prefix) {
      List<String> out = new ArrayList<>();
      for (String line : output.split("\n")) {
        if (line.startsWith(prefix)) {
          out.add(line);
        }
      }
      return out;
    }
  }

  /**
   * Runs {@code tool args...} and returns its exit code and output, whatever the exit code.
   *
   * @throws AssertionError when the tool cannot be started or does not finish within two minutes
   */
  public static Run run(String tool, String... args) {
    List<String> command = new ArrayList<>();
    command.add(TestData.tool(tool).toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s");
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + command, e);
    }
  }

  /** Runs {@code tool args...}, fails the test with the tool's output when it exits non-zero, returns the output. */
  public static String runOk(String tool, String... args) {
    Run run = run(tool, args);
    if (run.exitCode() != 0) {
      fail(tool + " " + String.join(" ", args) + " exited with " + run.exitCode() + ": " + run.output());
    }
    return run.output();
  }
}
