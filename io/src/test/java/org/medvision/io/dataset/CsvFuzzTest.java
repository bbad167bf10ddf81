package org.medvision.io.dataset;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.medvision.io.fuzz.ScratchFile;

/**
 * Coverage-guided fuzzing of the CSV readers: the CSV tokenizer, the ChestX-ray14 {@code Data_Entry} file and a
 * {@code path,labels} manifest. Only {@link DatasetException} may escape. The first byte picks the reader, the rest is
 * the file.
 */
class CsvFuzzTest {
  private static final List<Columns.Column> PATH_LABELS = List.of(
      new Columns.Column("path", Columns.Kind.FILE, true), new Columns.Column("labels", Columns.Kind.VALUE, true),
      new Columns.Column(Columns.PATIENT, Columns.Kind.VALUE, false),
      new Columns.Column(Columns.SPLIT, Columns.Kind.VALUE, false));

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readCsv(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    try {
      switch ((input[0] & 0xFF) % 3) {
        case 0 -> CsvParser.parse(new String(body, StandardCharsets.UTF_8), "fuzz.csv");
        case 1 -> DataEntryCsv.read(ScratchFile.write("Data_Entry_2017.csv", body));
        default -> {
          Path manifest = ScratchFile.write("manifest.csv", body);
          Manifest.read(manifest, PATH_LABELS);
        }
      }
    } catch (DatasetException documented) {
      // The contract for a malformed file.
    }
  }
}
