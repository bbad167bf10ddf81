package org.medvision.io.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/** Difficulty levels by name and by number. */
class DifficultyTest {
  @Test
  void difficultyParsesNamesAndNumbers() {
    assertEquals(Difficulty.HARD, Difficulty.parse(" Hard "));
    assertEquals(0.25, Difficulty.parse("0.25").level());
    MedvisionException e = assertThrows(MedvisionException.class, () -> Difficulty.parse("extreme"));
    assertTrue(e.getMessage().contains("easy, medium, hard"), e.getMessage());
    assertThrows(MedvisionException.class, () -> Difficulty.parse("1.5"));
  }
}
