package org.medvision.dicom.pixel;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.Tags;

/**
 * Connects our reader's {@link DataSet} to the decoders: builds the {@link PixelDescription} from the Image Pixel
 * module and reads the Pixel Data element (native bytes, or fragments and offset tables) into a {@link
 * FrameDecoder}. The rest of this package does not depend on the reader.
 */
public final class DataSetPixels {
  private DataSetPixels() {}

  /**
   * A frame decoder for a file's Pixel Data; the pixel bytes are read now, through one open handle.
   *
   * @throws PixelDecodingException naming the file and attribute when the Image Pixel module is incomplete, Pixel
   *     Data is missing, or the transfer syntax is not supported
   */
  public static FrameDecoder decoder(DicomFile file) {
    DataSet data = file.dataSet();
    String source = file.source();
    PixelDescription description = describe(data, source);
    TransferSyntax syntax = TransferSyntax.of(file.transferSyntax());
    return new FrameDecoder(description, syntax, pixelData(data, syntax, source));
  }

  /**
   * The Image Pixel module of a data set (PS3.3 C.7.6.3) with DICOM's defaults for optional attributes: one frame,
   * planar configuration 0, rescale 1/0.
   *
   * @param source names the data set in messages (usually the file name)
   */
  public static PixelDescription describe(DataSet data, String source) {
    PhotometricInterpretation photometric = PhotometricInterpretation.parse(
        data.string(Tags.PHOTOMETRIC_INTERPRETATION).orElseThrow(() -> missing(source, "Photometric Interpretation",
            Tags.PHOTOMETRIC_INTERPRETATION)));
    Palette palette = null;
    if (photometric == PhotometricInterpretation.PALETTE_COLOR) {
      palette = new Palette(
          lut(data, source, "red", Tags.RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
              Tags.RED_PALETTE_COLOR_LOOKUP_TABLE_DATA),
          lut(data, source, "green", Tags.GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
              Tags.GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA),
          lut(data, source, "blue", Tags.BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
              Tags.BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA));
    }
    OptionalDouble slope = data.optionalDouble(Tags.RESCALE_SLOPE);
    OptionalDouble intercept = data.optionalDouble(Tags.RESCALE_INTERCEPT);
    try {
      return new PixelDescription(required(data, source, "Rows", Tags.ROWS),
          required(data, source, "Columns", Tags.COLUMNS),
          data.getInt(Tags.SAMPLES_PER_PIXEL, photometric.samplesPerPixel()),
          required(data, source, "Bits Allocated", Tags.BITS_ALLOCATED),
          required(data, source, "Bits Stored", Tags.BITS_STORED),
          data.getInt(Tags.HIGH_BIT, data.getInt(Tags.BITS_STORED) - 1),
          data.getInt(Tags.PIXEL_REPRESENTATION, 0) == 1, photometric,
          data.getInt(Tags.PLANAR_CONFIGURATION, 0), data.getInt(Tags.NUMBER_OF_FRAMES, 1), palette,
          slope.orElse(1), intercept.orElse(0), data.string(Tags.RESCALE_TYPE).orElse(null));
    } catch (PixelDecodingException e) {
      throw new PixelDecodingException(source + ": " + e.getMessage(), e);
    }
  }

  private static PixelData pixelData(DataSet data, TransferSyntax syntax, String source) {
    Optional<BulkData> bulk = data.bulkData(Tags.PIXEL_DATA);
    if (bulk.isEmpty()) {
      byte[] value = data.bytes(Tags.PIXEL_DATA);
      if (value.length == 0) {
        throw missing(source, "Pixel Data", Tags.PIXEL_DATA);
      }
      // In-memory values are little-endian whatever the file's byte order.
      return new NativePixelData(value, ByteOrder.LITTLE_ENDIAN);
    }
    BulkData pixels = bulk.get();
    if (!pixels.isEncapsulated()) {
      return new NativePixelData(pixels.readValue(), ByteOrder.LITTLE_ENDIAN);
    }
    List<byte[]> fragments = new ArrayList<>();
    try (BulkData.Handle handle = pixels.open()) {
      for (int i = 0; i < pixels.fragments().size(); i++) {
        fragments.add(handle.readFragment(i));
      }
    }
    return new EncapsulatedPixelData(fragments, pixels.basicOffsetTable(), data.longs(Tags.EXTENDED_OFFSET_TABLE),
        data.longs(Tags.EXTENDED_OFFSET_TABLE_LENGTHS));
  }

  private static PaletteLut lut(DataSet data, String source, String channel, int descriptorTag, int dataTag) {
    int[] descriptor = data.ints(descriptorTag);
    if (descriptor.length != 3) {
      throw missing(source, channel + " Palette Color Lookup Table Descriptor", descriptorTag);
    }
    // The first-mapped value is US or SS by Pixel Representation, and the entry count 65536 is written as 0; only
    // the bit pattern matters, so both are read as unsigned 16-bit.
    descriptor[0] &= 0xFFFF;
    descriptor[1] &= 0xFFFF;
    byte[] bytes = data.bytes(dataTag);
    if (bytes.length == 0) {
      throw new PixelDecodingException(source + ": PALETTE COLOR without " + channel
          + " Palette Color Lookup Table Data " + tag(dataTag) + " (segmented palettes are not supported)");
    }
    return PaletteLut.of(channel, descriptor, bytes, ByteOrder.LITTLE_ENDIAN);
  }

  private static int required(DataSet data, String source, String name, int tag) {
    OptionalInt value = data.optionalInt(tag);
    if (value.isEmpty()) {
      throw missing(source, name, tag);
    }
    return value.getAsInt();
  }

  private static PixelDecodingException missing(String source, String name, int tag) {
    return new PixelDecodingException(source + ": " + name + " " + tag(tag) + " is missing or empty");
  }

  private static String tag(int tag) {
    return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }
}
