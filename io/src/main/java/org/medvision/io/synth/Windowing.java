package org.medvision.io.synth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.MedvisionException;

/**
 * A CT display window: Hounsfield units to intensities in [0, 1].
 *
 * <p>The map is linear from {@code center - width / 2} (0) to {@code center + width / 2} (1) and clamped outside, so
 * the center maps to exactly 0.5. (DICOM PS3.3 C.11.2.1.2 shifts both ends by half a unit for integer output; for
 * float output that shift only blurs the simple statement above, so it is not applied.)
 *
 * @param center window level in HU
 * @param width window width in HU, positive
 */
public record Windowing(double center, double width) {
  /** Brain (parenchyma) window, level 40, width 80. */
  public static final Windowing BRAIN = new Windowing(40, 80);
  /** Narrow stroke window, level 40, width 40, which widens the grey/white and infarct contrast. */
  public static final Windowing STROKE = new Windowing(40, 40);
  /** Subdural window, level 80, width 200, which separates thin blood from the skull. */
  public static final Windowing SUBDURAL = new Windowing(80, 200);

  private static final Map<String, Windowing> PRESETS = presets();

  /**
   * Checks the width.
   *
   * @throws MedvisionException if the width is not positive and finite or the center is not finite
   */
  public Windowing {
    if (!(width > 0) || !Double.isFinite(width) || !Double.isFinite(center)) {
      throw new MedvisionException("a CT window needs a finite center and a positive width, got center " + center
          + ", width " + width);
    }
  }

  private static Map<String, Windowing> presets() {
    Map<String, Windowing> m = new LinkedHashMap<>();
    m.put("brain", BRAIN);
    m.put("stroke", STROKE);
    m.put("subdural", SUBDURAL);
    return m;
  }

  /** Preset names accepted by {@link #preset}, in a stable order. */
  public static List<String> presetNames() {
    return List.copyOf(PRESETS.keySet());
  }

  /**
   * The preset called {@code name} (case-insensitive).
   *
   * @throws MedvisionException for an unknown name, listing the presets
   */
  public static Windowing preset(String name) {
    Windowing w = PRESETS.get(name.trim().toLowerCase(Locale.ROOT));
    if (w == null) {
      throw new MedvisionException("unknown CT window '" + name + "'; presets: " + String.join(", ", PRESETS.keySet()));
    }
    return w;
  }

  /** {@code hu} windowed to [0, 1]. */
  public float apply(double hu) {
    double v = (hu - (center - width / 2)) / width;
    return (float) Math.max(0.0, Math.min(1.0, v));
  }

  /** Every value of {@code hu} windowed to [0, 1], in a new array. */
  public float[] apply(float[] hu) {
    float[] out = new float[hu.length];
    for (int i = 0; i < hu.length; i++) {
      out[i] = apply(hu[i]);
    }
    return out;
  }

  /** {@code hu} windowed and quantised to 8 bits: {@code round(255 * apply(hu))}, 0..255. */
  public int toByte(double hu) {
    return (int) Math.round(255.0 * apply(hu));
  }
}
