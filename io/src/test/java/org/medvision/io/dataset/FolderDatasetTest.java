package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.TextField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;

class FolderDatasetTest {
  private static final ImageField IMAGE = ImageField.of("image", "path",
      new ImagePreprocessing(1, 8, 8, new float[] {0}, new float[] {1}), Windowing.fixed(40, 80));
  private static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");

  @TempDir Path dir;

  private static DataSchema schema(LabelField label) {
    return new DataSchema(List.of(IMAGE, label), Map.of("image", "image"), "label");
  }

  /** Three classes; folder "Non-Stroke" names the normal class. */
  private static DataSchema threeClasses() {
    return schema(new LabelField("label", "label", CLASSES, Map.of("non-stroke", "normal"), Set.of(), false, ""));
  }

  private void touch(String relative) throws IOException {
    Path p = dir.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {0});
  }

  @Test
  void readsClassFoldersInClassOrderAcceptingCaseAndSynonyms() throws IOException {
    touch("non-stroke/b.png");
    touch("non-stroke/a.PNG");
    touch("ISCHEMIC/x.jpg");
    touch("Hemorrhagic/h.dcm");
    touch("Hemorrhagic/notes.txt");
    touch("Hemorrhagic/.hidden.png");
    touch("Hemorrhagic/nested/deep.png");
    touch(".DS_Store/junk.png");
    List<Sample> rows = FolderDataset.read(dir, threeClasses());
    assertEquals(List.of("normal", "normal", "ischemic", "hemorrhagic"), rows.stream().map(Sample::label).toList());
    Path first = dir.resolve("non-stroke/a.PNG").toAbsolutePath();
    assertEquals(first.toString(), rows.get(0).id());
    assertEquals(first.toString(), rows.get(0).value("path"));
    // The label cell holds the class name, so the rows go through Labels.apply like manifest rows.
    assertEquals("normal", rows.get(0).value("label"));
    assertEquals(rows, Labels.apply(rows, threeClasses().labels().orElseThrow()));
    assertNull(rows.get(0).patientId());
    assertNull(rows.get(0).split());
    assertEquals(rows.get(3).id(), rows.get(3).where());
    assertEquals(dir.resolve("Hemorrhagic/h.dcm").toAbsolutePath().toString(), rows.get(3).id());
  }

  @Test
  void severalFoldersOfOneClassAreReadInSynonymOrderAndIgnoredFoldersAreSkipped() throws IOException {
    // Two folders read as one class, in the field's synonym order (ischemic, then hemorrhagic).
    Map<String, String> synonyms = new LinkedHashMap<>();
    synonyms.put("non-stroke", "normal");
    synonyms.put("ischemic", "stroke");
    synonyms.put("hemorrhagic", "stroke");
    LabelField presence = new LabelField("label", "label", List.of("normal", "stroke"), synonyms, Set.of("unsure"),
        false, "");
    touch("Hemorrhagic/h.png");
    touch("Ischemic/i.png");
    touch("Non-Stroke/n.png");
    touch("Unsure/u.png");
    List<Sample> rows = FolderDataset.read(dir, schema(presence));
    assertEquals(List.of("normal", "stroke", "stroke"), rows.stream().map(Sample::label).toList());
    assertTrue(rows.get(1).id().endsWith("Ischemic/i.png") && rows.get(2).id().endsWith("Hemorrhagic/h.png"),
        rows.toString());
  }

  @Test
  void unknownFolderAndEmptyClassAreNamed() throws IOException {
    touch("Non-Stroke/a.png");
    touch("Hemorrage/h.png");
    DatasetException e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir, threeClasses()));
    assertTrue(e.getMessage().contains("folders that name no class: Hemorrage"), e.getMessage());
    assertTrue(e.getMessage().contains("expected one folder per class of [normal, ischemic, hemorrhagic]"),
        e.getMessage());
    assertTrue(e.getMessage().contains("non-stroke = normal"), e.getMessage());
    Files.delete(dir.resolve("Hemorrage/h.png"));
    Files.delete(dir.resolve("Hemorrage"));
    Files.createDirectories(dir.resolve("Ischemic"));
    e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir, threeClasses()));
    assertTrue(e.getMessage().contains("class folder " + dir.resolve("Ischemic") + " holds no"), e.getMessage());
  }

  @Test
  void foldersThatAreOneLabelAreRefused() throws IOException {
    touch("Normal/a.png");
    touch("normal/b.png");
    DatasetException e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir, threeClasses()));
    assertTrue(e.getMessage().contains("are the same label"), e.getMessage());
  }

  @Test
  void nestedTrainingFolderMustBeGivenItself() throws IOException {
    touch("Training/Normal/a.png");
    DatasetException e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir, threeClasses()));
    assertTrue(e.getMessage().contains("Training") && e.getMessage().contains("give that folder"), e.getMessage());
    assertEquals(1, FolderDataset.read(dir.resolve("Training"), threeClasses()).size());
    e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir.resolve("absent"), threeClasses()));
    assertTrue(e.getMessage().startsWith("dataset folder not found: "), e.getMessage());
  }

  @Test
  void onlyOneImageAndOneLabelFitTheLayout() throws IOException {
    touch("Normal/a.png");
    DataSchema withText = new DataSchema(List.of(IMAGE, LabelField.single("label", "label", CLASSES),
        new TextField("report", "report", false)), Map.of("image", "image"), "label");
    assertTrue(FolderDataset.fits(threeClasses()));
    assertFalse(FolderDataset.fits(withText));
    DatasetException e = assertThrows(DatasetException.class, () -> FolderDataset.read(dir, withText));
    assertTrue(e.getMessage().contains("fields [image, label, report]")
        && e.getMessage().contains("give a manifest CSV instead"), e.getMessage());
  }
}
