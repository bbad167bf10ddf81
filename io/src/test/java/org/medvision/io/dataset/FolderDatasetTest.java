package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {
  @TempDir Path dir;

  private void touch(String relative) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {0});
  }

  @Test
  void readsTheThreeClassFoldersCaseInsensitively() throws IOException {
    touch("non-stroke/b.png");
    touch("non-stroke/a.PNG");
    touch("ISCHEMIC/x.jpg");
    touch("Hemorrhagic/h.png");
    touch("Hemorrhagic/notes.txt");
    touch("Hemorrhagic/nested/deep.png");
    touch(".DS_Store/junk.png");
    List<Sample> rows = FolderDataset.read(dir);
    assertEquals(List.of("normal", "normal", "ischemic", "hemorrhagic"), rows.stream().map(Sample::label).toList());
    assertEquals(dir.resolve("non-stroke/a.PNG").toAbsolutePath(), rows.get(0).path());
    assertNull(rows.get(0).patientId());
    assertNull(rows.get(0).split());
    assertEquals(rows.get(3).path().toString(), rows.get(3).where());
    assertEquals(4, LabelMapping.forSubtask("3class").apply(rows).size());
  }

  @Test
  void unknownFolderAndEmptyClassAreNamed() throws IOException {
    touch("Non-Stroke/a.png");
    touch("Hemorrage/h.png");
    DatasetException e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir));
    assertTrue(e.getMessage().contains("folders that name no class: Hemorrage"), e.getMessage());
    assertTrue(e.getMessage().contains("Non-Stroke/, Ischemic/ and Hemorrhagic/"), e.getMessage());
    Files.delete(dir.resolve("Hemorrage/h.png"));
    Files.delete(dir.resolve("Hemorrage"));
    Files.createDirectories(dir.resolve("Ischemic"));
    e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir));
    assertTrue(e.getMessage().contains("class folder " + dir.resolve("Ischemic") + " holds no"), e.getMessage());
  }

  @Test
  void nestedTrainingFolderMustBeGivenItself() throws IOException {
    touch("Training/Normal/a.png");
    DatasetException e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir));
    assertTrue(e.getMessage().contains("Training") && e.getMessage().contains("give that folder"), e.getMessage());
    assertEquals(1, FolderDataset.read(dir.resolve("Training")).size());
    assertThrows(DatasetException.class, () -> FolderDataset.read(dir.resolve("absent")));
  }
}
