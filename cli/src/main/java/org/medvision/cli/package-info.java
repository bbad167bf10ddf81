/**
 * The {@code medvision} command: {@link org.medvision.cli.Main} dispatches to one small {@link
 * org.medvision.cli.Command} class per subcommand, parsed with Apache Commons CLI. Output goes to the streams in a
 * {@link org.medvision.cli.CommandContext}, so every command is testable without a process.
 */
package org.medvision.cli;
