package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.task.Acquisition;
import org.medvision.api.task.Task;
import org.medvision.io.ProgressListener;

/** StrokeNeXt declares CT of the head; an MR series (or a CT of another body part) is flagged, a CT head is not. */
class AcquisitionCheckTest {
  @TempDir Path dir;

  @Test
  void strokeNextFlagsAnMrSeriesAndPassesItsOwnCt() throws IOException {
    Task task = Models.atto("3class");
    assertEquals(Acquisition.of(Set.of("CT"), Set.of("HEAD", "BRAIN", "SKULL")), task.acquisition());
    Path ct = Files.createDirectories(dir.resolve("ct"));
    Models.ctSeries(ct, 2, 5);
    Path mr = Files.createDirectories(dir.resolve("mr"));
    for (Path f : Models.ctSeries(dir.resolve("mr-src"), 2, 6)) {
      Files.write(mr.resolve(f.getFileName()), withModality(Files.readAllBytes(f), "MR"));
    }

    assertEquals(List.of(Optional.empty(), Optional.empty()), warnings(task, ct));
    for (Optional<String> w : warnings(task, mr)) {
      assertEquals("modality MR is not one the task was built for (CT); strokenext was built for CT of "
          + "BRAIN/HEAD/SKULL, so its result for this input is not meaningful", w.orElseThrow());
    }
  }

  @Test
  void missingValuesAreNoEvidenceAndOtherBodyPartsAreFlagged() {
    Acquisition chest = Acquisition.of(Set.of("CR", "DX"), Set.of("chest"));
    assertEquals(Optional.empty(), chest.mismatch(null, null));
    assertEquals(Optional.empty(), chest.mismatch("dx", "CHEST "));
    assertTrue(chest.mismatch("DX", "HAND").orElseThrow().startsWith("body part HAND is not one"));
    assertTrue(chest.mismatch("CT", null).orElseThrow().startsWith("modality CT is not one"));
    assertEquals(Optional.empty(), Acquisition.ANY.mismatch("MR", "KNEE"));
  }

  private static List<Optional<String>> warnings(Task task, Path folder) {
    List<Optional<String>> out = new ArrayList<>();
    for (PredictionInput in : PredictionInputs.collect(task.data(), List.of(folder), w -> { }, ProgressListener.NONE)) {
      out.add(AcquisitionCheck.warning(task, in));
    }
    return out;
  }

  /** The file with its Modality (0008,0060, explicit VR little endian, "CS", 2 bytes) value replaced. */
  private static byte[] withModality(byte[] file, String modality) {
    byte[] element = {0x08, 0x00, 0x60, 0x00, 'C', 'S', 0x02, 0x00};
    for (int i = 0; i + element.length + 2 <= file.length; i++) {
      boolean match = true;
      for (int j = 0; j < element.length && match; j++) {
        match = file[i + j] == element[j];
      }
      if (match) {
        byte[] value = modality.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(value, 0, file, i + element.length, 2);
        return file;
      }
    }
    throw new AssertionError("no 2-byte Modality element in the synthetic file");
  }
}
