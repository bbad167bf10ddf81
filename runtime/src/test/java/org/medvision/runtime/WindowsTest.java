package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Windowing;

class WindowsTest {
  @Test
  void presetsNumbersAndTheTwoRulesAreRead() {
    assertEquals(Windowing.fixed(40, 80), Windows.parse("brain"));
    assertEquals(Windowing.fixed(-600, 1500), Windows.parse(" Lung "));
    assertEquals(Windowing.fixed(-600, 1500), Windows.parse("-600/1500"));
    assertEquals(Windowing.fixed(40.5, 80), Windows.parse(" 40.5 / 80 "));
    assertEquals(Windowing.file(), Windows.parse("FILE"));
    assertEquals(Windowing.range(), Windows.parse("range"));
    assertNull(Windows.parse(null));
    assertNull(Windows.parse("  "));
    assertEquals(new org.medvision.io.transform.Window(40, 80), Windows.window(Windows.parse("brain")));
  }

  @Test
  void anUnknownWordListsThePresetsAndTheOtherForms() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> Windows.parse("sideways"));
    assertTrue(e.getMessage().startsWith("window 'sideways'"), e.getMessage());
    for (String accepted : new String[] {"brain", "subdural", "lung", "bone", "CENTER/WIDTH", "'file'", "'range'"}) {
      assertTrue(e.getMessage().contains(accepted), accepted + " in: " + e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"40/0", "40/-80", "40/", "/80", "forty/80", "40/80/3", "1e999/80", "40/1e999", "NaN/80"})
  void aWindowThatIsNoFinitePositiveCenterAndWidthIsRefusedQuotingIt(String text) {
    MedvisionException e = assertThrows(MedvisionException.class, () -> Windows.parse(text));
    assertTrue(e.getMessage().startsWith("window '" + text + "'"), e.getMessage());
  }
}
