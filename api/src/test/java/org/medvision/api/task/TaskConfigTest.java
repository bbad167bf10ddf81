package org.medvision.api.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.registry.UnknownNameException;

class TaskConfigTest {
  private static final List<String> VARIANTS = List.of("resnet18", "resnet34");
  private static final List<OptionSpec> SPECS = List.of(
      OptionSpec.size("size", "32x64x64", 8, 512, "input size"),
      OptionSpec.integer("classes", "2", 2, 10, "number of classes"),
      OptionSpec.choice("sampler", "uniform", List.of("uniform", "size-balanced"), "epoch sampler").training(),
      OptionSpec.number("attention_weight", "1", 0, Double.NaN, "weight of the attention loss").training(),
      new OptionSpec("pretrained", OptionType.BOOLEAN, "true", List.of(), Double.NaN, Double.NaN,
          OptionSpec.Scope.MODEL, "start from a backbone checkpoint"));

  private static TaskConfig resolve(String variant, Map<String, String> overrides) {
    return TaskConfig.resolve("covid-dsa", VARIANTS, variant, SPECS, overrides);
  }

  @Test
  void defaultsAreFilledAndOverridesCanonicalised() {
    TaskConfig c = resolve("resnet34", Map.of("size", "16X32x32", "sampler", "Size-Balanced"));
    assertEquals("resnet34", c.variant());
    assertEquals(Map.of("size", "16x32x32", "classes", "2", "sampler", "size-balanced", "attention_weight", "1",
        "pretrained", "true"), c.options());
    // Options are kept in name order, whatever order the task declares them in.
    assertEquals(List.of("attention_weight", "classes", "pretrained", "sampler", "size"),
        List.copyOf(c.options().keySet()));
    assertEquals("resnet34 attention_weight=1 classes=2 pretrained=true sampler=size-balanced size=16x32x32",
        c.toString());
  }

  @Test
  void configurationsAreEqualExactlyWhenTheyBuildAndTrainTheSame() {
    assertEquals(resolve("resnet18", Map.of("classes", "+3")), resolve("resnet18", Map.of("classes", "3")));
    assertEquals(resolve("resnet18", Map.of()), resolve("resnet18", Map.of("classes", "2")));
    assertNotEquals(resolve("resnet18", Map.of()), resolve("resnet34", Map.of()));
    assertNotEquals(resolve("resnet18", Map.of()), resolve("resnet18", Map.of("pretrained", "false")));
  }

  @Test
  void typedAccessors() {
    TaskConfig c = resolve("resnet18", Map.of("attention_weight", "0.25", "pretrained", "FALSE"));
    assertArrayEquals(new int[] {32, 64, 64}, c.sizeOption("size"));
    assertEquals(2, c.intOption("classes"));
    assertEquals(0.25, c.numberOption("attention_weight"));
    assertEquals(false, c.booleanOption("pretrained"));
    MedvisionException e = assertThrows(MedvisionException.class, () -> c.option("depth"));
    assertTrue(e.getMessage().startsWith("no option 'depth' in configuration resnet18 "), e.getMessage());
  }

  @Test
  void unknownVariantsAndOptionsListTheValidOnes() {
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> resolve("resnet50", Map.of()));
    assertEquals("unknown covid-dsa variant 'resnet50'; available: resnet18, resnet34", e.getMessage());
    e = assertThrows(UnknownNameException.class, () -> resolve("resnet18", Map.of("sizes", "32x32x32")));
    assertEquals("unknown covid-dsa option 'sizes'; available: size, classes, sampler, attention_weight, pretrained",
        e.getMessage());
    assertEquals(List.of("size", "classes", "sampler", "attention_weight", "pretrained"), e.available());
    e = assertThrows(UnknownNameException.class,
        () -> TaskConfig.resolve("tiny", List.of("8"), "8", List.of(), Map.of("size", "3")));
    assertEquals("unknown tiny option 'size'; available: (none). this task has no options", e.getMessage());
  }

  @Test
  void anInvalidValueNamesTheTaskOptionAndWhatIsAllowed() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> resolve("resnet18", Map.of("classes", "1")));
    assertEquals("covid-dsa: invalid value '1' for option classes; allowed: an integer >= 2, <= 10", e.getMessage());
    e = assertThrows(MedvisionException.class, () -> resolve("resnet18", Map.of("sampler", "balanced")));
    assertEquals("covid-dsa: invalid value 'balanced' for option sampler; allowed: one of uniform, size-balanced",
        e.getMessage());
  }

  @Test
  void optionsFilterByScope() {
    TaskConfig c = resolve("resnet18", Map.of("sampler", "size-balanced"));
    assertEquals(Map.of("size", "32x64x64", "classes", "2", "pretrained", "true"),
        c.options(SPECS, OptionSpec.Scope.MODEL));
    assertEquals(Map.of("sampler", "size-balanced", "attention_weight", "1"),
        c.options(SPECS, OptionSpec.Scope.TRAINING));
  }

  @Test
  void providersConfigureThroughResolve() {
    TaskProvider provider = new TaskProvider() {
      @Override
      public String name() {
        return "covid-dsa";
      }

      @Override
      public String citation() {
        return "a paper";
      }

      @Override
      public List<String> variants() {
        return VARIANTS;
      }

      @Override
      public String defaultVariant() {
        return "resnet34";
      }

      @Override
      public List<OptionSpec> options() {
        return SPECS;
      }

      @Override
      public Task create(TaskConfig config) {
        throw new UnsupportedOperationException();
      }
    };
    assertEquals(resolve("resnet34", Map.of()), provider.defaultConfig());
    assertEquals(resolve("resnet18", Map.of("classes", "4")), provider.configure("resnet18", Map.of("classes", "04")));
    assertThrows(UnknownNameException.class, () -> provider.configure("resnet50", Map.of()));
    // with and withVariant do not re-validate; resolving again does.
    TaskConfig edited = provider.defaultConfig().with("classes", "11");
    assertEquals("11", edited.option("classes"));
    assertThrows(MedvisionException.class, () -> provider.configure(edited.variant(), edited.options()));
  }
}
