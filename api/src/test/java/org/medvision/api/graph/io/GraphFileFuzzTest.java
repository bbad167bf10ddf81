package org.medvision.api.graph.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the binary {@code .graph} format (safetensors with the graph JSON in its metadata):
 * only {@link GraphFileException} may escape {@link GraphFiles#read}. Each input is written to one scratch file.
 */
class GraphFileFuzzTest {
  private static Path scratch;

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readGraphFile(byte[] bytes) throws IOException {
    Path file = scratch();
    Files.write(file, bytes);
    try {
      GraphFiles.read(file);
    } catch (GraphFileException documented) {
      // The contract for a malformed graph file.
    }
  }

  private static synchronized Path scratch() throws IOException {
    if (scratch == null) {
      scratch = Files.createTempFile("medvision-fuzz", GraphFiles.EXTENSION);
      scratch.toFile().deleteOnExit();
    }
    return scratch;
  }
}
