package org.medvision.dicom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.medvision.dicom.pixel.DataSetPixels;
import org.medvision.dicom.pixel.FrameDecoder;
import org.medvision.dicom.pixel.PixelDecodingException;

/**
 * Coverage-guided fuzzing of the Part 10 reader, the typed getters and every pixel decoder reached through a file:
 * whatever the bytes, only {@link DicomException} (reading) and {@link PixelDecodingException} (decoding) may escape.
 * The regression pass replays the seeds and past findings under {@code DicomPart10FuzzTestInputs/}.
 */
class DicomPart10FuzzTest {
  private static final DicomReader READER = new DicomReader(MutationFuzzTest.OPTIONS);

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readAndDecode(byte[] bytes) {
    DicomFile file;
    try {
      file = READER.read(bytes, "fuzz.dcm");
      MutationFuzzTest.touch(file.dataSet());
    } catch (DicomException documented) {
      return;
    }
    decodeAllFrames(file);
  }

  /** Decodes every frame, as a consumer would; at most 4 so that a large frame count does not turn into a hang. */
  static void decodeAllFrames(DicomFile file) {
    try {
      FrameDecoder decoder = DataSetPixels.decoder(file);
      for (int frame = 0; frame < Math.min(4, decoder.frameCount()); frame++) {
        decoder.decode(frame);
      }
    } catch (PixelDecodingException | DicomException documented) {
      // The contract for malformed pixel data.
    }
  }
}
