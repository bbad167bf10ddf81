package org.medvision.io.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Windowing;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.pixel.DataSetPixels;
import org.medvision.dicom.pixel.FrameDecoder;
import org.medvision.dicom.pixel.PhotometricInterpretation;
import org.medvision.dicom.pixel.PixelDescription;
import org.medvision.dicom.pixel.PixelTransforms;
import org.medvision.io.transform.Window;

/**
 * Single-frame DICOM images as the same [C, H, W] tensors in [0, 1] that {@link Images} makes of PNG files, so a
 * dataset manifest may point at DICOM files.
 *
 * <p>Grey-scale images are rescaled (Hounsfield units for CT) and mapped to [0, 1] through the window the caller's
 * {@link Windowing} picks: a fixed window, the file's own (the first Window Center/Width value, which is how
 * {@code medvision synth --format dicom} records the window its PNG twin was drawn with; the full range when the file
 * states none), or the image's full range. A MONOCHROME1 image (common for computed radiography, where the lowest
 * value is white) is turned over after windowing, so bone is bright in the tensor as in a PNG of the same film.
 * Colour images (RGB, YBR, palette) give three channels divided by their largest possible value.
 */
final class DicomImages {
  private static final int PREAMBLE = 128;
  private static final byte[] MAGIC = "DICM".getBytes(StandardCharsets.US_ASCII);

  private DicomImages() {}

  /** True for a Part 10 file (the DICM magic after the preamble) or a file named {@code *.dcm}. */
  static boolean isDicom(Path file) {
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm")) {
      return true;
    }
    byte[] head = new byte[PREAMBLE + MAGIC.length];
    try (InputStream in = Files.newInputStream(file)) {
      if (in.readNBytes(head, 0, head.length) < head.length) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (head[PREAMBLE + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Reads the only frame of a DICOM image, telling {@code warnings} the rules the file breaks that were read past.
   *
   * @throws ImageReadException naming the file when it is not a readable DICOM image, has no pixels, or has more than
   *     one frame (a dataset row names one image)
   */
  static Tensor read(Path file, Windowing windowing, Consumer<String> warnings) {
    try {
      DicomFile dicom = new DicomReader().read(file);
      dicom.warnings().forEach(w -> warnings.accept(w.toString()));
      DataSet data = dicom.dataSet();
      if (!data.contains(Tags.PIXEL_DATA)) {
        throw new ImageReadException(file + " is a DICOM object without Pixel Data (7FE0,0010), not an image");
      }
      int frames = DataSetPixels.frameCount(data);
      if (frames != 1) {
        throw new ImageReadException(file + " has " + frames + " frames; a dataset row must name a single-frame "
            + "image (write the frames as separate files, or use 'medvision dicom volume' for a volume)");
      }
      FrameDecoder decoder = DataSetPixels.decoder(dicom);
      PixelDescription d = DataSetPixels.forFrame(decoder.description(), data, dicom.source(), 0);
      int[] stored = decoder.decode(0);
      int h = d.rows();
      int w = d.columns();
      if (d.photometric().isMonochrome()) {
        float[] values = PixelTransforms.rescale(d, stored);
        Window window = window(windowing, data, file.toString(), values);
        float[] shown = window.normalize(values);
        if (d.photometric() == PhotometricInterpretation.MONOCHROME1) {
          for (int i = 0; i < shown.length; i++) {
            shown[i] = 1 - shown[i];
          }
        }
        return Tensor.of(Shape.of(1, h, w), shown);
      }
      return colour(PixelTransforms.toRgb(d, stored), d, h, w);
    } catch (ImageReadException e) {
      throw e;
    } catch (MedvisionException e) {
      throw new ImageReadException("cannot read DICOM image " + file + ": " + e.getMessage(), e);
    }
  }

  /** The window {@code windowing} picks for a grey-scale image. */
  static Window window(Windowing windowing, DataSet data, String source, float[] values) {
    switch (windowing.kind()) {
      case FIXED:
        return new Window(windowing.center(), windowing.width());
      case FILE:
        return fileWindow(data, source).orElseGet(() -> Window.spanning(values));
      case RANGE:
        return Window.spanning(values);
      default:
        throw new AssertionError(windowing);
    }
  }

  private static Optional<Window> fileWindow(DataSet data, String source) {
    Optional<String> center = data.string(Tags.WINDOW_CENTER);
    Optional<String> width = data.string(Tags.WINDOW_WIDTH);
    if (center.isEmpty() || width.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Window.fromDicom(center.get(), width.get(), source));
  }

  /** Interleaved RGB samples to planar [3, H, W] in [0, 1]. */
  private static Tensor colour(int[] rgb, PixelDescription d, int h, int w) {
    int bits = d.palette() != null ? d.palette().red().bitsPerEntry() : d.bitsStored();
    float max = (float) ((1L << bits) - 1);
    int plane = h * w;
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      for (int c = 0; c < 3; c++) {
        out[c * plane + i] = rgb[3 * i + c] / max;
      }
    }
    return Tensor.of(Shape.of(3, h, w), out);
  }
}
