package org.medvision.cli;

import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * One {@code medvision} subcommand. {@link Main} adds {@code --help} and {@code --verbose} to its options, parses the
 * arguments and maps exceptions to exit codes: {@link UsageException} to {@link ExitCodes#USAGE_ERROR}, any other
 * {@link org.medvision.api.MedvisionException} to {@link ExitCodes#RUNTIME_ERROR}.
 */
public interface Command {
  /** The word that selects it, e.g. {@code info}. */
  String name();

  /** One line for the command list. */
  String summary();

  /** A paragraph for {@code --help}: what it does and what it prints. */
  String description();

  /** Example command lines (without the leading {@code medvision}). */
  List<String> examples();

  /** Its options; descriptions state each default. A fresh instance per call. */
  Options options();

  /**
   * Runs the command.
   *
   * @param line the parsed arguments; {@link CommandLine#getArgList()} holds positional arguments
   * @param context output streams and flags
   * @return an exit code from {@link ExitCodes}
   */
  int run(CommandLine line, CommandContext context);
}
