package org.medvision.cli;

import com.google.inject.Guice;
import com.google.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.medvision.api.IoErrors;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.NativeLogging;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.cli.inject.CliModule;

/**
 * The {@code medvision} entry point: picks the command named by the first argument, parses the rest with Apache
 * Commons CLI, runs it and turns failures into one-line errors ({@code medvision: error: ...} on stderr, stack trace
 * only with {@code --verbose}) and exit codes from {@link ExitCodes}.
 */
public final class Main {
  private static final String VERBOSE = "verbose";
  private static final String HELP = "help";
  /** Commands that take file arguments after their options. */
  private static final java.util.Set<String> POSITIONAL = java.util.Set.of("predict", "import", "dicom", "tasks");

  private final Map<String, Command> commands = new LinkedHashMap<>();

  /**
   * A dispatcher over {@code commands}, in the order given (the help lists them so).
   *
   * @throws IllegalArgumentException if two commands share a name
   */
  @Inject
  public Main(List<Command> list) {
    for (Command c : list) {
      if (commands.putIfAbsent(c.name(), c) != null) {
        throw new IllegalArgumentException("two commands are named " + c.name());
      }
    }
  }

  /** Runs {@code medvision} with plugins discovered on the class path, then exits with the command's code. */
  public static void main(String[] args) {
    int code;
    try {
      Main main = Guice.createInjector(new CliModule()).getInstance(Main.class);
      code = main.run(args, System.out, System.err, System.console() != null);
    } catch (RuntimeException e) {
      boolean verbose = Arrays.asList(args).contains("--" + VERBOSE);
      code = reportError(e, System.err, verbose);
    }
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs one command line.
   *
   * @param args the arguments after {@code medvision}
   * @param out where results go
   * @param err where progress and errors go
   * @param terminal whether {@code err} is an interactive terminal (progress bars redraw in place)
   * @return the exit code
   */
  public int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    boolean verbose = rest.remove("--" + VERBOSE);
    if (rest.isEmpty()) {
      HelpPrinter.general(err, commands.values());
      return ExitCodes.USAGE_ERROR;
    }
    String first = rest.remove(0);
    switch (first) {
      case "--help":
      case "-h":
        HelpPrinter.general(out, commands.values());
        return ExitCodes.OK;
      case "--version":
        out.println("medvision " + version());
        return ExitCodes.OK;
      case HELP:
        if (rest.isEmpty()) {
          HelpPrinter.general(out, commands.values());
          return ExitCodes.OK;
        }
        Command target = commands.get(rest.get(0));
        if (target == null) {
          return usage(err, "unknown command '" + rest.get(0) + "'; commands: " + String.join(", ", commands.keySet()));
        }
        HelpPrinter.command(out, target, fullOptions(target));
        return ExitCodes.OK;
      default:
        break;
    }
    Command command = commands.get(first);
    if (command == null) {
      return usage(err, "unknown command '" + first + "'; commands: " + String.join(", ", commands.keySet())
          + " (see medvision --help)");
    }
    Options options = fullOptions(command);
    CommandLine line;
    try {
      line = DefaultParser.builder().setAllowPartialMatching(false).build()
          .parse(options, rest.toArray(new String[0]));
    } catch (ParseException e) {
      return usage(err, oneLine(e.getMessage()) + " (see medvision " + command.name() + " --help)");
    }
    if (line.hasOption(HELP)) {
      HelpPrinter.command(out, command, options);
      return ExitCodes.OK;
    }
    verbose |= line.hasOption(VERBOSE);
    if (!POSITIONAL.contains(command.name()) && !line.getArgList().isEmpty()) {
      return usage(err, "unexpected argument '" + line.getArgList().get(0) + "' (see medvision " + command.name()
          + " --help)");
    }
    // Engines read it when their native libraries load, which happens inside the command.
    NativeLogging.setVerbose(verbose);
    try {
      return command.run(line, new CommandContext(out, err, terminal, verbose));
    } catch (RuntimeException e) {
      out.flush();
      return reportError(e, err, verbose);
    }
  }

  private static Options fullOptions(Command command) {
    Options options = command.options();
    options.addOption(Args.flag(HELP, "show this help"));
    options.addOption(Args.flag(VERBOSE, "show stack traces on errors and the engines' native log lines"));
    return options;
  }

  private static int usage(PrintStream err, String message) {
    err.println("medvision: error: " + message);
    return ExitCodes.USAGE_ERROR;
  }

  /** Prints the one-line error (and the trace when verbose) and returns the exit code for {@code e}. */
  static int reportError(RuntimeException e, PrintStream err, boolean verbose) {
    String message;
    int code;
    if (e instanceof UsageException) {
      message = e.getMessage();
      code = ExitCodes.USAGE_ERROR;
    } else if (e instanceof UnknownNameException) {
      // A task, variant, engine or option name the user typed that does not exist: a usage mistake like an unknown
      // command, and the message lists the names that do.
      message = e.getMessage();
      code = ExitCodes.USAGE_ERROR;
    } else if (e instanceof MedvisionException) {
      message = e.getMessage();
      code = ExitCodes.RUNTIME_ERROR;
    } else if (e instanceof UncheckedIOException u) {
      message = (u.getMessage() != null && !u.getMessage().equals(u.getCause().toString())
          ? u.getMessage() + ": " : "") + IoErrors.describe(u.getCause());
      code = ExitCodes.RUNTIME_ERROR;
    } else {
      message = "internal error: " + e + (verbose ? "" : " (run with --verbose for the stack trace)");
      code = ExitCodes.RUNTIME_ERROR;
    }
    err.println("medvision: error: " + oneLine(message));
    if (verbose) {
      e.printStackTrace(err);
    }
    return code;
  }

  private static String oneLine(String message) {
    return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  /** The version this build was made from, e.g. {@code 0.1.0-SNAPSHOT}. */
  static String version() {
    Properties p = new Properties();
    try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the version resource", e);
    }
    return p.getProperty("version", "unknown");
  }
}
