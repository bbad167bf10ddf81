package org.medvision.dicom.iod;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;

/**
 * Writes a {@link CtVolume} as a series of CT Image Storage files, one per slice.
 *
 * <p>Pixels are 16-bit signed; stored value {@code round((HU - intercept) / slope)} with Rescale Intercept 0 and the
 * caller's Rescale Slope, so {@code stored * slope + intercept} is within {@code slope / 2} of the HU written.
 * Geometry: Image Position (Patient) of slice {@code k} is {@code origin + k * sliceSpacing * normal}, one Frame of
 * Reference UID for the series, Pixel Spacing, Slice Thickness, Spacing Between Slices and Slice Location (position
 * along the normal). Window presets go to Window Center, Window Width and the explanations. Files are
 * {@code CT000001.dcm} ... (Instance Number), each written atomically.
 */
public final class CtSeriesWriter {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);

  private final Equipment equipment;
  private final Clock clock;

  /** A writer stamping files with {@code equipment} and the time of {@code clock}. */
  public CtSeriesWriter(Equipment equipment, Clock clock) {
    this.equipment = equipment;
    this.clock = clock;
  }

  /** A writer for medvision and the system clock. */
  public CtSeriesWriter() {
    this(Equipment.MEDVISION, Clock.systemDefaultZone());
  }

  /**
   * Who and what the series belongs to.
   *
   * @param patientName Patient's Name, e.g. {@code SYNTH^0001}
   * @param patientId Patient ID
   * @param studyInstanceUid the study's UID; a new study when null
   * @param studyId Study ID (at most 16 characters)
   * @param studyDescription Study Description
   * @param seriesDescription Series Description
   * @param seriesNumber Series Number
   */
  public record Subject(String patientName, String patientId, String studyInstanceUid, String studyId,
      String studyDescription, String seriesDescription, int seriesNumber) {}

  /**
   * A VOI window preset.
   *
   * @param center Window Center in HU
   * @param width Window Width in HU
   * @param name its explanation, e.g. {@code BRAIN}
   */
  public record Window(double center, double width, String name) {}

  /**
   * Writes the series into {@code dir} (created when absent) and returns the files in slice order.
   *
   * @param rescaleSlope HU per stored unit, e.g. 1.0 or 0.5
   * @throws DicomException when a HU value is not finite or does not fit 16 bits at this slope (naming slice, row
   *     and column), the slope is not positive, or writing fails
   */
  public List<Path> write(Path dir, CtVolume volume, Subject subject, List<Window> windows, double rescaleSlope) {
    if (!(rescaleSlope > 0) || Double.isInfinite(rescaleSlope)) {
      throw new DicomException("rescale slope must be positive and finite, got " + rescaleSlope);
    }
    List<byte[]> pixels = new ArrayList<>();
    for (int k = 0; k < volume.slices().size(); k++) {
      pixels.add(storedValues(volume.slices().get(k), volume.columns(), rescaleSlope, k));
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new DicomException("cannot create series folder " + dir + ": " + e.getMessage(), e);
    }
    ZonedDateTime now = ZonedDateTime.now(clock);
    String study = subject.studyInstanceUid() != null ? subject.studyInstanceUid() : Uids.create();
    String series = Uids.create();
    String frameOfReference = Uids.create();
    double[] normal = volume.normal();
    List<Path> files = new ArrayList<>();
    for (int k = 0; k < pixels.size(); k++) {
      DataSet ds = new DataSet();
      ds.setString(Tags.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
      ds.setString(Tags.PATIENT_NAME, VR.PN, subject.patientName());
      ds.setString(Tags.PATIENT_ID, VR.LO, subject.patientId());
      ds.setString(Tags.PATIENT_BIRTH_DATE, VR.DA);
      ds.setString(Tags.PATIENT_SEX, VR.CS, "O");
      ds.setString(Tags.STUDY_INSTANCE_UID, VR.UI, study);
      ds.setString(Tags.STUDY_DATE, VR.DA, DATE.format(now));
      ds.setString(Tags.STUDY_TIME, VR.TM, TIME.format(now));
      ds.setString(Tags.REFERRING_PHYSICIAN_NAME, VR.PN);
      ds.setString(Tags.STUDY_ID, VR.SH, subject.studyId());
      ds.setString(Tags.ACCESSION_NUMBER, VR.SH);
      ds.setString(Tags.STUDY_DESCRIPTION, VR.LO, subject.studyDescription());
      ds.setString(Tags.MODALITY, VR.CS, "CT");
      ds.setString(Tags.SERIES_INSTANCE_UID, VR.UI, series);
      ds.setInt(Tags.SERIES_NUMBER, VR.IS, subject.seriesNumber());
      ds.setString(Tags.SERIES_DESCRIPTION, VR.LO, subject.seriesDescription());
      ds.setString(Tags.SERIES_DATE, VR.DA, DATE.format(now));
      ds.setString(Tags.SERIES_TIME, VR.TM, TIME.format(now));
      ds.setString(Tags.PATIENT_POSITION, VR.CS, "HFS");
      // Type 2C in General Series; the volume does not say which body part it shows, so laterality is unknown.
      ds.setString(Tags.LATERALITY, VR.CS);
      ds.setString(Tags.FRAME_OF_REFERENCE_UID, VR.UI, frameOfReference);
      ds.setString(Tags.POSITION_REFERENCE_INDICATOR, VR.LO);
      equipment.fill(ds);
      CommonModules.sopCommon(ds, Uids.CT_IMAGE_STORAGE, k + 1, now);
      CommonModules.contentDateTime(ds, now);
      ds.setString(Tags.ACQUISITION_NUMBER, VR.IS, "1");
      ds.setString(Tags.IMAGE_TYPE, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
      ds.setDouble(Tags.KVP, VR.DS, 120);
      double[] position = volume.position(k);
      ds.setDouble(Tags.IMAGE_POSITION_PATIENT, VR.DS, position);
      ds.setDouble(Tags.IMAGE_ORIENTATION_PATIENT, VR.DS, volume.orientation());
      ds.setDouble(Tags.PIXEL_SPACING, VR.DS, volume.rowSpacing(), volume.columnSpacing());
      ds.setDouble(Tags.SLICE_THICKNESS, VR.DS, volume.sliceThickness());
      ds.setDouble(Tags.SPACING_BETWEEN_SLICES, VR.DS, volume.sliceSpacing());
      ds.setDouble(Tags.SLICE_LOCATION, VR.DS, position[0] * normal[0] + position[1] * normal[1]
          + position[2] * normal[2]);
      ds.setInt(Tags.SAMPLES_PER_PIXEL, VR.US, 1);
      ds.setString(Tags.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2");
      ds.setInt(Tags.ROWS, VR.US, volume.rows());
      ds.setInt(Tags.COLUMNS, VR.US, volume.columns());
      ds.setInt(Tags.BITS_ALLOCATED, VR.US, 16);
      ds.setInt(Tags.BITS_STORED, VR.US, 16);
      ds.setInt(Tags.HIGH_BIT, VR.US, 15);
      ds.setInt(Tags.PIXEL_REPRESENTATION, VR.US, 1);
      ds.setDouble(Tags.RESCALE_INTERCEPT, VR.DS, 0);
      ds.setDouble(Tags.RESCALE_SLOPE, VR.DS, rescaleSlope);
      ds.setString(Tags.RESCALE_TYPE, VR.LO, "HU");
      if (!windows.isEmpty()) {
        double[] centers = new double[windows.size()];
        double[] widths = new double[windows.size()];
        String[] names = new String[windows.size()];
        for (int w = 0; w < windows.size(); w++) {
          centers[w] = windows.get(w).center();
          widths[w] = windows.get(w).width();
          names[w] = windows.get(w).name();
        }
        ds.setDouble(Tags.WINDOW_CENTER, VR.DS, centers);
        ds.setDouble(Tags.WINDOW_WIDTH, VR.DS, widths);
        ds.setString(Tags.WINDOW_CENTER_WIDTH_EXPLANATION, VR.LO, names);
      }
      ds.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, pixels.get(k)));
      Path file = dir.resolve(String.format(Locale.ROOT, "CT%06d.dcm", k + 1));
      DicomWriter.writeFile(file, ds);
      files.add(file);
    }
    return files;
  }

  private static byte[] storedValues(float[] hu, int columns, double slope, int slice) {
    ByteBuffer buffer = ByteBuffer.allocate(hu.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < hu.length; i++) {
      double stored = Math.rint(hu[i] / slope);
      if (!(stored >= Short.MIN_VALUE && stored <= Short.MAX_VALUE)) {
        throw new DicomException("HU value " + hu[i] + " of slice " + slice + " at row " + i / columns + ", column "
            + i % columns + " does not fit 16-bit signed pixels at rescale slope " + slope);
      }
      buffer.putShort((short) stored);
    }
    return buffer.array();
  }
}
