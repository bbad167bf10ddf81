package org.medvision.io.dicom;

import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.pixel.DataSetPixels;
import org.medvision.dicom.pixel.FrameDecoder;
import org.medvision.dicom.pixel.PixelDecodingException;
import org.medvision.dicom.pixel.PixelDescription;
import org.medvision.dicom.pixel.PixelTransforms;
import org.medvision.io.transform.Window;
import org.medvision.io.volume.SliceRecord;

/**
 * One parsed DICOM object seen as images: its frames as {@link SliceRecord}s with geometry, and each frame's pixels
 * as rescaled floats. Reading it decodes no pixels; {@link #frame(int)} does.
 *
 * <p>Where a frame's attributes come from: single-frame and classic multi-frame objects keep Image Position and
 * Orientation (Patient), Pixel Spacing and Rescale Slope/Intercept at the top level; enhanced multi-frame objects (CT,
 * MR and the other PS3.3 C.7.6.16 IODs) keep them in the frame's Per-Frame Functional Groups item or in the Shared
 * Functional Groups item. A classic multi-frame object has one Image Position for all frames, which places no frame
 * but the first, so its frames get no position (assembly then warns and orders them by frame number) unless Grid
 * Frame Offset Vector (3004,000C) gives each frame's offset along the normal, as RT Dose does.
 *
 * <p>Pixel values: grey-scale stored values through the frame's Rescale Slope and Intercept (Hounsfield units for
 * CT), with no MONOCHROME1 inversion because inversion is a display step that would change the values' meaning. Colour
 * and palette images become grey by ITU-R BT.601 luma {@code 0.299 R + 0.587 G + 0.114 B}, so every image yields one
 * scalar per pixel. The Image Pixel module is read, and the Pixel Data decoded, by {@link DataSetPixels}, with its
 * rules for absent attributes.
 */
public final class DicomImage {
  private final DicomFile file;
  private final DataSet dataSet;
  private final int frames;
  private final String notImage;
  private SoftReference<FrameDecoder> decoderCache = new SoftReference<>(null);

  private DicomImage(DicomFile file) {
    this.file = file;
    this.dataSet = file.dataSet();
    String why = null;
    int count = 0;
    if (!dataSet.contains(Tags.ROWS) || !dataSet.contains(Tags.COLUMNS)) {
      why = "no Rows/Columns";
    } else if (!dataSet.contains(Tags.PIXEL_DATA)) {
      why = dataSet.contains(Tags.FLOAT_PIXEL_DATA) || dataSet.contains(Tags.DOUBLE_FLOAT_PIXEL_DATA)
          ? "float pixel data is not supported" : "no Pixel Data";
    } else {
      try {
        count = DataSetPixels.frameCount(dataSet);
      } catch (PixelDecodingException e) {
        // Frames that cannot be counted cannot be placed or read; the object is listed, not fatal to a scan.
        why = e.getMessage();
      }
    }
    this.notImage = why;
    this.frames = count;
  }

  /**
   * Reads the metadata of a DICOM file.
   *
   * @throws DicomException when the file is not a readable DICOM object; the message names the file
   */
  public static DicomImage read(Path file) {
    return new DicomImage(new DicomReader().read(file));
  }

  /** Views an already parsed object. */
  public static DicomImage of(DicomFile file) {
    return new DicomImage(file);
  }

  /** The parsed object. */
  public DicomFile file() {
    return file;
  }

  /** Its data set (metadata; pixel data stays in the file). */
  public DataSet dataSet() {
    return dataSet;
  }

  /** The file path or in-memory name, as used in every message. */
  public String source() {
    return file.source();
  }

  /** The Transfer Syntax UID the data set was encoded with. */
  public String transferSyntaxUid() {
    return file.transferSyntax().uid();
  }

  /** True when the object has Rows, Columns and Pixel Data, so it contributes frames. */
  public boolean isImage() {
    return notImage == null;
  }

  /** Why the object has no frames (e.g. {@code "no Pixel Data"} for an SR), or empty for images. */
  public Optional<String> whyNotImage() {
    return Optional.ofNullable(notImage);
  }

  /**
   * Number of frames: Number of Frames (0028,0008), 1 when absent, 0 for objects without pixels or with an unusable
   * Number of Frames (then {@link #whyNotImage()} says so).
   */
  public int frameCount() {
    return frames;
  }

  /** Modality (0008,0060), or empty. */
  public Optional<String> modality() {
    return dataSet.string(Tags.MODALITY);
  }

  /**
   * One slice record per frame, in frame order; empty when the object has no pixels.
   *
   * @throws MedvisionException naming the file when geometry values are malformed (e.g. a negative Pixel Spacing)
   */
  public List<SliceRecord> slices() {
    List<SliceRecord> out = new ArrayList<>(frames);
    if (frames == 0) {
      return out;
    }
    String series = dataSet.string(Tags.SERIES_INSTANCE_UID).orElse("(no Series Instance UID: " + source() + ")");
    String sop = dataSet.string(Tags.SOP_INSTANCE_UID).orElse(source());
    OptionalInt instance = optionalInt(Tags.INSTANCE_NUMBER);
    int rows = dataSet.getInt(Tags.ROWS);
    int columns = dataSet.getInt(Tags.COLUMNS);
    boolean functionalGroups = dataSet.contains(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE)
        || dataSet.contains(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE);
    double[] gridOffsets = dataSet.contains(Tags.GRID_FRAME_OFFSET_VECTOR)
        ? dataSet.doubles(Tags.GRID_FRAME_OFFSET_VECTOR) : new double[0];
    for (int f = 1; f <= frames; f++) {
      FrameAttributes a = FrameAttributes.of(dataSet, f - 1);
      double[] position = a.position();
      if (frames > 1 && !functionalGroups) {
        position = gridOffsets.length == frames ? offsetAlongNormal(position, a.orientation(), gridOffsets[f - 1])
            : null;
      }
      double[] spacing = a.pixelSpacing();
      if (spacing != null && !(spacing[0] > 0 && spacing[1] > 0)) {
        spacing = null;
      }
      int frameNumber = f;
      out.add(new SliceRecord(series, sop, instance, position, a.orientation(), spacing, rows, columns,
          () -> frame(frameNumber), source(), f));
    }
    return out;
  }

  /** {@code position + offset * (row x column)}, or null when either vector is missing. */
  private static double[] offsetAlongNormal(double[] position, double[] o, double offset) {
    if (position == null || o == null || !Double.isFinite(offset)) {
      return null;
    }
    double nx = o[1] * o[5] - o[2] * o[4];
    double ny = o[2] * o[3] - o[0] * o[5];
    double nz = o[0] * o[4] - o[1] * o[3];
    return new double[] {position[0] + offset * nx, position[1] + offset * ny, position[2] + offset * nz};
  }

  /**
   * The window the file states for frame {@code frameNumber} (Window Center/Width, in a Frame VOI LUT functional
   * group for enhanced objects), or empty when it states none or an unusable one.
   */
  public Optional<Window> window(int frameNumber) {
    checkFrame(frameNumber);
    FrameAttributes a = FrameAttributes.of(dataSet, frameNumber - 1);
    if (a.windowCenter() == null || a.windowWidth() == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Window.fromDicom(a.windowCenter(), a.windowWidth(), source()));
    } catch (MedvisionException e) {
      return Optional.empty();
    }
  }

  /**
   * Frame {@code frameNumber} (1-based) as rescaled floats, {@code rows * columns}, row-major: grey-scale through the
   * frame's own rescale (see {@link DataSetPixels#forFrame}), colour through BT.601 luma.
   *
   * @throws MedvisionException naming the file (and frame, for errors of one frame) when the pixel data cannot be
   *     decoded or the Image Pixel module is incomplete
   */
  public float[] frame(int frameNumber) {
    checkFrame(frameNumber);
    FrameDecoder decoder = decoder();
    PixelDescription d = decoder.description();
    int[] stored;
    try {
      stored = decoder.decode(frameNumber - 1);
    } catch (MedvisionException e) {
      // Decoder messages name the frame index but not the file; add it.
      throw new MedvisionException(source() + " frame " + frameNumber + ": " + e.getMessage(), e);
    }
    if (d.photometric().isMonochrome()) {
      return PixelTransforms.rescale(DataSetPixels.forFrame(d, dataSet, source(), frameNumber - 1), stored);
    }
    int[] rgb = PixelTransforms.toRgb(d, stored);
    float[] grey = new float[d.pixelsPerFrame()];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = (float) (0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]);
    }
    return grey;
  }

  /**
   * The pixel description of the object, with the first frame's rescale (later frames of an enhanced object may
   * state their own; see {@link DataSetPixels#forFrame}).
   *
   * @throws MedvisionException naming the file when it has no pixels or its Image Pixel attributes are missing or
   *     inconsistent
   */
  public PixelDescription description() {
    if (notImage != null) {
      throw new MedvisionException(source() + " has no image frames: " + notImage);
    }
    return DataSetPixels.describe(dataSet, source());
  }

  /** The decoder, kept softly so a multi-frame object is read once per volume but never pins memory. */
  private synchronized FrameDecoder decoder() {
    FrameDecoder decoder = decoderCache.get();
    if (decoder == null) {
      decoder = DataSetPixels.decoder(file);
      decoderCache = new SoftReference<>(decoder);
    }
    return decoder;
  }

  private void checkFrame(int frameNumber) {
    if (frameNumber < 1 || frameNumber > frames) {
      throw new MedvisionException(source() + ": frame " + frameNumber + " does not exist; the object has "
          + frames + " frame(s)" + (notImage == null ? "" : " (" + notImage + ")"));
    }
  }

  /** An integer attribute, or empty when absent or malformed: a bad optional value must not hide the image. */
  private OptionalInt optionalInt(int tag) {
    try {
      return dataSet.optionalInt(tag);
    } catch (DicomException e) {
      return OptionalInt.empty();
    }
  }
}
