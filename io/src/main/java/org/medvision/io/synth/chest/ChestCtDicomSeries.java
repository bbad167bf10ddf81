package org.medvision.io.synth.chest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;
import org.medvision.dicom.iod.Equipment;

/**
 * Writes a {@link ChestCtScan} as a DICOM CT Image Storage series, one Part-10 file per slice, that reads back to the
 * same HU on the same grid.
 *
 * <p>Pixels are unsigned 16-bit words with 12 bits stored, {@code stored = HU + 1024}, Rescale Intercept -1024 and
 * Slope 1, as many scanners write them; the phantom's HU are whole numbers in -1024..3071, so they round-trip exactly.
 * Geometry: Image Orientation (Patient) {@code 1\0\0\0\1\0}, Image Position (Patient) of slice {@code k} the LPS
 * centre of its first voxel, Pixel Spacing, Slice Thickness and Spacing Between Slices from the
 * {@link ScanGeometry}, one Frame of Reference per scan. Window presets: lung (-600/1500), then mediastinum (40/400).
 *
 * <p>Unlike {@link org.medvision.dicom.iod.CtSeriesWriter}, which stamps new UIDs and the current time, everything
 * here is derived from the set's seed and the case: UIDs are {@code 2.25} UIDs of name-based UUIDs of
 * {@code "medvision synth chest-ct <seed> <case> <object>"}, the study date is 2020-03-01 plus a few days per patient
 * (two weeks later for a follow-up), so the same seed writes the same bytes and different seeds different UIDs. The
 * series carries no hint of its class.
 */
final class ChestCtDicomSeries {
  /** Name of the file of slice {@code k} (0-based) is {@code CT%06d.dcm} of {@code k + 1}. */
  static final String FILE_PATTERN = "CT%06d.dcm";
  /** Rescale Intercept: stored values are HU + 1024. */
  static final int INTERCEPT = -1024;

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);
  private static final LocalDateTime FIRST_STUDY = LocalDateTime.of(2020, 3, 1, 8, 0);

  private final long seed;

  /** A writer for a set drawn with {@code seed}. */
  ChestCtDicomSeries(long seed) {
    this.seed = seed;
  }

  /**
   * Writes {@code scan}, planned as {@code plan}, into {@code dir} (created) and returns the files in slice order.
   *
   * @throws MedvisionException if writing fails
   */
  List<Path> write(Path dir, ChestCtCase plan, ChestCtScan scan) {
    ScanGeometry g = scan.geometry();
    LocalDateTime when = FIRST_STUDY.plusDays(3L * (plan.patientIndex() % 40) + 14L * (plan.scanNumber() - 1))
        .plusMinutes(7L * (plan.patientIndex() % 60));
    String study = uid(plan, "study");
    String series = uid(plan, "series");
    String frameOfReference = uid(plan, "frame-of-reference");
    List<Path> files = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      for (int k = 0; k < g.slices(); k++) {
        DataSet ds = new DataSet();
        ds.setString(Tags.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        ds.setString(Tags.SOP_CLASS_UID, VR.UI, Uids.CT_IMAGE_STORAGE);
        ds.setString(Tags.SOP_INSTANCE_UID, VR.UI, uid(plan, "slice " + k));
        ds.setString(Tags.INSTANCE_CREATION_DATE, VR.DA, DATE.format(when));
        ds.setString(Tags.INSTANCE_CREATION_TIME, VR.TM, TIME.format(when));
        patientAndStudy(ds, plan, study, when);
        ds.setString(Tags.MODALITY, VR.CS, "CT");
        ds.setString(Tags.SERIES_INSTANCE_UID, VR.UI, series);
        ds.setInt(Tags.SERIES_NUMBER, VR.IS, 1);
        ds.setString(Tags.SERIES_DESCRIPTION, VR.LO, "synthetic chest CT");
        ds.setString(Tags.SERIES_DATE, VR.DA, DATE.format(when));
        ds.setString(Tags.SERIES_TIME, VR.TM, TIME.format(when));
        ds.setString(Tags.BODY_PART_EXAMINED, VR.CS, "CHEST");
        ds.setString(Tags.PATIENT_POSITION, VR.CS, "HFS");
        // No Laterality: the chest is an unpaired body part, for which General Series wants it absent.
        ds.setString(Tags.FRAME_OF_REFERENCE_UID, VR.UI, frameOfReference);
        ds.setString(Tags.POSITION_REFERENCE_INDICATOR, VR.LO);
        Equipment.MEDVISION.fill(ds);
        ds.setString(Tags.CONTENT_DATE, VR.DA, DATE.format(when));
        ds.setString(Tags.CONTENT_TIME, VR.TM, TIME.format(when));
        ds.setInt(Tags.INSTANCE_NUMBER, VR.IS, k + 1);
        ds.setString(Tags.ACQUISITION_NUMBER, VR.IS, "1");
        ds.setString(Tags.IMAGE_TYPE, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        ds.setDouble(Tags.KVP, VR.DS, 120);
        ds.setString(Tags.CONVOLUTION_KERNEL, VR.SH, "SOFT");
        geometry(ds, g, k);
        pixels(ds, scan, k);
        Path file = dir.resolve(String.format(Locale.ROOT, FILE_PATTERN, k + 1));
        DicomWriter.writeFile(file, ds);
        files.add(file);
      }
    } catch (IOException | DicomException e) {
      throw new MedvisionException("cannot write the DICOM series of " + plan.caseId() + " to " + dir + ": "
          + e.getMessage(), e);
    }
    return files;
  }

  private String uid(ChestCtCase plan, String object) {
    String name = "medvision synth chest-ct " + seed + " " + plan.caseId() + " " + object;
    return Uids.fromUuid(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }

  private static void patientAndStudy(DataSet ds, ChestCtCase plan, String study, LocalDateTime when) {
    ds.setString(Tags.PATIENT_NAME, VR.PN, "SYNTH^" + plan.patientId().toUpperCase(Locale.ROOT));
    ds.setString(Tags.PATIENT_ID, VR.LO, plan.patientId());
    ds.setString(Tags.PATIENT_BIRTH_DATE, VR.DA);
    ds.setString(Tags.PATIENT_SEX, VR.CS, "O");
    ds.setString(Tags.STUDY_INSTANCE_UID, VR.UI, study);
    ds.setString(Tags.STUDY_DATE, VR.DA, DATE.format(when));
    ds.setString(Tags.STUDY_TIME, VR.TM, TIME.format(when));
    ds.setString(Tags.REFERRING_PHYSICIAN_NAME, VR.PN);
    ds.setString(Tags.STUDY_ID, VR.SH, plan.caseId().length() <= 16 ? plan.caseId()
        : plan.caseId().substring(plan.caseId().length() - 16));
    ds.setString(Tags.ACCESSION_NUMBER, VR.SH);
    ds.setString(Tags.STUDY_DESCRIPTION, VR.LO, "synthetic chest CT");
  }

  private static void geometry(DataSet ds, ScanGeometry g, int k) {
    double z = g.z(k);
    ds.setDouble(Tags.IMAGE_POSITION_PATIENT, VR.DS, g.originX(), g.originY(), z);
    ds.setDouble(Tags.IMAGE_ORIENTATION_PATIENT, VR.DS, 1, 0, 0, 0, 1, 0);
    ds.setDouble(Tags.PIXEL_SPACING, VR.DS, g.pixelSpacing(), g.pixelSpacing());
    ds.setDouble(Tags.SLICE_THICKNESS, VR.DS, g.sliceSpacing());
    ds.setDouble(Tags.SPACING_BETWEEN_SLICES, VR.DS, g.sliceSpacing());
    ds.setDouble(Tags.SLICE_LOCATION, VR.DS, z);
  }

  private static void pixels(DataSet ds, ChestCtScan scan, int k) {
    int n = scan.geometry().size();
    ds.setInt(Tags.SAMPLES_PER_PIXEL, VR.US, 1);
    ds.setString(Tags.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2");
    ds.setInt(Tags.ROWS, VR.US, n);
    ds.setInt(Tags.COLUMNS, VR.US, n);
    ds.setInt(Tags.BITS_ALLOCATED, VR.US, 16);
    ds.setInt(Tags.BITS_STORED, VR.US, 12);
    ds.setInt(Tags.HIGH_BIT, VR.US, 11);
    ds.setInt(Tags.PIXEL_REPRESENTATION, VR.US, 0);
    ds.setDouble(Tags.RESCALE_INTERCEPT, VR.DS, INTERCEPT);
    ds.setDouble(Tags.RESCALE_SLOPE, VR.DS, 1);
    ds.setString(Tags.RESCALE_TYPE, VR.LO, "HU");
    ds.setDouble(Tags.WINDOW_CENTER, VR.DS, -600, 40);
    ds.setDouble(Tags.WINDOW_WIDTH, VR.DS, 1500, 400);
    ds.setString(Tags.WINDOW_CENTER_WIDTH_EXPLANATION, VR.LO, "LUNG", "MEDIASTINUM");
    ByteBuffer buffer = ByteBuffer.allocate(2 * n * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int j = 0; j < n; j++) {
      for (int i = 0; i < n; i++) {
        buffer.putShort((short) (scan.hu(i, j, k) - INTERCEPT));
      }
    }
    ds.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, buffer.array()));
  }
}
