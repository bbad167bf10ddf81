package org.medvision.io.transform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/** Window presets, DICOM's VOI functions and windows read from file values, against hand-computed numbers. */
class WindowTest {
  @Test
  void presetsHaveTheStatedCentersAndWidths() {
    assertEquals(List.of("brain", "subdural", "stroke", "lung", "mediastinum", "bone"), Window.presetNames());
    assertEquals(new Window(40, 80), Window.preset("brain"));
    assertEquals(new Window(80, 200), Window.preset("Subdural"));
    assertEquals(new Window(40, 40), Window.preset("stroke"));
    assertEquals(new Window(-600, 1500), Window.preset("LUNG"));
    assertEquals(new Window(50, 350), Window.preset("mediastinum"));
    assertEquals(new Window(400, 1800), Window.preset(" bone "));
    MedvisionException e = assertThrows(MedvisionException.class, () -> Window.preset("liver"));
    assertTrue(e.getMessage().contains("liver") && e.getMessage().contains("mediastinum"), e.getMessage());
  }

  @Test
  void normalizeIsLinearExactOntoZeroToOne() {
    Window brain = Window.BRAIN;
    assertEquals(0, brain.normalize(0), 0);
    assertEquals(0.25, brain.normalize(20), 1e-7);
    assertEquals(0.5, brain.normalize(40), 0);
    assertEquals(1, brain.normalize(80), 0);
    assertEquals(1, brain.normalize(1000), 0);
    // Lung: -600 +- 750 -> [-1350, 150]; -1000 is (350 / 1500) = 0.2333 of the way.
    assertEquals(350.0 / 1500, Window.LUNG.normalize(-1000), 1e-7);
    Volume v = Volume.copyOf(new int[] {2, 1, 1}, new float[] {-1024, 60}, Affine.identity());
    float[] out = Window.BRAIN.normalize(v).toArray();
    assertEquals(0, out[0], 0);
    assertEquals(0.75, out[1], 1e-7);
  }

  @Test
  void arraysAndBytesFollowNormalize() {
    // stroke 40/40: lower end 20 HU; 30 HU is a quarter of the way; 40 HU is the centre, 0.5 -> round(127.5) = 128.
    assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 1f}, Window.STROKE.normalize(new float[] {-1000, 30, 40, 1500}),
        0f);
    assertEquals(128, Window.BRAIN.toByte(40));
    assertEquals(0, Window.BRAIN.toByte(-1000));
    assertEquals(255, Window.BRAIN.toByte(80));
    assertEquals(64, Window.BRAIN.toByte(20)); // round(63.75)
  }

  @Test
  void spanningCoversTheFiniteRange() {
    assertEquals(new Window(5, 10), Window.spanning(new float[] {0, 10, Float.NaN, 3}));
    assertEquals(new Window(7, 1), Window.spanning(new float[] {7, 7}));
    assertEquals(new Window(0, 1), Window.spanning(new float[] {Float.NaN}));
  }

  @Test
  void dicomLinearFunctionFollowsPs33() {
    // c = 40, w = 80, output 0..255: below c - 0.5 - 39.5 = 0 -> 0; above c - 0.5 + 39.5 = 79 -> 255;
    // between, ((x - 39.5) / 79 + 0.5) * 255.
    Window w = new Window(40, 80);
    assertEquals(0, w.apply(0, Window.Function.LINEAR, 0, 255), 0);
    assertEquals(255, w.apply(79.5, Window.Function.LINEAR, 0, 255), 0);
    assertEquals((0.5 / 79 + 0.5) * 255, w.apply(40, Window.Function.LINEAR, 0, 255), 1e-12);
    assertEquals((-19.5 / 79 + 0.5) * 255, w.apply(20, Window.Function.LINEAR, 0, 255), 1e-12);
    assertEquals(255, w.apply(79, Window.Function.LINEAR, 0, 255), 1e-12, "x = 79 is the top of the ramp");
    // Width 1 is a threshold at c - 0.5.
    Window threshold = new Window(100, 1);
    assertEquals(0, threshold.apply(99.5, Window.Function.LINEAR, 0, 1), 0);
    assertEquals(1, threshold.apply(99.6, Window.Function.LINEAR, 0, 1), 0);
    assertThrows(MedvisionException.class, () -> new Window(0, 0.5).apply(0, Window.Function.LINEAR, 0, 1));
  }

  @Test
  void sigmoidAndLinearExactFunctions() {
    Window w = new Window(40, 80);
    assertEquals(127.5, w.apply(40, Window.Function.SIGMOID, 0, 255), 1e-12);
    // One half-width above the center: 1 / (1 + e^-2).
    assertEquals(1 / (1 + Math.exp(-2)), w.apply(80, Window.Function.SIGMOID, 0, 1), 1e-12);
    assertEquals(-1 + 2 * 0.625, w.apply(50, Window.Function.LINEAR_EXACT, -1, 1), 1e-12);
    assertEquals(Window.Function.LINEAR, Window.Function.fromDicom(""));
    assertEquals(Window.Function.SIGMOID, Window.Function.fromDicom("SIGMOID "));
    assertThrows(MedvisionException.class, () -> Window.Function.fromDicom("LOG"));
  }

  @Test
  void windowFromFileTakesTheFirstValue() {
    assertEquals(new Window(40, 400), Window.fromDicom(" 40\\300", "400\\1500 ", "ct.dcm"));
    assertEquals(new Window(-600.5, 1500), Window.fromDicom("-600.5", "1.5E3", "ct.dcm"));
    MedvisionException absent = assertThrows(MedvisionException.class, () -> Window.fromDicom(null, "80", "a.dcm"));
    assertTrue(absent.getMessage().contains("a.dcm") && absent.getMessage().contains("(0028,1050)"),
        absent.getMessage());
    MedvisionException text = assertThrows(MedvisionException.class, () -> Window.fromDicom("40", "wide", "b.dcm"));
    assertTrue(text.getMessage().contains("b.dcm") && text.getMessage().contains("'wide'"), text.getMessage());
    MedvisionException zero = assertThrows(MedvisionException.class, () -> Window.fromDicom("40", "0", "c.dcm"));
    assertTrue(zero.getMessage().contains("c.dcm"), zero.getMessage());
  }
}
