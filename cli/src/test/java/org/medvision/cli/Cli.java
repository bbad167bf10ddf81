package org.medvision.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.medvision.api.embed.Medvision;
import org.medvision.cli.inject.CliModule;

/** Runs {@code medvision} in-process with captured streams, over the plugins on the test class path. */
final class Cli {
  /** Discovered once for all tests: discovery is immutable and cheap to share. */
  static final Medvision MEDVISION = Medvision.builder().build();

  /** The outcome of one run. */
  record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private Cli() {}

  static Result run(String... args) {
    Main main = com.google.inject.Guice.createInjector(new CliModule(MEDVISION)).getInstance(Main.class);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = main.run(args, o, e, false);
    }
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
