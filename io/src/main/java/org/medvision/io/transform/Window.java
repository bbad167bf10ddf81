package org.medvision.io.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Volume;

/**
 * A display (VOI) window: a center and a width in stored-value units (Hounsfield units for CT), with the named CT
 * presets and the three VOI LUT functions of DICOM PS3.3 C.11.2.1.
 *
 * <p>{@link #normalize} maps to [0, 1] with DICOM's LINEAR_EXACT function: {@code center - width / 2} gives 0,
 * {@code center + width / 2} gives 1, linear between and clamped outside. {@link #apply(double, Function, double,
 * double)} offers DICOM's LINEAR function (the default when a file names none, with its half-unit shifts for integer
 * output), LINEAR_EXACT and SIGMOID for any output range.
 *
 * @param center window center (level)
 * @param width window width, positive
 */
public record Window(double center, double width) {
  /** Brain parenchyma, 40/80. */
  public static final Window BRAIN = new Window(40, 80);
  /** Subdural, 80/200: thin blood against the skull. */
  public static final Window SUBDURAL = new Window(80, 200);
  /** Stroke, 40/40: a narrow window that widens grey/white and early infarct contrast. */
  public static final Window STROKE = new Window(40, 40);
  /** Lung, -600/1500. */
  public static final Window LUNG = new Window(-600, 1500);
  /** Mediastinum (soft tissue), 50/350. */
  public static final Window MEDIASTINUM = new Window(50, 350);
  /** Bone, 400/1800. */
  public static final Window BONE = new Window(400, 1800);

  private static final Map<String, Window> PRESETS = presets();

  /** DICOM VOI LUT Function (0028,1056). */
  public enum Function {
    /** PS3.3 C.11.2.1.2.1, the default: linear with the window's ends shifted by half a unit; width at least 1. */
    LINEAR,
    /** PS3.3 C.11.2.1.3.2: exactly linear from {@code center - width/2} to {@code center + width/2}. */
    LINEAR_EXACT,
    /** PS3.3 C.11.2.1.3.1: {@code yMin + (yMax - yMin) / (1 + exp(-4 (x - center) / width))}. */
    SIGMOID;

    /**
     * The function named by a VOI LUT Function value; empty or absent means {@link #LINEAR}.
     *
     * @throws MedvisionException for any other name
     */
    public static Function fromDicom(String value) {
      if (value == null || value.isBlank()) {
        return LINEAR;
      }
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new MedvisionException("unknown VOI LUT Function (0028,1056) '" + value + "'; known: LINEAR, "
            + "LINEAR_EXACT, SIGMOID", e);
      }
    }
  }

  /**
   * Checks the values.
   *
   * @throws MedvisionException if the center is not finite or the width is not positive and finite
   */
  public Window {
    if (!Double.isFinite(center) || !(width > 0) || !Double.isFinite(width)) {
      throw new MedvisionException("a window needs a finite center and a positive width, got center " + center
          + ", width " + width);
    }
  }

  private static Map<String, Window> presets() {
    Map<String, Window> m = new LinkedHashMap<>();
    m.put("brain", BRAIN);
    m.put("subdural", SUBDURAL);
    m.put("stroke", STROKE);
    m.put("lung", LUNG);
    m.put("mediastinum", MEDIASTINUM);
    m.put("bone", BONE);
    return m;
  }

  /** Preset names accepted by {@link #preset}, in a stable order. */
  public static List<String> presetNames() {
    return List.copyOf(PRESETS.keySet());
  }

  /**
   * The preset called {@code name}, case-insensitive.
   *
   * @throws MedvisionException for an unknown name, listing the presets
   */
  public static Window preset(String name) {
    Window w = PRESETS.get(name.trim().toLowerCase(Locale.ROOT));
    if (w == null) {
      throw new MedvisionException("unknown window '" + name + "'; presets: " + String.join(", ", PRESETS.keySet()));
    }
    return w;
  }

  /**
   * The window a file states in Window Center (0028,1050) and Window Width (0028,1051): the first value of each
   * (they may be multi-valued, separated by backslashes), as decimal strings.
   *
   * @param source names the file in messages
   * @throws MedvisionException naming the file and attribute when a value is absent, not a number, or the width is
   *     not positive
   */
  public static Window fromDicom(String windowCenter, String windowWidth, String source) {
    double c = firstValue(windowCenter, "Window Center (0028,1050)", source);
    double w = firstValue(windowWidth, "Window Width (0028,1051)", source);
    if (!(w > 0)) {
      throw new MedvisionException(source + ": Window Width (0028,1051) is " + w + ", must be positive");
    }
    return new Window(c, w);
  }

  private static double firstValue(String value, String attribute, String source) {
    if (value == null || value.isBlank()) {
      throw new MedvisionException(source + ": " + attribute + " is absent or empty");
    }
    String first = value.split("\\\\", -1)[0].trim();
    try {
      double v = Double.parseDouble(first);
      if (!Double.isFinite(v)) {
        throw new NumberFormatException("not finite");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new MedvisionException(source + ": " + attribute + " value '" + first + "' is not a decimal number", e);
    }
  }

  /**
   * The window spanning the smallest to largest finite value, for images that state no window; a constant image gets
   * a width of 1 around its value, and one with no finite value the window 0/1.
   */
  public static Window spanning(float[] values) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float v : values) {
      if (Float.isFinite(v)) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    if (min > max) {
      return new Window(0, 1);
    }
    return new Window((min + max) / 2, Math.max(max - min, 1));
  }

  /**
   * {@code x} mapped to [0, 1] with LINEAR_EXACT: {@code clamp((x - (center - width / 2)) / width, 0, 1)}, so the
   * center maps to exactly 0.5.
   */
  public float normalize(double x) {
    double v = (x - (center - width / 2)) / width;
    return (float) Math.max(0.0, Math.min(1.0, v));
  }

  /** Every value normalised to [0, 1] (see {@link #normalize(double)}), in a new array. */
  public float[] normalize(float[] values) {
    float[] out = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = normalize(values[i]);
    }
    return out;
  }

  /** {@code x} normalised and quantised to 8 bits: {@code round(255 * normalize(x))}, 0..255. */
  public int toByte(double x) {
    return (int) Math.round(255.0 * normalize(x));
  }

  /** Every voxel normalised to [0, 1] (see {@link #normalize}); geometry unchanged. */
  public Volume normalize(Volume volume) {
    return volume.map(this::normalize);
  }

  /**
   * {@code x} through the VOI function onto {@code [yMin, yMax]}.
   *
   * @throws MedvisionException for {@link Function#LINEAR} with a width below 1, which PS3.3 does not allow
   */
  public double apply(double x, Function function, double yMin, double yMax) {
    switch (function) {
      case LINEAR: {
        if (width < 1) {
          throw new MedvisionException("the DICOM LINEAR VOI function needs a window width of at least 1, got "
              + width);
        }
        double lower = center - 0.5 - (width - 1) / 2;
        double upper = center - 0.5 + (width - 1) / 2;
        if (x <= lower) {
          return yMin;
        }
        if (x > upper) {
          return yMax;
        }
        return ((x - (center - 0.5)) / (width - 1) + 0.5) * (yMax - yMin) + yMin;
      }
      case LINEAR_EXACT: {
        if (x <= center - width / 2) {
          return yMin;
        }
        if (x > center + width / 2) {
          return yMax;
        }
        return ((x - center) / width + 0.5) * (yMax - yMin) + yMin;
      }
      case SIGMOID:
        return (yMax - yMin) / (1 + Math.exp(-4 * (x - center) / width)) + yMin;
      default:
        throw new AssertionError(function);
    }
  }
}
