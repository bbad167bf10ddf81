package org.medvision.dicom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of raw data sets (no preamble, no File Meta Information), whose encoding the reader guesses
 * from the first element header: only {@link DicomException} may escape. Inputs that carry the DICM magic are
 * skipped so that the fuzzer spends its time on the raw path.
 */
class DicomRawDataSetFuzzTest {
  private static final DicomReader READER = new DicomReader(MutationFuzzTest.OPTIONS);
  private static final byte[] MAGIC = {'D', 'I', 'C', 'M'};

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readRaw(byte[] bytes) {
    if (hasMagic(bytes, 0) || hasMagic(bytes, 128)) {
      return;
    }
    try {
      MutationFuzzTest.touch(READER.read(bytes, "fuzz-raw").dataSet());
    } catch (DicomException documented) {
      // The contract for malformed input.
    }
  }

  private static boolean hasMagic(byte[] bytes, int at) {
    if (bytes.length < at + MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (bytes[at + i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }
}
