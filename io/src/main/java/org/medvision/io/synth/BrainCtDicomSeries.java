package org.medvision.io.synth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.iod.CtSeriesWriter;
import org.medvision.dicom.iod.CtVolume;
import org.medvision.io.transform.Window;

/**
 * Writes synthetic brain CT slices as real DICOM CT Image series, one series (and one synthetic patient and study)
 * per case.
 *
 * <p>Geometry: a 240 mm square field of view, so pixel spacing is {@code 240 / size} mm; 5 mm slices; axial
 * orientation; the image centre at the origin of the patient coordinate system. Values are stored as 16-bit signed
 * integers with Rescale Slope {@value #RESCALE_SLOPE} and Intercept 0, so the HU read back are within
 * {@code RESCALE_SLOPE / 2} of the phantom's. Window presets: the chosen window first, then brain, subdural and
 * stroke. UIDs and dates are new on every run (a UID names one object), so unlike the PNG output the files are not
 * byte-identical between runs with the same seed; their pixel values are.
 */
public final class BrainCtDicomSeries {
  /** HU per stored unit. */
  public static final double RESCALE_SLOPE = 0.25;
  /** Field of view in mm. */
  public static final double FIELD_OF_VIEW_MM = 240;
  /** Slice thickness and spacing in mm. */
  public static final double SLICE_MM = 5;
  /** Name of the file of the first (for a one-slice case, the only) slice inside a series folder. */
  public static final String FIRST_FILE = "CT000001.dcm";

  private final CtSeriesWriter writer;

  /** A writer using {@code writer} for the files. */
  public BrainCtDicomSeries(CtSeriesWriter writer) {
    this.writer = writer;
  }

  /** A writer with medvision's identity and the system clock. */
  public BrainCtDicomSeries() {
    this(new CtSeriesWriter());
  }

  /**
   * Writes the slices of one case (in order along the slice normal, all of one size) as a series in {@code dir}.
   *
   * @param caseId the patient ID, e.g. {@code synth-0007}; the patient name is {@code SYNTH^<caseId>}
   * @param window the preset listed first in Window Center/Width
   * @return the files, in slice order
   * @throws MedvisionException when there are no slices, sizes differ, or writing fails
   */
  public List<Path> write(Path dir, List<Slice> slices, String caseId, String window) {
    if (slices.isEmpty()) {
      throw new MedvisionException("case " + caseId + " has no slices to write to " + dir);
    }
    int rows = slices.get(0).height();
    int columns = slices.get(0).width();
    List<float[]> hu = new ArrayList<>();
    for (int i = 0; i < slices.size(); i++) {
      Slice s = slices.get(i);
      if (s.height() != rows || s.width() != columns) {
        throw new MedvisionException("case " + caseId + ": slice " + i + " is " + s.height() + "x" + s.width()
            + ", slice 0 is " + rows + "x" + columns);
      }
      hu.add(s.hu());
    }
    double rowSpacing = FIELD_OF_VIEW_MM / rows;
    double columnSpacing = FIELD_OF_VIEW_MM / columns;
    double[] origin = {-(columns - 1) / 2.0 * columnSpacing, -(rows - 1) / 2.0 * rowSpacing, 0};
    CtVolume volume = new CtVolume(rows, columns, hu, rowSpacing, columnSpacing, SLICE_MM, SLICE_MM, origin,
        CtVolume.AXIAL);
    String label = slices.get(0).diagnosis().label();
    CtSeriesWriter.Subject subject = new CtSeriesWriter.Subject("SYNTH^" + caseId, caseId, null,
        shortId(caseId), "synthetic brain CT", "synthetic brain CT (" + label + ")", 1);
    try {
      return writer.write(dir, volume, subject, windows(window), RESCALE_SLOPE);
    } catch (DicomException e) {
      throw new MedvisionException("cannot write case " + caseId + " to " + dir + ": " + e.getMessage(), e);
    }
  }

  private static List<CtSeriesWriter.Window> windows(String first) {
    String chosen = first.trim().toLowerCase(Locale.ROOT);
    Window w = Window.preset(chosen);
    List<CtSeriesWriter.Window> out = new ArrayList<>();
    out.add(new CtSeriesWriter.Window(w.center(), w.width(), chosen.toUpperCase(Locale.ROOT)));
    for (String name : List.of("brain", "subdural", "stroke")) {
      if (!name.equals(chosen)) {
        Window p = Window.preset(name);
        out.add(new CtSeriesWriter.Window(p.center(), p.width(), name.toUpperCase(Locale.ROOT)));
      }
    }
    return out;
  }

  /** Study ID is SH (16 characters): the last 16 characters of the case ID. */
  private static String shortId(String caseId) {
    return caseId.length() <= 16 ? caseId : caseId.substring(caseId.length() - 16);
  }
}
