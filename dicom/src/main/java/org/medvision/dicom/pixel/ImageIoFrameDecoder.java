package org.medvision.dicom.pixel;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.medvision.dicom.TransferSyntax;

/**
 * Decodes JPEG frames with TwelveMonkeys (12-bit lossy ones with our {@link JpegSequentialDecoder}, lossless ones with
 * our {@link JpegLosslessDecoder}) and JPEG 2000 frames with jai-imageio, always through {@code readRaster} so that we
 * get the codestream's sample values and no colour management.
 *
 * <p>The readers are named explicitly rather than looked up in the ImageIO registry, so another JPEG plugin on the
 * class path cannot change our output.
 */
final class ImageIoFrameDecoder {
  private static final Class<? extends ImageReaderSpi> JPEG = JPEGImageReaderSpi.class;
  private static final Class<? extends ImageReaderSpi> JPEG_2000 = J2KImageReaderSpi.class;

  private ImageIoFrameDecoder() {}

  /**
   * The registered provider instances, not new ones: TwelveMonkeys finds the JDK reader it delegates to when it is
   * registered. The class path is scanned once, on first use, because a scan costs milliseconds.
   */
  private static final class Registered {
    static {
      ImageIO.scanForPlugins();
    }

    static ImageReaderSpi provider(Class<? extends ImageReaderSpi> type) {
      return IIORegistry.getDefaultInstance().getServiceProviderByClass(type);
    }
  }

  /**
   * Decodes an ISO 10918 JPEG frame to samples, colour-by-pixel.
   *
   * <p>The raster holds the stream's components unconverted. When the DICOM Photometric Interpretation is RGB but
   * the stream's markers say YCbCr (JFIF, or Adobe transform 1), we convert to RGB as a JPEG decoder would; when the
   * DICOM says YBR we keep the YCbCr samples, so the data is never converted twice. A stream with neither marker
   * says nothing and the DICOM label stands, as in gdcm and dcmtk.
   */
  static int[] decodeJpeg(PixelDescription description, TransferSyntax syntax, byte[] frame, String what) {
    JpegHeader header = JpegHeader.scan(frame, what);
    long declared = (long) header.width() * header.height() * header.componentIds().length;
    if (declared > description.samplesPerFrame()) {
      // Checked before any decoder allocates for the header's size (a fuzzing finding).
      throw new PixelDecodingException("JPEG " + what + ": the frame header says " + header.width() + " x "
          + header.height() + " x " + header.componentIds().length + ", more than the " + description.samplesPerFrame()
          + " samples of Columns x Rows x Samples per Pixel");
    }
    // The JDK's libjpeg behind TwelveMonkeys reads 8-bit lossy JPEG only; 12-bit (process 4) is ours, and so is
    // lossless, where ours is several times faster than TwelveMonkeys' pure-Java reader.
    int[] samples;
    if (header.lossless()) {
      samples = JpegLosslessDecoder.decode(frame, what);
    } else if (header.precision() > 8) {
      samples = JpegSequentialDecoder.decode(frame, what, description.samplesPerFrame());
    } else {
      samples = read(JPEG, frame, "JPEG " + what, syntax, description.samplesPerFrame());
    }
    if (description.samplesPerPixel() == 3 && description.photometric() == PhotometricInterpretation.RGB
        && header.colourTransformed()) {
      YcbcrToRgb.jpegInPlace(samples, header.precision());
    }
    return samples;
  }

  /**
   * Decodes an ISO 10918 JPEG frame with TwelveMonkeys whatever its process, without colour conversion: the
   * reference our own lossless decoder is compared and timed against.
   */
  static int[] decodeJpegWithImageIo(TransferSyntax syntax, byte[] frame, String what) {
    return read(JPEG, frame, "JPEG " + what, syntax, Long.MAX_VALUE);
  }

  /** Decodes a JPEG 2000 frame (raw codestream or JP2) to samples, colour-by-pixel. */
  static int[] decodeJpeg2000(PixelDescription description, TransferSyntax syntax, byte[] frame, String what) {
    Jpeg2000Size.check(frame, description.samplesPerFrame(), "JPEG 2000 " + what);
    return read(JPEG_2000, frame, "JPEG 2000 " + what, syntax, description.samplesPerFrame());
  }

  /** Reads the stream's one image, refusing one with more pixels than {@code maxSamples} before decoding it. */
  private static int[] read(Class<? extends ImageReaderSpi> type, byte[] frame, String what,
      TransferSyntax syntax, long maxSamples) {
    ImageReaderSpi spi = Registered.provider(type);
    if (spi == null) {
      throw new PixelDecodingException("cannot decode " + what + " in transfer syntax " + syntax.uid() + ": the"
          + " ImageIO plugin " + type.getName() + " is not registered");
    }
    ImageReader reader = null;
    try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(frame))) {
      reader = spi.createReaderInstance();
      reader.setInput(input, true, true);
      // Readers report a truncated or corrupt stream as a warning and return a grey-filled image; we refuse it.
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      // A corrupt size field would have the codec allocate and decode for minutes (a fuzzing finding).
      long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
      if (pixels > maxSamples) {
        throw new PixelDecodingException("cannot decode " + what + ": the codestream is " + reader.getWidth(0) + " x "
            + reader.getHeight(0) + ", more than the " + maxSamples + " samples of Columns x Rows x Samples per Pixel");
      }
      Raster raster = reader.readRaster(0, null);
      if (!warnings.isEmpty()) {
        throw new PixelDecodingException("cannot decode " + what + " in transfer syntax " + syntax.uid() + " ("
            + syntax.displayName() + "): the codec reported " + String.join("; ", warnings));
      }
      return raster.getPixels(raster.getMinX(), raster.getMinY(), raster.getWidth(), raster.getHeight(),
          (int[]) null);
    } catch (PixelDecodingException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new PixelDecodingException("cannot decode " + what + " in transfer syntax " + syntax.uid() + " ("
          + syntax.displayName() + "): " + e.getMessage(), e);
    } catch (ThreadDeath e) {
      // jai's JJ2000 core signals a corrupt or truncated codestream by throwing ThreadDeath (after printing the
      // cause); the thread is not being stopped, so this is a decoding error like any other.
      throw new PixelDecodingException("cannot decode " + what + " in transfer syntax " + syntax.uid() + " ("
          + syntax.displayName() + "): the codestream is corrupt or truncated", e);
    } finally {
      if (reader != null) {
        reader.dispose();
      }
    }
  }
}
