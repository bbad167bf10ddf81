package org.medvision.dicom.pixel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.medvision.dicom.TransferSyntax;

/**
 * Coverage-guided fuzzing of the JPEG (8-bit lossy and lossless through TwelveMonkeys ImageIO, 12-bit lossy through JpegSequentialDecoder; the frame's SOF decides) frame decoder: only {@link PixelDecodingException} may escape, whatever the
 * codestream and the described image ({@link CodecFuzzInput}).
 */
class JpegFuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void decodeFrame(byte[] input) {
    try {
      CodecFuzzInput.decode(input, TransferSyntax.JPEG_LOSSLESS_SV1);
    } catch (PixelDecodingException documented) {
      // The contract for a malformed frame.
    }
  }
}
