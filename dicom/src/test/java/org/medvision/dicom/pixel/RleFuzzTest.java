package org.medvision.dicom.pixel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.medvision.dicom.TransferSyntax;

/**
 * Coverage-guided fuzzing of the RLE Lossless (PS3.5 annex G) frame decoder: only {@link PixelDecodingException} may escape, whatever the
 * codestream and the described image ({@link CodecFuzzInput}).
 */
class RleFuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void decodeFrame(byte[] input) {
    try {
      CodecFuzzInput.decode(input, TransferSyntax.RLE_LOSSLESS);
    } catch (PixelDecodingException documented) {
      // The contract for a malformed frame.
    }
  }
}
