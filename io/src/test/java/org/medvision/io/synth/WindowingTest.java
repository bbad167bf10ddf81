package org.medvision.io.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/** Window ends and centres computed by hand: lower = center - width / 2, value = (hu - lower) / width. */
class WindowingTest {
  private static final float EXACT = 1e-7f;

  @Test
  void brainWindowMapsFortyToHalfAndClamps() {
    Windowing w = Windowing.preset("brain");
    assertEquals(0.5f, w.apply(40), EXACT);
    assertEquals(0f, w.apply(0), EXACT);
    assertEquals(1f, w.apply(80), EXACT);
    assertEquals(0.25f, w.apply(20), EXACT);
    assertEquals(0f, w.apply(-1000), EXACT);
    assertEquals(1f, w.apply(1500), EXACT);
    assertEquals(128, w.toByte(40)); // round(127.5) = 128
  }

  @Test
  void strokeAndSubduralPresets() {
    assertEquals(0f, Windowing.preset("STROKE").apply(20), EXACT);
    assertEquals(0.25f, Windowing.STROKE.apply(30), EXACT);
    assertEquals(1f, Windowing.STROKE.apply(60), EXACT);
    assertEquals(0f, Windowing.SUBDURAL.apply(-20), EXACT);
    assertEquals(0.5f, Windowing.SUBDURAL.apply(80), EXACT);
    assertEquals(1f, Windowing.SUBDURAL.apply(180), EXACT);
  }

  @Test
  void unknownPresetListsThePresets() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> Windowing.preset("lung"));
    assertTrue(e.getMessage().contains("'lung'") && e.getMessage().contains("brain, stroke, subdural"),
        e.getMessage());
    assertThrows(MedvisionException.class, () -> new Windowing(40, 0));
  }

  @Test
  void difficultyParsesNamesAndNumbers() {
    assertEquals(Difficulty.HARD, Difficulty.parse(" Hard "));
    assertEquals(0.25, Difficulty.parse("0.25").level());
    MedvisionException e = assertThrows(MedvisionException.class, () -> Difficulty.parse("extreme"));
    assertTrue(e.getMessage().contains("easy, medium, hard"), e.getMessage());
    assertThrows(MedvisionException.class, () -> Difficulty.parse("1.5"));
  }
}
