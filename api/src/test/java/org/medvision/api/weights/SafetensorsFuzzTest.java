package org.medvision.api.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the safetensors reader (header length, header JSON, dtypes, shapes, data offsets): only
 * {@link WeightsFormatException} may escape {@link Safetensors#fromBytes}.
 */
class SafetensorsFuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readSafetensors(byte[] bytes) {
    try {
      Safetensors.fromBytes(bytes, "fuzz.safetensors").tensors().values().forEach(tensor -> tensor.shape());
    } catch (WeightsFormatException documented) {
      // The contract for a malformed file.
    }
  }
}
