package org.medvision.io.synth.chest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;

class ChestCtManifestTest {
  @TempDir Path dir;

  @Test
  void writesTheHeaderAndRowsAndReadsThemBack() throws Exception {
    List<ChestCtManifest.Row> rows = List.of(
        new ChestCtManifest.Row("ct/case_0001.nii.gz", "masks/case_0001_lung.nii.gz",
            Optional.of("masks/case_0001_infection.nii.gz"), "covid", "p0001"),
        new ChestCtManifest.Row("ct/case_0002", "masks/case_0002_lung.nii.gz", Optional.empty(), "cap", "p0002"));
    Path file = dir.resolve("manifest.csv");
    ChestCtManifest.write(file, rows);
    assertEquals("ct,lung_mask,infection_mask,label,patient_id\n"
        + "ct/case_0001.nii.gz,masks/case_0001_lung.nii.gz,masks/case_0001_infection.nii.gz,covid,p0001\n"
        + "ct/case_0002,masks/case_0002_lung.nii.gz,,cap,p0002\n", Files.readString(file));
    assertEquals(rows, ChestCtManifest.read(file));
  }

  @Test
  void namesWhatIsWrongWithAForeignFile() throws Exception {
    Path file = dir.resolve("other.csv");
    Files.writeString(file, "path,label\nx.png,normal\n");
    MedvisionException header = assertThrows(MedvisionException.class, () -> ChestCtManifest.read(file));
    assertTrue(header.getMessage().contains("header ct,lung_mask"), header.getMessage());
    Files.writeString(file, ChestCtManifest.HEADER + "\na,b,c,covid\n");
    MedvisionException fields = assertThrows(MedvisionException.class, () -> ChestCtManifest.read(file));
    assertTrue(fields.getMessage().contains("line 2 has 4 fields"), fields.getMessage());
  }
}
