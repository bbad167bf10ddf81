package org.medvision.io.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;

/**
 * A tiny enhanced CT object written at test time: 3 frames of 4 rows x 3 columns whose position, and rescale, are in
 * per-frame functional groups and whose orientation and pixel spacing are shared. Frames are stored out of spatial
 * order (z = 10, 0, 5) so that assembly must sort them.
 */
final class EnhancedCt {
  static final int ROWS = 4;
  static final int COLUMNS = 3;
  static final double[] Z = {10, 0, 5};
  static final double[] SLOPE = {1, 2, 1};
  static final double[] INTERCEPT = {-1024, -100, 0};
  static final String SERIES = "1.2.826.0.1.3680043.10.1.7";

  private EnhancedCt() {}

  /** The stored value of pixel {@code (row, column)} of frame {@code f} (0-based). */
  static int stored(int f, int row, int column) {
    return (f + 1) * 100 + row * COLUMNS + column - 5;
  }

  static Path write(Path file) {
    DataSet d = new DataSet();
    d.setString(Tags.SOP_CLASS_UID, VR.UI, Uids.ENHANCED_CT_IMAGE_STORAGE);
    d.setString(Tags.SOP_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.8");
    d.setString(Tags.STUDY_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.6");
    d.setString(Tags.SERIES_INSTANCE_UID, VR.UI, SERIES);
    d.setString(Tags.PATIENT_ID, VR.LO, "P-ENH");
    d.setString(Tags.MODALITY, VR.CS, "CT");
    d.setInt(Tags.INSTANCE_NUMBER, VR.IS, 1);
    d.setInt(Tags.NUMBER_OF_FRAMES, VR.IS, 3);
    d.setInt(Tags.ROWS, VR.US, ROWS);
    d.setInt(Tags.COLUMNS, VR.US, COLUMNS);
    d.setInt(Tags.SAMPLES_PER_PIXEL, VR.US, 1);
    d.setString(Tags.PHOTOMETRIC_INTERPRETATION, VR.CS, "MONOCHROME2");
    d.setInt(Tags.BITS_ALLOCATED, VR.US, 16);
    d.setInt(Tags.BITS_STORED, VR.US, 16);
    d.setInt(Tags.HIGH_BIT, VR.US, 15);
    d.setInt(Tags.PIXEL_REPRESENTATION, VR.US, 1);
    DataSet shared = d.addItem(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
    shared.addItem(Tags.PLANE_ORIENTATION_SEQUENCE).setDouble(Tags.IMAGE_ORIENTATION_PATIENT, VR.DS, 1, 0, 0, 0, 1, 0);
    shared.addItem(Tags.PIXEL_MEASURES_SEQUENCE).setDouble(Tags.PIXEL_SPACING, VR.DS, 0.5, 0.75);
    for (int f = 0; f < 3; f++) {
      DataSet frame = d.addItem(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
      frame.addItem(Tags.PLANE_POSITION_SEQUENCE).setDouble(Tags.IMAGE_POSITION_PATIENT, VR.DS, -20, 30, Z[f]);
      DataSet rescale = frame.addItem(Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE);
      rescale.setDouble(Tags.RESCALE_SLOPE, VR.DS, SLOPE[f]);
      rescale.setDouble(Tags.RESCALE_INTERCEPT, VR.DS, INTERCEPT[f]);
      rescale.setString(Tags.RESCALE_TYPE, VR.LO, "HU");
    }
    ByteBuffer pixels = ByteBuffer.allocate(3 * ROWS * COLUMNS * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int f = 0; f < 3; f++) {
      for (int r = 0; r < ROWS; r++) {
        for (int c = 0; c < COLUMNS; c++) {
          pixels.putShort((short) stored(f, r, c));
        }
      }
    }
    d.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, pixels.array()));
    DicomWriter.writeFile(file, d);
    return file;
  }
}
