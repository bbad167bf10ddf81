package org.medvision.dicom.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs dcmtk's dcmdump on a file and parses its element lines, the independent reference for our reader. */
public final class Dcmdump {
  /**
   * One element line of dcmdump output.
   *
   * @param depth the sequence nesting depth (0 at the top level)
   * @param tag the tag as an int, group in the high half
   * @param vr the two-letter VR dcmdump prints ({@code na} for items)
   * @param value the value text, without the square brackets of string values
   * @param bracketed true when dcmdump printed the value in square brackets (a string value)
   */
  public record Line(int depth, int tag, String vr, String value, boolean bracketed) {}

  /**
   * The result of one run.
   *
   * @param exitCode dcmdump's exit status
   * @param lines the parsed element lines, in output order
   * @param output the whole output, for failure messages
   */
  public record Result(int exitCode, List<Line> lines, String output) {}

  private static final Pattern LINE = Pattern.compile(
      "^( *)\\(([0-9a-f]{4}),([0-9a-f]{4})\\) (\\S\\S) (.*?) +# *(\\d+|u/l), *(\\d+) ([^\\n]*)$", Pattern.DOTALL);

  private static final Pattern START = Pattern.compile("^ *\\([0-9a-f]{4},[0-9a-f]{4}\\) \\S\\S \\[");

  private Dcmdump() {}

  /** Runs {@code dcmdump -q +L -Un [+U8] file} and parses the data set lines (meta group included). */
  public static Result run(Path file, boolean utf8) {
    List<String> args = new ArrayList<>(List.of("-q", "+L", "-Un"));
    if (utf8) {
      args.add("+U8");
    }
    args.add(file.toString());
    PeerTools.Run run = PeerTools.run("dcmdump", args.toArray(new String[0]));
    return new Result(run.exitCode(), parse(run.output()), run.output());
  }

  /** Parses dcmdump output into element lines; values continued over several output lines are joined. */
  public static List<Line> parse(String output) {
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
