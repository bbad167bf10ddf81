package org.medvision.io.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.medvision.io.fuzz.ScratchFile;

/**
 * Coverage-guided fuzzing of PNG and JPEG image input ({@link Images#read}): only {@link ImageReadException} may
 * escape. The first byte picks the file extension, the rest is the file.
 */
class ImageInputFuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readImage(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String name = (input[0] & 1) == 0 ? "fuzz.png" : "fuzz.jpg";
    try {
      Images.read(ScratchFile.write(name, Arrays.copyOfRange(input, 1, input.length)));
    } catch (ImageReadException documented) {
      // The contract for a malformed image.
    }
  }
}
