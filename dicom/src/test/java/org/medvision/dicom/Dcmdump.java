package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.medvision.testkit.fixtures.TestData;

/** Runs dcmtk's dcmdump on a file and parses its element lines, the independent reference for our reader. */
final class Dcmdump {
  /** One element line of dcmdump output. */
  record Line(int depth, int tag, String vr, String value, boolean bracketed) {}

  /** The result of one run. */
  record Result(int exitCode, List<Line> lines, String output) {}

  private static final Pattern LINE = Pattern.compile(
      "^( *)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\S\\S) (.*?) +# *(\\d+|u/l), *(\\d+) ([^\\n]*)$", Pattern.DOTALL);

  private static final Pattern START = Pattern.compile("^ *\\([0-9a-f]{4},[0-9a-f]{4}\\) \\S\\S \\[");

  private Dcmdump() {}

  /** Runs {@code dcmdump -q +L -Un [+U8] file} and parses the data set lines (meta group included). */
  static Result run(Path file, boolean utf8) {
    Path tool = TestData.tool("dcmdump");
    List<String> command = new ArrayList<>(List.of(tool.toString(), "-q", "+L", "-Un"));
    if (utf8) {
      command.add("+U8");
    }
    command.add(file.toString());
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] bytes = process.getInputStream().readAllBytes();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "dcmdump timed out on " + file);
      String output = new String(bytes, StandardCharsets.UTF_8);
      return new Result(process.exitValue(), parse(output), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static List<Line> parse(String output) {
    List<Line> lines = new ArrayList<>();
    StringBuilder pending = null;
    for (String text : output.split("\n")) {
      // Text values with line breaks (UT, LT in SR content) continue on the following output lines.
      if (pending != null) {
        pending.append('\n').append(text);
        text = pending.toString();
      }
      Matcher m = LINE.matcher(text);
      if (!m.matches()) {
        if (pending == null && START.matcher(text).find()) {
          pending = new StringBuilder(text);
        }
        continue;
      }
      pending = null;
      int tag = (int) Long.parseLong(m.group(2) + m.group(3), 16);
      String raw = m.group(5);
      boolean bracketed = raw.startsWith("[") && raw.endsWith("]");
      String value = bracketed ? raw.substring(1, raw.length() - 1) : raw;
      lines.add(new Line(m.group(1).length() / 2, tag, m.group(4), value, bracketed));
    }
    return lines;
  }
}
