package org.medvision.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** Writes help text: the command list, and per command its description, options (with defaults) and examples. */
final class HelpPrinter {
  private static final int WIDTH = 100;

  private HelpPrinter() {}

  static void general(PrintStream out, Collection<Command> commands) {
    out.println("usage: medvision <command> [options]");
    out.println();
    out.println(wrap("Medical-imaging deep learning on the JVM: task models built from a neutral graph IR, run on "
        + "interchangeable engines.", ""));
    out.println();
    out.println("commands:");
    int width = 4;
    for (Command c : commands) {
      width = Math.max(width, c.name().length());
    }
    for (Command c : commands) {
      out.println("  " + pad(c.name(), width) + "  " + c.summary());
    }
    out.println("  " + pad("help", width) + "  show help for a command: medvision help <command>");
    out.println();
    out.println("global options:");
    out.println("  --help       show this help");
    out.println("  --version    show the version");
    out.println("  --verbose    show stack traces on errors (also accepted by every command)");
    out.println();
    out.println("Run 'medvision <command> --help' for a command's options and examples.");
  }

  static void command(PrintStream out, Command c, Options options) {
    out.println("usage: medvision " + c.name() + " [options]" + (c.name().equals("predict") ? " IMAGE..." : ""));
    out.println();
    out.println(wrap(c.description(), ""));
    out.println();
    out.println("options:");
    List<String> left = new ArrayList<>();
    int width = 0;
    for (Option o : options.getOptions()) {
      String s = "--" + o.getLongOpt() + (o.hasArg() ? " " + o.getArgName() : "");
      left.add(s);
      width = Math.max(width, s.length());
    }
    int i = 0;
    for (Option o : options.getOptions()) {
      String l = left.get(i++);
      String indent = " ".repeat(width + 4);
      out.println("  " + pad(l, width) + "  " + wrap(o.getDescription(), indent));
    }
    out.println();
    out.println("examples:");
    for (String e : c.examples()) {
      out.println("  medvision " + e);
    }
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(Math.max(0, width - s.length()));
  }

  /**
   * Wraps {@code text} at word boundaries so that no line passes {@link #WIDTH} columns when the first line starts
   * after {@code indent.length()} columns; continuation lines start with {@code indent}.
   */
  static String wrap(String text, String indent) {
    StringBuilder out = new StringBuilder();
    int column = indent.length();
    boolean lineStart = true;
    for (String word : text.split(" +")) {
      if (!lineStart && column + 1 + word.length() > WIDTH) {
        out.append('\n').append(indent);
        column = indent.length();
        lineStart = true;
      }
      if (!lineStart) {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
      lineStart = false;
    }
    return out.toString();
  }
}
