package org.medvision.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class OptionSpecTest {
  private static final OptionSpec DEPTH = OptionSpec.integer("depth", "34", 10, 200, "network depth");
  private static final OptionSpec RATE = OptionSpec.number("rate", "0.5", 0, 1, "dropout rate");
  private static final OptionSpec SIZE = OptionSpec.size("size", "32x64x64", 8, 512, "input size D x H x W");
  private static final OptionSpec SAMPLER = OptionSpec.choice("sampler", "uniform",
      List.of("uniform", "size-balanced"), "how an epoch is drawn");
  private static final OptionSpec AMP = new OptionSpec("amp", OptionType.BOOLEAN, "false", List.of(), Double.NaN,
      Double.NaN, OptionSpec.Scope.TRAINING, "mixed precision");
  private static final OptionSpec NOTE = new OptionSpec("note", OptionType.STRING, "", List.of(), Double.NaN,
      Double.NaN, OptionSpec.Scope.TRAINING, "free text recorded with the run");

  private static String invalid(OptionSpec spec, String value) {
    return assertThrows(MedvisionException.class, () -> spec.canonical(value)).getMessage();
  }

  @Test
  void valuesAreCanonicalised() {
    assertEquals("17", DEPTH.canonical(" +17 "));
    assertEquals("50", DEPTH.canonical("050"));
    assertEquals("0.25", RATE.canonical("+0.25"));
    // Numbers keep how they were written, apart from a leading plus.
    assertEquals("1e-1", RATE.canonical(" 1e-1 "));
    assertEquals("32x64x64", SIZE.canonical("32X64 x 064"));
    assertEquals("size-balanced", SAMPLER.canonical("Size-Balanced"));
    assertEquals("true", AMP.canonical("TRUE"));
    assertEquals("a note", NOTE.canonical("  a note "));
  }

  @Test
  void rangesAreChecked() {
    assertEquals("10", DEPTH.canonical("10"));
    assertEquals("200", DEPTH.canonical("200"));
    assertEquals("invalid value '9' for option depth; allowed: an integer >= 10, <= 200", invalid(DEPTH, "9"));
    assertTrue(invalid(DEPTH, "201").contains("allowed: an integer >= 10, <= 200"));
    assertTrue(invalid(DEPTH, "3.5").startsWith("invalid value '3.5' for option depth"));
    assertEquals("invalid value '1.5' for option rate; allowed: a number >= 0, <= 1", invalid(RATE, "1.5"));
    assertTrue(invalid(RATE, "NaN").startsWith("invalid value 'NaN'"));
    assertTrue(invalid(RATE, "Infinity").startsWith("invalid value 'Infinity'"));
    assertEquals("invalid value '32x4x64' for option size; allowed: a size such as 32x64x64 (each dimension an "
        + "integer >= 8, <= 512)", invalid(SIZE, "32x4x64"));
    assertTrue(invalid(SIZE, "32x").startsWith("invalid value '32x'"));
    assertTrue(invalid(SIZE, "").startsWith("invalid value ''"));
  }

  @Test
  void choicesAndBooleansListWhatIsAllowed() {
    assertEquals("invalid value 'balanced' for option sampler; allowed: one of uniform, size-balanced",
        invalid(SAMPLER, "balanced"));
    assertEquals("invalid value 'yes' for option amp; allowed: true or false", invalid(AMP, "yes"));
    assertEquals("any text", NOTE.allowed());
  }

  @Test
  void numericFactoriesTakeExtraWordsAWordDefaultMustBeOneOf() {
    // As StrokeNeXt declares its "auto" defaults.
    OptionSpec hidden = OptionSpec.integer("fusion_hidden", "auto", 1, Double.NaN, "hidden size", "auto");
    assertEquals("auto", hidden.defaultValue());
    assertEquals("auto", hidden.canonical("auto"));
    assertEquals("64", hidden.canonical("64"));
    OptionSpec drop = OptionSpec.number("drop_path", "auto", 0, 0.999, "stochastic depth", "auto").training();
    assertEquals(List.of("auto"), drop.choices());
    assertEquals("invalid value 'lots' for option drop_path; allowed: a number >= 0, <= 0.999, or auto",
        invalid(drop, "lots"));
    // A default that is neither a valid value nor a declared word is an error.
    assertThrows(MedvisionException.class, () -> OptionSpec.integer("depth", "3O", 1, 200, "depth"));
    assertThrows(MedvisionException.class, () -> OptionSpec.integer("depth", "auto", 1, 200, "depth"));
    assertThrows(MedvisionException.class, () -> OptionSpec.size("size", "auto", 1, 9, "size"));
  }

  @Test
  void numericOptionsMayAcceptExtraWords() {
    OptionSpec batch = OptionSpec.integer("batch", "auto", 1, Double.NaN, "batch size", "auto");
    assertEquals("auto", batch.canonical("auto"));
    assertEquals("8", batch.canonical("8"));
    assertEquals("an integer >= 1, or auto", batch.allowed());
    assertEquals("invalid value 'many' for option batch; allowed: an integer >= 1, or auto", invalid(batch, "many"));
    OptionSpec unbounded = OptionSpec.number("lr", "0.001", Double.NaN, Double.NaN, "learning rate");
    assertEquals("a number", unbounded.allowed());
    assertEquals("-3", unbounded.canonical("-3"));
  }

  @Test
  void declarationsAreChecked() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> OptionSpec.integer("Depth", "34", 1, 200, "depth"));
    assertEquals("option name 'Depth' must be lower-case letters, digits and _", e.getMessage());
    e = assertThrows(MedvisionException.class, () -> OptionSpec.integer("depth", "34", 1, 200, " "));
    assertEquals("option 'depth' needs a description", e.getMessage());
    e = assertThrows(MedvisionException.class, () -> OptionSpec.choice("mode", "a", List.of(), "mode"));
    assertEquals("choice option 'mode' lists no choices", e.getMessage());
    e = assertThrows(MedvisionException.class, () -> OptionSpec.integer("depth", "+34", 1, 200, "depth"));
    assertEquals("option 'depth': default '+34' is not canonical; write '34'", e.getMessage());
    e = assertThrows(MedvisionException.class, () -> OptionSpec.integer("depth", "300", 1, 200, "depth"));
    assertTrue(e.getMessage().startsWith("invalid value '300' for option depth"), e.getMessage());
  }

  @Test
  void factoriesDeclareModelOptionsAndTrainingMovesThemToTraining() {
    assertEquals(OptionSpec.Scope.MODEL, DEPTH.scope());
    assertEquals(OptionType.SIZE, SIZE.type());
    OptionSpec t = SAMPLER.training();
    assertEquals(OptionSpec.Scope.TRAINING, t.scope());
    assertEquals(SAMPLER.choices(), t.choices());
    assertEquals(SAMPLER.defaultValue(), t.defaultValue());
  }
}
