package org.medvision.dicom.iod;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;

/**
 * Writes a heat map blended over its source slice as a Multi-frame True Color Secondary Capture image (one frame).
 *
 * <p>Why this SOP class rather than the older SC Image Storage: its IOD is defined for exactly what we produce
 * (8-bit RGB, {@code PLANAR CONFIGURATION 0}) and makes Burned In Annotation and the frame structure explicit, so a
 * validator checks our pixel description against the class; SC Image Storage accepts any photometry and says less.
 *
 * <p>The object is a new series ({@value #SERIES_NUMBER}, modality OT) in the source's study; Patient and General
 * Study come from the source; the source slice is referenced in Source Image Sequence with purpose (121322, DCM,
 * "Source image for image processing operation"). No text is burned in, so Burned In Annotation is NO.
 */
public final class SecondaryCaptureWriter {
  /** Series Number of the overlay series. */
  public static final int SERIES_NUMBER = 9001;

  private final Equipment equipment;
  private final Clock clock;

  /** A writer stamping objects with {@code equipment} and the time of {@code clock}. */
  public SecondaryCaptureWriter(Equipment equipment, Clock clock) {
    this.equipment = equipment;
    this.clock = clock;
  }

  /** A writer for medvision and the system clock. */
  public SecondaryCaptureWriter() {
    this(Equipment.MEDVISION, Clock.systemDefaultZone());
  }

  /**
   * Builds the overlay object.
   *
   * @param source the source image's data set (its Rows and Columns give the output size)
   * @param grey the source slice already windowed to 8 bits, {@code Rows * Columns}, row-major
   * @param heat heat map values in [0, 1], {@code heatRows * heatColumns}, row-major
   * @param overlay colour map and opacity
   * @param description Series Description and Derivation Description, e.g. the task and map kind
   * @throws DicomException when the grey image does not match the source's size, a heat value is invalid, or the
   *     source lacks Rows, Columns or an identifying UID (the message names it)
   */
  public DataSet build(DataSet source, byte[] grey, float[] heat, int heatRows, int heatColumns,
      HeatMapOverlay overlay, String description) {
    SopReference ref = SopReference.of(source);
    int rows = source.getInt(Tags.ROWS);
    int columns = source.getInt(Tags.COLUMNS);
    if (grey.length != rows * columns) {
      throw new DicomException("windowed slice has " + grey.length + " pixels but source " + ref.describe()
          + " is " + rows + "x" + columns);
    }
    byte[] rgb = overlay.blend(grey, rows, columns, heat, heatRows, heatColumns);
    ZonedDateTime now = ZonedDateTime.now(clock);
    DataSet out = new DataSet();
    CommonModules.copyPatientAndStudy(source, out);
    CommonModules.newSeries(out, "OT", SERIES_NUMBER, description, now);
    CommonModules.laterality(source, out);
    equipment.fill(out);
    out.setString(Tags.CONVERSION_TYPE, VR.CS, "WSD");
    CommonModules.sopCommon(out, Uids.MULTIFRAME_TRUE_COLOR_SC_IMAGE_STORAGE, 1, now);
    CommonModules.contentDateTime(out, now);
    out.setString(Tags.IMAGE_TYPE, VR.CS, "DERIVED", "SECONDARY");
    out.setString(Tags.PATIENT_ORIENTATION, VR.CS);
    out.setString(Tags.DERIVATION_DESCRIPTION, VR.ST, description + "; heat map resized bilinearly, 'hot' colour "
        + "map, opacity " + overlay.opacity() + " x heat");
    DataSet sourceItem = out.addItem(Tags.SOURCE_IMAGE_SEQUENCE);
    ref.fill(sourceItem);
    Code.dcm("121322", "Source image for image processing operation")
        .addTo(sourceItem, Tags.PURPOSE_OF_REFERENCE_CODE_SEQUENCE);
    out.setString(Tags.BURNED_IN_ANNOTATION, VR.CS, "NO");
    out.setString(Tags.LOSSY_IMAGE_COMPRESSION, VR.CS, "00");
    out.setInt(Tags.NUMBER_OF_FRAMES, VR.IS, 1);
    out.setInt(Tags.SAMPLES_PER_PIXEL, VR.US, 3);
    out.setString(Tags.PHOTOMETRIC_INTERPRETATION, VR.CS, "RGB");
    out.setInt(Tags.PLANAR_CONFIGURATION, VR.US, 0);
    out.setInt(Tags.ROWS, VR.US, rows);
    out.setInt(Tags.COLUMNS, VR.US, columns);
    out.setInt(Tags.BITS_ALLOCATED, VR.US, 8);
    out.setInt(Tags.BITS_STORED, VR.US, 8);
    out.setInt(Tags.HIGH_BIT, VR.US, 7);
    out.setInt(Tags.PIXEL_REPRESENTATION, VR.US, 0);
    out.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OB, rgb));
    return out;
  }

  /**
   * Builds the overlay object (see {@link #build}) and writes it atomically to {@code file}.
   *
   * @return the data set written
   */
  public DataSet write(Path file, DataSet source, byte[] grey, float[] heat, int heatRows, int heatColumns,
      HeatMapOverlay overlay, String description) {
    DataSet out = build(source, grey, heat, heatRows, heatColumns, overlay, description);
    DicomWriter.writeFile(file, out);
    return out;
  }
}
