package org.medvision.dicom;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the DICOMDIR reader (records, types, Referenced File IDs): only {@link DicomException}
 * may escape. The reader takes a path, so every input is written to one scratch file in a private folder.
 */
class DicomdirFuzzTest {
  private static Path scratch;

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readDicomdir(byte[] bytes) throws IOException {
    Path file = scratchFile();
    Files.write(file, bytes);
    try {
      for (Dicomdir.Record record : Dicomdir.read(file)) {
        record.file().ifPresent(path -> {
          if (!path.startsWith(file.getParent())) {
            throw new AssertionError("record file " + path + " leaves the file-set folder " + file.getParent());
          }
        });
        MutationFuzzTest.touch(record.attributes());
      }
    } catch (DicomException documented) {
      // The contract for malformed input.
    }
  }

  private static synchronized Path scratchFile() {
    if (scratch == null) {
      try {
        Path folder = Files.createTempDirectory("medvision-dicomdir-fuzz");
        folder.toFile().deleteOnExit();
        scratch = folder.resolve("DICOMDIR");
        scratch.toFile().deleteOnExit();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return scratch;
  }
}
