package org.medvision.dicom.pixel;

import java.util.Arrays;
import java.util.List;
import org.medvision.dicom.TransferSyntax;

/**
 * The input of a codec fuzz target: three bytes that describe the image (as the Image Pixel module would) followed by
 * one frame's codestream. Keeping the description in the input lets the fuzzer explore mismatches between the
 * attributes and the codestream, which is where decoders index out of bounds.
 *
 * <p>Byte 0: rows - 1; byte 1: columns - 1; byte 2: bit 0 three samples (RGB, or YBR_FULL_422 with bit 4), bit 1
 * 16 bits allocated (else 8), bit 2 signed, bit 3 all 16 bits stored (else 12 for 16-bit data).
 */
final class CodecFuzzInput {
  private static final int HEADER = 3;

  private CodecFuzzInput() {}

  /**
   * Decodes the input's one frame with the given transfer syntax; returns normally or throws the documented
   * {@link PixelDecodingException}.
   */
  static int[] decode(byte[] input, TransferSyntax syntax) {
    if (input.length < HEADER) {
      return new int[0];
    }
    int flags = input[2];
    boolean color = (flags & 1) != 0;
    boolean wide = (flags & 2) != 0;
    int stored = wide ? ((flags & 8) != 0 ? 16 : 12) : 8;
    PixelDescription description = PixelDescription.builder((input[0] & 0xFF) + 1, (input[1] & 0xFF) + 1)
        .bits(wide ? 16 : 8, stored)
        .signed((flags & 4) != 0)
        .samplesPerPixel(color ? 3 : 1)
        .photometric(color ? ((flags & 16) != 0 ? PhotometricInterpretation.YBR_FULL_422 : PhotometricInterpretation.RGB)
            : PhotometricInterpretation.MONOCHROME2)
        .build();
    byte[] codestream = Arrays.copyOfRange(input, HEADER, input.length);
    FrameDecoder decoder = new FrameDecoder(description, syntax, EncapsulatedPixelData.of(List.of(codestream)));
    return decoder.decode(0);
  }
}
