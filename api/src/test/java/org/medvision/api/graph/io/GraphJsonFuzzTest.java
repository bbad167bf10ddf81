package org.medvision.api.graph.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the {@code .graph} text form, the graph JSON (decoding and IR validation): only
 * {@link GraphFileException} may escape {@link GraphFiles#fromJson}.
 */
class GraphJsonFuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void parseGraphJson(byte[] bytes) {
    try {
      GraphFiles.fromJson(new String(bytes, StandardCharsets.UTF_8), "fuzz.json");
    } catch (GraphFileException documented) {
      // The contract for malformed graph JSON.
    }
  }
}
