package org.medvision.cli;

import java.io.PrintStream;

/**
 * Where a command writes and how it may draw.
 *
 * @param out results (tables, JSON)
 * @param err progress and diagnostics
 * @param terminal whether {@code err} is an interactive terminal, so a progress bar may redraw in place
 * @param verbose whether {@code --verbose} was given
 */
public record CommandContext(PrintStream out, PrintStream err, boolean terminal, boolean verbose) {
  /** A progress indicator on {@link #err()} for {@code total} steps of {@code label}. */
  public ProgressBar progress(String label, long total) {
    return new ProgressBar(err, label, total, terminal);
  }
}
