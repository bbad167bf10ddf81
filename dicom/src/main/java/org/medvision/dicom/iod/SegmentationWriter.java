package org.medvision.dicom.iod;

import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tag;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;

/**
 * Writes binary segments over a set of single-frame source images (e.g. the slices of a CT series) as a DICOM
 * Segmentation (SEG) object.
 *
 * <p>Frames: one per (segment, source image), segment by segment, and within a segment in the order of the sources'
 * positions along the slice normal. Pixel data is 1-bit packed ({@link BitPacking}). Functional groups: shared Pixel
 * Measures (from the first source) and Plane Orientation; per frame Derivation Image (the source, purpose (121322,
 * DCM, "Source image for image processing operation"), derivation (113076, DCM, "Segmentation")), Frame Content with
 * Dimension Index Values, Plane Position and Segment Identification. The dimensions are Referenced Segment Number
 * then Image Position (Patient). Every source must share Rows, Columns, Image Orientation (Patient), Pixel Spacing
 * and Frame of Reference UID with the first.
 *
 * <p>The algorithm is identified per segment by Segment Algorithm Type AUTOMATIC, Segment Algorithm Name and the
 * Segmentation Algorithm Identification Sequence (family (DEEPLEARNING, 99MEDVISION, "Deep learning model"), name,
 * version).
 */
public final class SegmentationWriter {
  /** Series Number of the segmentation series. */
  public static final int SERIES_NUMBER = 9003;

  // (0066,xxxx) Algorithm Identification macro attributes, absent from our dictionary so far.
  private static final int ALGORITHM_FAMILY_CODE_SEQUENCE = 0x0066002F;
  private static final int ALGORITHM_VERSION = 0x00660031;
  private static final int ALGORITHM_NAME = 0x00660036;

  private final Equipment equipment;
  private final Clock clock;

  /** A writer stamping objects with {@code equipment} and the time of {@code clock}. */
  public SegmentationWriter(Equipment equipment, Clock clock) {
    this.equipment = equipment;
    this.clock = clock;
  }

  /** A writer for medvision and the system clock. */
  public SegmentationWriter() {
    this(Equipment.MEDVISION, Clock.systemDefaultZone());
  }

  /**
   * The model that made the segments.
   *
   * @param name algorithm name, e.g. the task's registry name
   * @param version algorithm version
   */
  public record Algorithm(String name, String version) {}

  /**
   * Builds the SEG object.
   *
   * @param sources single-frame source images, all in one study and one frame of reference
   * @param segments the segments, each with one mask per source
   * @param algorithm the model that made them
   * @param label Content Label (upper case letters, digits, space, underscore; at most 16 characters)
   * @throws DicomException naming the source or segment that does not fit: missing geometry, a differing size or
   *     orientation, or a mask of the wrong length
   */
  public DataSet build(List<DataSet> sources, List<Segment> segments, Algorithm algorithm, String label) {
    String what = "SEG " + label;
    Map<String, List<SopReference>> bySeries = CommonModules.bySeries(sources, what);
    if (segments.isEmpty()) {
      throw new DicomException(what + " needs at least one segment");
    }
    if (!label.matches("[A-Z0-9_ ]{1,16}")) {
      throw new DicomException(what + ": content label must be 1 to 16 upper-case letters, digits, '_' or ' '");
    }
    DataSet first = sources.get(0);
    int rows = first.getInt(Tags.ROWS);
    int columns = first.getInt(Tags.COLUMNS);
    double[] orientation = geometry(first, Tags.IMAGE_ORIENTATION_PATIENT, 6);
    double[] spacing = geometry(first, Tags.PIXEL_SPACING, 2);
    String frameOfReference = first.getString(Tags.FRAME_OF_REFERENCE_UID);
    double[] normal = cross(orientation);
    List<double[]> positions = new ArrayList<>();
    for (DataSet source : sources) {
      String name = SopReference.of(source).describe();
      if (source.getInt(Tags.ROWS) != rows || source.getInt(Tags.COLUMNS) != columns) {
        throw new DicomException(what + ": source " + name + " is " + source.getInt(Tags.ROWS) + "x"
            + source.getInt(Tags.COLUMNS) + ", the first source " + rows + "x" + columns);
      }
      if (!close(geometry(source, Tags.IMAGE_ORIENTATION_PATIENT, 6), orientation)
          || !close(geometry(source, Tags.PIXEL_SPACING, 2), spacing)) {
        throw new DicomException(what + ": source " + name + " differs from the first source in Image Orientation "
            + "(Patient) or Pixel Spacing");
      }
      if (!source.getString(Tags.FRAME_OF_REFERENCE_UID).equals(frameOfReference)) {
        throw new DicomException(what + ": source " + name + " is in another frame of reference");
      }
      if (source.getInt(Tags.NUMBER_OF_FRAMES, 1) != 1) {
        throw new DicomException(what + ": source " + name + " is multi-frame; give single-frame images");
      }
      positions.add(geometry(source, Tags.IMAGE_POSITION_PATIENT, 3));
    }
    Integer[] order = new Integer[sources.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> dot(positions.get(i), normal)));

    ZonedDateTime now = ZonedDateTime.now(clock);
    DataSet out = new DataSet();
    CommonModules.copyPatientAndStudy(first, out);
    CommonModules.newSeries(out, "SEG", SERIES_NUMBER, "medvision " + algorithm.name() + " segmentation", now);
    out.setString(Tags.FRAME_OF_REFERENCE_UID, VR.UI, frameOfReference);
    if (first.contains(Tags.POSITION_REFERENCE_INDICATOR)) {
      out.set(first.element(Tags.POSITION_REFERENCE_INDICATOR).orElseThrow());
    } else {
      out.setString(Tags.POSITION_REFERENCE_INDICATOR, VR.LO);
    }
    equipment.fill(out);
    CommonModules.sopCommon(out, Uids.SEGMENTATION_STORAGE, 1, now);
    CommonModules.contentDateTime(out, now);
    out.setString(Tags.IMAGE_TYPE, VR.CS, "DERIVED", "PRIMARY");
    out.setString(Tags.CONTENT_LABEL, VR.CS, label);
    out.setString(Tags.CONTENT_DESCRIPTION, VR.LO, algorithm.name() + " " + algorithm.version());
    out.setString(Tags.CONTENT_CREATOR_NAME, VR.PN);
    out.setString(Tags.SEGMENTATION_TYPE, VR.CS, "BINARY");
    out.setString(Tags.LOSSY_IMAGE_COMPRESSION, VR.CS, "00");
    out.setInt(Tags.SAMPLES_PER_PIXEL, VR.US, 1);
    out.setString(Tags.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2");
    out.setInt(Tags.ROWS, VR.US, rows);
    out.setInt(Tags.COLUMNS, VR.US, columns);
    out.setInt(Tags.BITS_ALLOCATED, VR.US, 1);
    out.setInt(Tags.BITS_STORED, VR.US, 1);
    out.setInt(Tags.HIGH_BIT, VR.US, 0);
    out.setInt(Tags.PIXEL_REPRESENTATION, VR.US, 0);

    for (int s = 0; s < segments.size(); s++) {
      segmentItem(out.addItem(Tags.SEGMENT_SEQUENCE), s + 1, segments.get(s), algorithm);
    }
    String dimensionUid = Uids.create();
    out.addItem(Tags.DIMENSION_ORGANIZATION_SEQUENCE).setString(Tags.DIMENSION_ORGANIZATION_UID, VR.UI,
        dimensionUid);
    out.setString(Tags.DIMENSION_ORGANIZATION_TYPE, VR.CS, "3D");
    dimension(out, dimensionUid, Tags.REFERENCED_SEGMENT_NUMBER, Tags.SEGMENT_IDENTIFICATION_SEQUENCE,
        "Segment number");
    dimension(out, dimensionUid, Tags.IMAGE_POSITION_PATIENT, Tags.PLANE_POSITION_SEQUENCE, "Position");

    DataSet shared = out.addItem(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
    DataSet measures = shared.addItem(Tags.PIXEL_MEASURES_SEQUENCE);
    measures.setDouble(Tags.PIXEL_SPACING, VR.DS, spacing);
    measures.setDouble(Tags.SLICE_THICKNESS, VR.DS, first.getDouble(Tags.SLICE_THICKNESS, spacing[0]));
    shared.addItem(Tags.PLANE_ORIENTATION_SEQUENCE).setDouble(Tags.IMAGE_ORIENTATION_PATIENT, VR.DS, orientation);

    List<boolean[]> frames = new ArrayList<>();
    int pixels = rows * columns;
    for (int s = 0; s < segments.size(); s++) {
      Segment segment = segments.get(s);
      if (segment.masks().size() != sources.size()) {
        throw new DicomException(what + ": segment '" + segment.label() + "' has " + segment.masks().size()
            + " masks for " + sources.size() + " sources");
      }
      for (int rank = 0; rank < order.length; rank++) {
        int index = order[rank];
        boolean[] mask = segment.masks().get(index);
        if (mask.length != pixels) {
          throw new DicomException(what + ": mask " + index + " of segment '" + segment.label() + "' has "
              + mask.length + " pixels, source " + SopReference.of(sources.get(index)).describe() + " has "
              + rows + "x" + columns);
        }
        frames.add(mask);
        perFrame(out.addItem(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE), SopReference.of(sources.get(index)),
            s + 1, rank + 1, positions.get(index));
      }
    }
    out.setInt(Tags.NUMBER_OF_FRAMES, VR.IS, frames.size());
    DataSet common = new DataSet();
    CommonModules.addSeriesReferences(common, bySeries, Tags.REFERENCED_INSTANCE_SEQUENCE);
    out.set(common.element(Tags.REFERENCED_SERIES_SEQUENCE).orElseThrow());
    out.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OB, BitPacking.pack(frames)));
    return out;
  }

  /**
   * Builds the object (see {@link #build}) and writes it atomically to {@code file}.
   *
   * @return the data set written
   */
  public DataSet write(Path file, List<DataSet> sources, List<Segment> segments, Algorithm algorithm,
      String label) {
    DataSet out = build(sources, segments, algorithm, label);
    DicomWriter.writeFile(file, out);
    return out;
  }

  private static void segmentItem(DataSet item, int number, Segment segment, Algorithm algorithm) {
    item.setInt(Tags.SEGMENT_NUMBER, VR.US, number);
    item.setString(Tags.SEGMENT_LABEL, VR.LO, segment.label());
    segment.category().addTo(item, Tags.SEGMENTED_PROPERTY_CATEGORY_CODE_SEQUENCE);
    segment.type().addTo(item, Tags.SEGMENTED_PROPERTY_TYPE_CODE_SEQUENCE);
    item.setString(Tags.SEGMENT_ALGORITHM_TYPE, VR.CS, "AUTOMATIC");
    item.setString(Tags.SEGMENT_ALGORITHM_NAME, VR.LO, algorithm.name());
    DataSet identification = item.addItem(Tags.SEGMENTATION_ALGORITHM_IDENTIFICATION_SEQUENCE);
    new Code("DEEPLEARNING", Code.MEDVISION, "Deep learning model").addTo(identification,
        ALGORITHM_FAMILY_CODE_SEQUENCE);
    identification.setString(ALGORITHM_VERSION, VR.LO, algorithm.version());
    identification.setString(ALGORITHM_NAME, VR.LO, algorithm.name());
  }

  private static void dimension(DataSet out, String uid, int pointer, int group, String description) {
    DataSet item = out.addItem(Tags.DIMENSION_INDEX_SEQUENCE);
    item.setString(Tags.DIMENSION_ORGANIZATION_UID, VR.UI, uid);
    item.setInt(Tags.DIMENSION_INDEX_POINTER, VR.AT, pointer);
    item.setInt(Tags.FUNCTIONAL_GROUP_POINTER, VR.AT, group);
    item.setString(Tags.DIMENSION_DESCRIPTION_LABEL, VR.LO, description);
  }

  private static void perFrame(DataSet frame, SopReference source, int segmentNumber, int positionIndex,
      double[] position) {
    DataSet derivation = frame.addItem(Tags.DERIVATION_IMAGE_SEQUENCE);
    DataSet sourceItem = derivation.addItem(Tags.SOURCE_IMAGE_SEQUENCE);
    source.fill(sourceItem);
    Code.dcm("121322", "Source image for image processing operation")
        .addTo(sourceItem, Tags.PURPOSE_OF_REFERENCE_CODE_SEQUENCE);
    Code.dcm("113076", "Segmentation").addTo(derivation, Tags.DERIVATION_CODE_SEQUENCE);
    frame.addItem(Tags.FRAME_CONTENT_SEQUENCE).setLong(Tags.DIMENSION_INDEX_VALUES, VR.UL, segmentNumber,
        positionIndex);
    frame.addItem(Tags.PLANE_POSITION_SEQUENCE).setDouble(Tags.IMAGE_POSITION_PATIENT, VR.DS, position);
    frame.addItem(Tags.SEGMENT_IDENTIFICATION_SEQUENCE).setInt(Tags.REFERENCED_SEGMENT_NUMBER, VR.US,
        segmentNumber);
  }

  private static double[] geometry(DataSet source, int tag, int count) {
    double[] values = source.doubles(tag);
    if (values.length != count) {
      throw new DicomException("source " + SopReference.of(source).describe() + " has " + values.length
          + " values of " + Tag.toString(tag) + ", needs " + count + " for a segmentation");
    }
    return values;
  }

  private static boolean close(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-4) {
        return false;
      }
    }
    return true;
  }

  private static double[] cross(double[] o) {
    return new double[] {o[1] * o[5] - o[2] * o[4], o[2] * o[3] - o[0] * o[5], o[0] * o[4] - o[1] * o[3]};
  }

  private static double dot(double[] a, double[] b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  }
}
