package org.medvision.io.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.medvision.api.data.Windowing;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Decodes raster image files into float tensors with {@code javax.imageio}, and single-frame DICOM images with our
 * codec (windowed to [0, 1] by the file's own window; see {@code DicomImages}).
 *
 * <p>The result is float32 {@code [C, H, W]} with every sample divided by the largest value its bit depth can hold,
 * so 8-bit data is scaled by 255 and 16-bit data by 65535, giving values in [0, 1]. Grayscale (with or without alpha)
 * gives C = 1; RGB and RGBA give C = 3 (alpha is dropped, not composited: medical images carry no meaningful
 * transparency); palette images are expanded to RGB. Samples are taken as stored, with no colour-profile or gamma
 * conversion, which is what PIL and torchvision do. Colour spaces other than gray and RGB (e.g. CMYK) are converted to
 * sRGB by {@code javax.imageio}.
 */
public final class Images {
  private Images() {}

  /** The most pixels an input image may have (8192 x 8192), far above any radiograph we read. */
  public static final long MAX_PIXELS = 8192L * 8192L;

  /**
   * Reads the first image in {@code file}.
   *
   * @return float32 [C, H, W], C in {1, 3}, values in [0, 1]
   * @throws ImageReadException naming the file when it is missing, unreadable, in no format {@code javax.imageio}
   *     reads (PNG, JPEG, BMP, GIF, WBMP) and not DICOM, a multi-frame DICOM object, truncated or otherwise corrupt,
   *     or larger than {@link #MAX_PIXELS}
   */
  public static Tensor read(Path file) {
    return read(file, Windowing.file());
  }

  /**
   * Reads the first image in {@code file}, windowing DICOM grey-scale values as {@code windowing} says (display
   * formats are scaled by their bit depth whatever it says).
   *
   * @return float32 [C, H, W], C in {1, 3}, values in [0, 1]
   * @throws ImageReadException as {@link #read(Path)}
   */
  public static Tensor read(Path file, Windowing windowing) {
    return read(file, windowing, warning -> {});
  }

  /**
   * As {@link #read(Path, Windowing)}, telling {@code warnings} each rule a DICOM file breaks that the lenient reader
   * reads past ({@link org.medvision.dicom.DicomReadWarning}, as text naming the file, tag, offset and assumption).
   */
  public static Tensor read(Path file, Windowing windowing, Consumer<String> warnings) {
    if (!Files.exists(file)) {
      throw new ImageReadException("image file not found: " + file);
    }
    if (Files.isDirectory(file)) {
      throw new ImageReadException("image " + file + " is a folder, not a file; give the image files, or the folder "
          + "with --input where a command takes folders");
    }
    if (DicomImages.isDicom(file)) {
      return DicomImages.read(file, windowing, warnings);
    }
    return toTensor(decode(file), file);
  }

  private static BufferedImage decode(Path file) {
    try (InputStream raw = Files.newInputStream(file);
        ImageInputStream in = new MemoryCacheImageInputStream(raw)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageReadException(file + " is not an image in a readable format (PNG, JPEG, BMP)");
      }
      ImageReader reader = readers.next();
      // JPEG decoders report a truncated stream only as a warning and return grey-filled rows; treat it as an error.
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        // A header's size is checked before the decoder allocates for it (a fuzzing finding: a 34-byte JPEG
        // naming 63737 x 23814 pixels was an OutOfMemoryError).
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > MAX_PIXELS) {
          throw new ImageReadException("image " + file + " is " + reader.getWidth(0) + " x " + reader.getHeight(0)
              + " pixels, more than the " + MAX_PIXELS + " (8192 x 8192) an input image may have");
        }
        BufferedImage image = reader.read(0);
        if (!warnings.isEmpty()) {
          throw new ImageReadException("image " + file + " is corrupt or truncated: " + String.join("; ", warnings));
        }
        return image;
      } finally {
        reader.dispose();
      }
    } catch (NoSuchFileException e) {
      throw new ImageReadException("image file not found: " + file, e);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ImageReadException) {
        throw (ImageReadException) e;
      }
      // ImageIO signals corrupt data with IIOException, EOFException or, for some malformed headers, runtime errors.
      throw new ImageReadException("cannot decode image " + file + " (corrupt or truncated?): " + describe(e), e);
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static Tensor toTensor(BufferedImage image, Path file) {
    int w = image.getWidth();
    int h = image.getHeight();
    ColorModel cm = image.getColorModel();
    Raster raster = image.getRaster();
    int type = cm.getColorSpace().getType();
    boolean direct = !(cm instanceof IndexColorModel) && isIntegral(raster.getDataBuffer().getDataType())
        && ((cm.getNumColorComponents() == 1 && type == ColorSpace.TYPE_GRAY)
            || (cm.getNumColorComponents() == 3 && type == ColorSpace.TYPE_RGB));
    float[] out;
    int channels;
    if (direct) {
      channels = cm.getNumColorComponents();
      out = new float[channels * h * w];
      int[] samples = new int[w * h];
      for (int c = 0; c < channels; c++) {
        raster.getSamples(0, 0, w, h, c, samples);
        int bits = raster.getSampleModel().getSampleSize(c);
        float max = (float) ((1L << bits) - 1);
        int base = c * h * w;
        for (int i = 0; i < samples.length; i++) {
          out[base + i] = (samples[i] & 0xFFFFFFFFL) / max;
        }
      }
    } else {
      // Palette and unusual colour spaces: let the colour model produce 8-bit sRGB.
      channels = 3;
      out = new float[3 * h * w];
      int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
      int plane = h * w;
      for (int i = 0; i < argb.length; i++) {
        int p = argb[i];
        out[i] = ((p >> 16) & 0xFF) / 255f;
        out[plane + i] = ((p >> 8) & 0xFF) / 255f;
        out[2 * plane + i] = (p & 0xFF) / 255f;
      }
    }
    if (w == 0 || h == 0) {
      throw new ImageReadException("image " + file + " is empty (" + w + "x" + h + ")");
    }
    return Tensor.of(Shape.of(channels, h, w), out);
  }

  private static boolean isIntegral(int dataType) {
    return dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT
        || dataType == DataBuffer.TYPE_INT;
  }
}
