package org.medvision.dicom.pixel;

import java.nio.ByteOrder;
import java.util.List;
import org.medvision.dicom.TransferSyntax;

/**
 * Decodes the frames of one Pixel Data element, whatever its transfer syntax, to stored values.
 *
 * <p>Each frame is an {@code int[]} of {@code rows * columns * samplesPerPixel} values, colour-by-pixel, masked to
 * Bits Stored and sign-extended when Pixel Representation is 1. Colour samples stay in the Photometric
 * Interpretation's space (except that JPEG streams whose markers say YCbCr under a DICOM RGB label are converted, as
 * the standard requires); {@link PixelTransforms} converts to RGB and rescales. YBR_FULL_422 comes out with one Cb/Cr
 * per pixel. Frames are decoded on request; encapsulated fragments are divided into frames once.
 *
 * <p>Safe to share between threads: {@link #decode} returns a new array each call and keeps no per-call state.
 */
public final class FrameDecoder {
  private final PixelDescription description;
  private final TransferSyntax syntax;
  private final PixelData pixels;
  // Volatile so that threads sharing this decoder see the list whole; splitting twice in a race is harmless.
  private volatile List<byte[]> encodedFrames;

  /**
   * Prepares decoding; checks that the data's kind fits the transfer syntax and that the syntax's {@link
   * TransferSyntax.Family family} is one we decode.
   *
   * @throws PixelDecodingException for an unsupported syntax (naming its UID and what is missing) or a mismatch
   */
  public FrameDecoder(PixelDescription description, TransferSyntax syntax, PixelData pixels) {
    this.description = description;
    this.syntax = syntax;
    this.pixels = pixels;
    String unsupported = unsupportedReason(syntax.family());
    if (unsupported != null) {
      throw new PixelDecodingException("cannot decode pixel data in transfer syntax " + syntax.uid() + " ("
          + syntax.displayName() + "): " + unsupported);
    }
    if (syntax.encapsulated() != (pixels instanceof EncapsulatedPixelData)) {
      throw new PixelDecodingException("transfer syntax " + syntax.uid() + " (" + syntax.displayName() + ") needs "
          + (syntax.encapsulated() ? "encapsulated" : "native") + " Pixel Data, but the element is "
          + (syntax.encapsulated() ? "native" : "encapsulated"));
    }
    if (pixels instanceof NativePixelData data && NativeFrameReader.framesAvailable(description, data.bytes())
        < description.frames()) {
      throw new PixelDecodingException("native Pixel Data has " + data.bytes().length + " bytes, fewer than the "
          + ((description.nativeFrameBits() * description.frames() + 7) / 8) + " that " + description.frames()
          + " frame(s) of " + description.rows() + " x " + description.columns() + " x "
          + description.samplesPerPixel() + " samples of " + description.bitsAllocated() + " bits need");
    }
  }

  /** Why a family has no decoder here, or null when it has one. */
  private static String unsupportedReason(TransferSyntax.Family family) {
    switch (family) {
      case JPEG_2000_MULTI_COMPONENT -> {
        return "JPEG 2000 Part 2 multi-component transforms are not implemented by jai-imageio";
      }
      case HTJ2K -> {
        return "no HTJ2K (ISO 15444-15) decoder is available on Maven Central for the JVM";
      }
      case JPEG_XL -> {
        return "JPEG XL decoding is not implemented";
      }
      case VIDEO -> {
        return "video transfer syntaxes are not decoded";
      }
      default -> {
        return null;
      }
    }
  }

  /** The description the frames are decoded with. */
  public PixelDescription description() {
    return description;
  }

  /** Number of frames. */
  public int frameCount() {
    return description.frames();
  }

  /**
   * The encoded bytes of one frame of encapsulated data.
   *
   * @throws PixelDecodingException for native data or when the fragments cannot be divided into frames
   */
  public byte[] encodedFrame(int frame) {
    checkIndex(frame);
    if (!(pixels instanceof EncapsulatedPixelData encapsulated)) {
      throw new PixelDecodingException("native Pixel Data has no encoded frames");
    }
    List<byte[]> frames = encodedFrames;
    if (frames == null) {
      frames = List.copyOf(FrameSplitter.split(encapsulated, description.frames(), syntax));
      encodedFrames = frames;
    }
    return frames.get(frame);
  }

  /**
   * Decodes frame {@code frame} (0-based).
   *
   * @throws PixelDecodingException naming the frame when its data is malformed or does not match the description
   */
  public int[] decode(int frame) {
    checkIndex(frame);
    if (pixels instanceof NativePixelData data) {
      return NativeFrameReader.read(description, data, frame);
    }
    byte[] encoded = encodedFrame(frame);
    String what = "frame " + (frame + 1) + " of " + description.frames();
    switch (syntax.family()) {
      case ENCAPSULATED_NATIVE -> {
        PixelDescription single = description.withFrames(1);
        if (NativeFrameReader.framesAvailable(single, encoded) < 1) {
          throw new PixelDecodingException(what + " has " + encoded.length + " bytes, too few for one native frame");
        }
        return NativeFrameReader.read(single, new NativePixelData(encoded, ByteOrder.LITTLE_ENDIAN), 0);
      }
      case RLE -> {
        return RleDecoder.decode(description, encoded, what);
      }
      case JPEG_LS -> {
        JpegLsImage image = JpegLsDecoder.decode(encoded, what, description.samplesPerFrame());
        checkSize(what, "JPEG-LS", image.width(), image.height(), image.components());
        return codecValues(image.samples());
      }
      case JPEG -> {
        int[] samples = ImageIoFrameDecoder.decodeJpeg(description, syntax, encoded, what);
        checkLength(what, "JPEG", samples.length);
        return codecValues(samples);
      }
      case JPEG_2000 -> {
        int[] samples = ImageIoFrameDecoder.decodeJpeg2000(description, syntax, encoded, what);
        checkLength(what, "JPEG 2000", samples.length);
        return codecValues(samples);
      }
      default -> throw new PixelDecodingException("transfer syntax " + syntax.uid() + " (" + syntax.displayName()
          + ") has no decoder");
    }
  }

  private int[] codecValues(int[] samples) {
    StoredValues.forCodec(description).applyInPlace(samples);
    return samples;
  }

  private void checkSize(String what, String codec, int width, int height, int components) {
    if (width != description.columns() || height != description.rows()
        || components != description.samplesPerPixel()) {
      throw new PixelDecodingException(what + ": the " + codec + " codestream is " + width + " x " + height + " x "
          + components + " but Columns x Rows x Samples per Pixel are " + description.columns() + " x "
          + description.rows() + " x " + description.samplesPerPixel());
    }
  }

  private void checkLength(String what, String codec, int length) {
    if (length != description.samplesPerFrame()) {
      throw new PixelDecodingException(what + ": the " + codec + " codestream decodes to " + length
          + " samples but Columns x Rows x Samples per Pixel are " + description.columns() + " x "
          + description.rows() + " x " + description.samplesPerPixel());
    }
  }

  private void checkIndex(int frame) {
    if (frame < 0 || frame >= description.frames()) {
      throw new PixelDecodingException("frame index " + frame + " is outside 0.." + (description.frames() - 1));
    }
  }
}
