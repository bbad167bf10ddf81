package org.medvision.dicom.iod;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.Tags;

/** Test helpers that read a native 16-bit source slice, independent of the pixel package. */
final class SourceImages {
  private SourceImages() {}

  /** Modality values (stored * slope + intercept) of a native 16-bit single-frame image. */
  static double[] modalityValues(DataSet source) {
    BulkData bulk = source.bulkData(Tags.PIXEL_DATA).orElseThrow();
    byte[] raw = bulk.readValue();
    // BulkData returns values little endian whatever the file's byte order.
    ByteBuffer buffer = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    boolean signed = source.getInt(Tags.PIXEL_REPRESENTATION) == 1;
    double slope = source.getDouble(Tags.RESCALE_SLOPE, 1);
    double intercept = source.getDouble(Tags.RESCALE_INTERCEPT, 0);
    int n = source.getInt(Tags.ROWS) * source.getInt(Tags.COLUMNS);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      short v = buffer.getShort(2 * i);
      out[i] = (signed ? v : v & 0xFFFF) * slope + intercept;
    }
    return out;
  }

  /** The slice windowed linearly to 0..255. */
  static byte[] windowed(DataSet source, double center, double width) {
    double[] values = modalityValues(source);
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      double t = (values[i] - (center - width / 2)) / width;
      out[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, t)));
    }
    return out;
  }
}
