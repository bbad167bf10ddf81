package org.medvision.dicom.pixel;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.FunctionalGroups;
import org.medvision.dicom.Tags;

/**
 * Connects our reader's {@link DataSet} to the decoders: builds the {@link PixelDescription} from the Image Pixel
 * module, reads the Pixel Data element (native bytes, or fragments and offset tables) into a {@link FrameDecoder},
 * and finds each frame's modality rescale in its functional groups. The rest of this package does not depend on the
 * reader.
 *
 * <p>Missing attributes, following PS3.3 C.7.6.3: Rows, Columns, Bits Allocated and Bits Stored are Type 1 and
 * decide how every byte is read, so their absence is an error. Photometric Interpretation is Type 1 too, but for one
 * sample per pixel (Samples per Pixel absent or 1) MONOCHROME2 is assumed, because the stored values do not depend on
 * it and archives hold such files; with three samples the colour space cannot be guessed. Samples per Pixel defaults
 * to what the photometric interpretation implies, High Bit to Bits Stored - 1 (the value the module prescribes),
 * Pixel Representation and Planar Configuration (Type 1C, only for colour) to 0, Number of Frames to 1 (it belongs
 * to the Multi-frame module, which single-frame objects lack) and the rescale to slope 1, intercept 0 (the Modality
 * LUT is the identity where no rescale is given).
 */
public final class DataSetPixels {
  private DataSetPixels() {}

  /**
   * A frame decoder for a file's Pixel Data; the pixel bytes are read now, through one open handle.
   *
   * @throws PixelDecodingException naming the file and attribute when the Image Pixel module is incomplete, Pixel
   *     Data is missing or does not fit the description, or the transfer syntax is not supported
   */
  public static FrameDecoder decoder(DicomFile file) {
    DataSet data = file.dataSet();
    String source = file.source();
    PixelDescription description = describe(data, source);
    PixelData pixels = pixelData(data, source);
    try {
      return new FrameDecoder(description, file.transferSyntax(), pixels);
    } catch (PixelDecodingException e) {
      throw new PixelDecodingException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * The Image Pixel module of a data set (PS3.3 C.7.6.3), with the defaults of the class description; the rescale
   * is the first frame's (see {@link #forFrame}).
   *
   * @param source names the data set in messages (usually the file name)
   * @throws PixelDecodingException naming the source and the attribute that is missing, malformed or inconsistent
   */
  public static PixelDescription describe(DataSet data, String source) {
    try {
      PhotometricInterpretation photometric = photometric(data);
      Palette palette = null;
      if (photometric == PhotometricInterpretation.PALETTE_COLOR) {
        palette = new Palette(
            lut(data, "red", Tags.RED_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR, Tags.RED_PALETTE_COLOR_LOOKUP_TABLE_DATA),
            lut(data, "green", Tags.GREEN_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
                Tags.GREEN_PALETTE_COLOR_LOOKUP_TABLE_DATA),
            lut(data, "blue", Tags.BLUE_PALETTE_COLOR_LOOKUP_TABLE_DESCRIPTOR,
                Tags.BLUE_PALETTE_COLOR_LOOKUP_TABLE_DATA));
      }
      int rows = required(data, "Rows", Tags.ROWS);
      int columns = required(data, "Columns", Tags.COLUMNS);
      int bitsAllocated = required(data, "Bits Allocated", Tags.BITS_ALLOCATED);
      int bitsStored = required(data, "Bits Stored", Tags.BITS_STORED);
      PixelDescription description = new PixelDescription(rows, columns,
          data.getInt(Tags.SAMPLES_PER_PIXEL, photometric.samplesPerPixel()), bitsAllocated, bitsStored,
          data.getInt(Tags.HIGH_BIT, bitsStored - 1), data.getInt(Tags.PIXEL_REPRESENTATION, 0) == 1, photometric,
          data.getInt(Tags.PLANAR_CONFIGURATION, 0), frames(data), palette, 1, 0, null);
      return withFrameRescale(description, data, 0);
    } catch (PixelDecodingException | DicomException e) {
      throw new PixelDecodingException(source + ": " + e.getMessage(), e);
    }
  }

  /**
   * Number of Frames (0028,0008): 1 when absent or empty.
   *
   * @throws PixelDecodingException naming the attribute (the caller adds the source) when the value is not a number
   *     or is below 1
   */
  public static int frameCount(DataSet data) {
    try {
      return frames(data);
    } catch (DicomException e) {
      throw new PixelDecodingException(e.getMessage(), e);
    }
  }

  /**
   * {@code description} with the Rescale Slope, Intercept and Type that apply to frame {@code frameIndex} (0-based):
   * those of its Pixel Value Transformation functional group (per-frame, else shared) in an enhanced object, else the
   * top-level ones; a value that is absent or not finite counts as the identity (slope 1, intercept 0).
   *
   * @param source names the data set in messages
   * @throws PixelDecodingException naming the source and frame when a value is malformed or the slope is 0
   */
  public static PixelDescription forFrame(PixelDescription description, DataSet data, String source,
      int frameIndex) {
    try {
      return withFrameRescale(description, data, frameIndex);
    } catch (PixelDecodingException | DicomException e) {
      throw new PixelDecodingException(source + " frame " + (frameIndex + 1) + ": " + e.getMessage(), e);
    }
  }

  private static PixelDescription withFrameRescale(PixelDescription description, DataSet data, int frameIndex) {
    FunctionalGroups groups = FunctionalGroups.of(data, frameIndex);
    int macro = Tags.PIXEL_VALUE_TRANSFORMATION_SEQUENCE;
    double slope = finiteOr(groups.holder(macro, Tags.RESCALE_SLOPE).optionalDouble(Tags.RESCALE_SLOPE), 1);
    double intercept = finiteOr(groups.holder(macro, Tags.RESCALE_INTERCEPT).optionalDouble(Tags.RESCALE_INTERCEPT),
        0);
    String type = groups.holder(macro, Tags.RESCALE_TYPE).string(Tags.RESCALE_TYPE).orElse(null);
    return description.withRescale(slope, intercept, type);
  }

  private static double finiteOr(OptionalDouble value, double fallback) {
    return value.isPresent() && Double.isFinite(value.getAsDouble()) ? value.getAsDouble() : fallback;
  }

  private static int frames(DataSet data) {
    int frames = data.getInt(Tags.NUMBER_OF_FRAMES, 1);
    if (frames < 1) {
      throw new PixelDecodingException("Number of Frames (0028,0008) is " + frames + "; it must be at least 1");
    }
    return frames;
  }

  private static PhotometricInterpretation photometric(DataSet data) {
    Optional<String> code = data.string(Tags.PHOTOMETRIC_INTERPRETATION);
    if (code.isPresent()) {
      return PhotometricInterpretation.parse(code.get());
    }
    if (data.getInt(Tags.SAMPLES_PER_PIXEL, 1) != 1) {
      throw missing("Photometric Interpretation", Tags.PHOTOMETRIC_INTERPRETATION);
    }
    return PhotometricInterpretation.MONOCHROME2;
  }

  private static PixelData pixelData(DataSet data, String source) {
    Optional<BulkData> bulk = data.bulkData(Tags.PIXEL_DATA);
    if (bulk.isEmpty()) {
      byte[] value = data.bytes(Tags.PIXEL_DATA);
      if (value.length == 0) {
        throw new PixelDecodingException(source + ": " + missing("Pixel Data", Tags.PIXEL_DATA).getMessage());
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

  private static PaletteLut lut(DataSet data, String channel, int descriptorTag, int dataTag) {
    int[] descriptor = data.ints(descriptorTag);
    if (descriptor.length != 3) {
      throw missing(channel + " Palette Color Lookup Table Descriptor", descriptorTag);
    }
    // The first-mapped value is US or SS by Pixel Representation, and the entry count 65536 is written as 0; only
    // the bit pattern matters, so both are read as unsigned 16-bit.
    descriptor[0] &= 0xFFFF;
    descriptor[1] &= 0xFFFF;
    byte[] bytes = data.bytes(dataTag);
    if (bytes.length == 0) {
      throw new PixelDecodingException("PALETTE COLOR without " + channel
          + " Palette Color Lookup Table Data " + tag(dataTag) + " (segmented palettes are not supported)");
    }
    return PaletteLut.of(channel, descriptor, bytes, ByteOrder.LITTLE_ENDIAN);
  }

  private static int required(DataSet data, String name, int tag) {
    OptionalInt value = data.optionalInt(tag);
    if (value.isEmpty()) {
      throw missing(name, tag);
    }
    return value.getAsInt();
  }

  private static PixelDecodingException missing(String name, int tag) {
    return new PixelDecodingException(name + " " + tag(tag) + " is missing or empty");
  }

  private static String tag(int tag) {
    return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }
}
