package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.commons.cli.Option;
import org.junit.jupiter.api.Test;
import org.medvision.cli.inject.CliModule;

class MainTest {
  private static List<Command> commands() {
    return com.google.inject.Guice.createInjector(new CliModule(Cli.MEDVISION))
        .getInstance(com.google.inject.Key.get(new com.google.inject.TypeLiteral<List<Command>>() {}));
  }

  @Test
  void generalHelpListsEveryCommand() {
    Cli.Result r = Cli.run("--help");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    for (Command c : commands()) {
      assertTrue(r.out().contains("  " + c.name() + " "), c.name());
    }
    assertEquals(r.out(), Cli.run("help").out());
  }

  @Test
  void everyCommandHelpShowsDescriptionEveryOptionAndAnExample() {
    for (Command c : commands()) {
      Cli.Result r = Cli.run(c.name(), "--help");
      assertEquals(ExitCodes.OK, r.code(), r.toString());
      assertTrue(r.out().startsWith("usage: medvision " + c.name()), r.out());
      for (Option o : c.options().getOptions()) {
        assertTrue(r.out().contains("--" + o.getLongOpt()), c.name() + " --" + o.getLongOpt());
        String d = o.getDescription();
        assertTrue(o.hasArg() ? d.contains("default") || d.contains("required") || d.contains(".safetensors")
            : !d.isEmpty(), c.name() + " --" + o.getLongOpt() + " should state its default: " + d);
      }
      assertTrue(r.out().contains("examples:\n  medvision " + c.name()), r.out());
      assertEquals(r.out(), Cli.run("help", c.name()).out());
    }
  }

  @Test
  void versionIsTheProjectVersion() {
    Cli.Result r = Cli.run("--version");
    assertEquals(ExitCodes.OK, r.code());
    assertTrue(r.out().matches("medvision \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"), r.out());
  }

  @Test
  void noArgumentsIsAUsageError() {
    Cli.Result r = Cli.run();
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertTrue(r.err().startsWith("usage: medvision"), r.err());
  }

  @Test
  void unknownCommandIsAUsageErrorListingCommands() {
    Cli.Result r = Cli.run("train-everything");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("medvision: error: unknown command 'train-everything'; commands: tasks, engines"),
        r.err());
  }

  @Test
  void unknownOptionIsAOneLineUsageError() {
    Cli.Result r = Cli.run("info", "--task", "strokenext", "--colour", "blue");
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("--colour"), r.err());
    assertEquals("", r.out());
  }

  @Test
  void prefixesOfOptionsAreNotGuessed() {
    assertEquals(ExitCodes.USAGE_ERROR, Cli.run("info", "--task", "strokenext", "--var", "atto").code());
  }

  @Test
  void missingRequiredOptionAndMalformedNumbersAreUsageErrors() {
    Cli.Result r = Cli.run("info", "--variant", "atto");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertEquals("medvision: error: missing required option --task\n", r.err().replace("\r", ""));
    Cli.Result n = Cli.run("info", "--task", "strokenext", "--image-size", "big");
    assertEquals(ExitCodes.USAGE_ERROR, n.code());
    assertTrue(n.err().contains("--image-size: invalid value 'big' for option image_size; allowed: an integer >= 32"), n.err());
    Cli.Result s = Cli.run("info", "--task", "strokenext", "--set", "colour=blue");
    assertEquals(ExitCodes.USAGE_ERROR, s.code());
    assertTrue(s.err().contains("task strokenext has no option 'colour'; its options: subtask, fusion"), s.err());
  }

  @Test
  void windowIsRefusedForTasksThatScaleVolumesTheirOwnWay() {
    Cli.Result r = Cli.run("train", "--task", "covid-dsa", "--variant", "resnet10", "--set", "input=16x32x32",
        "--window", "lung", "--data", "no-such.csv", "--out", "no-run");
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertEquals("medvision: error: --window applies to 2-D image inputs; task covid-dsa scales its input its own way "
        + "(clip [-1200, 600])\n", r.err().replace("\r", ""));
  }

  @Test
  void unknownTaskIsAUsageMistakeListingValidNames() {
    Cli.Result r = Cli.run("info", "--task", "strokenxt");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().startsWith("medvision: error: unknown task 'strokenxt'; available: strokenext"), r.err());
    assertTrue(!r.err().contains("\tat "), "no stack trace without --verbose");
  }

  @Test
  void unknownVariantListsTheVariants() {
    Cli.Result r = Cli.run("info", "--task", "strokenext", "--variant", "huge");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertTrue(r.err().contains("'huge'") && r.err().contains("atto") && r.err().contains("large"), r.err());
  }

  @Test
  void verboseAddsTheStackTrace() {
    Cli.Result r = Cli.run("info", "--task", "strokenxt", "--verbose");
    assertEquals(ExitCodes.USAGE_ERROR, r.code());
    assertTrue(r.err().startsWith("medvision: error: unknown task"), r.err());
    assertTrue(r.err().contains("\tat org.medvision."), r.err());
  }

  @Test
  void unknownEngineListsTheEngines() {
    Cli.Result r = Cli.run("bench", "--task", "strokenext", "--variant", "atto", "--engine", "caffe2",
        "--image-size", "32", "--peak-size", "0");
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("unknown engine 'caffe2'; available: "), r.err());
    for (String engine : Cli.MEDVISION.engines().names()) {
      assertTrue(r.err().contains(engine), r.err());
    }
  }
}
