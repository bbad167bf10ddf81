package org.medvision.dicom.pixel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.medvision.dicom.TransferSyntax;

/**
 * Coverage-guided fuzzing of the JPEG 2000 (jai-imageio) frame decoder: only {@link PixelDecodingException} may escape, whatever the
 * codestream and the described image ({@link CodecFuzzInput}).
 */
class Jpeg2000FuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void decodeFrame(byte[] input) {
    try {
      CodecFuzzInput.decode(input, TransferSyntax.JPEG_2000);
    } catch (PixelDecodingException documented) {
      // The contract for a malformed frame.
    }
  }
}
