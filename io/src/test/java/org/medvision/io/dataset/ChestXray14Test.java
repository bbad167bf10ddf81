package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.io.ProgressListener;

/** Reading the ChestX-ray14 layout: the fixture of the published layout, its splits, and every kind of bad input. */
class ChestXray14Test {
  @TempDir
  Path dir;

  private Path fixture() throws IOException {
    return ChestXray14Fixture.write(dir.resolve("cxr"));
  }

  private static String load(Path data) {
    return assertThrows(DatasetException.class,
        () -> TaskData.load(data, ChestXray14Fixture.SCHEMA, 3, ProgressListener.NONE)).getMessage();
  }

  private static Map<Split, Set<String>> patientsBySplit(TaskData data) {
    Map<Split, Set<String>> out = new HashMap<>();
    data.rows().forEach(r -> out.computeIfAbsent(r.split(), k -> new HashSet<>()).add(r.patientId()));
    return out;
  }

  @Test
  void readsThePublishedLayoutWithTheOfficialTestListAndAValidationCutByPatient() throws IOException {
    Path root = fixture();
    Notices notices = new Notices();
    TaskData data = TaskData.load(root, ChestXray14Fixture.SCHEMA, 3, notices);
    assertEquals(root.toAbsolutePath().normalize(), data.source());
    assertEquals(ChestXray14Fixture.ROWS.size(), data.rows().size());
    assertEquals(List.of(), notices.notes);
    assertTrue(notices.warnings.stream().allMatch(w -> w.startsWith("label '")), notices.warnings.toString());
    Map<Split, Set<String>> patients = patientsBySplit(data);
    assertEquals(ChestXray14Fixture.TEST_PATIENTS, patients.get(Split.TEST));
    // Nine train_val patients: 10% for validation rounds to one, and no patient is on both sides.
    assertEquals(1, patients.get(Split.VAL).size());
    assertEquals(8, patients.get(Split.TRAIN).size());
    assertTrue(patients.get(Split.TRAIN).stream().noneMatch(patients.get(Split.VAL)::contains));
    for (int i = 0; i < data.rows().size(); i++) {
      Sample row = data.rows().get(i);
      String published = ChestXray14Fixture.ROWS.get(i);
      String[] cells = published.split(",", -1);
      String folder = i < 8 ? "images_001/images/" : "images_002/images/";
      assertEquals(root.resolve(folder + cells[0]).toAbsolutePath().normalize().toString(), row.value("path"));
      assertEquals(row.value("path"), row.id());
      assertEquals(cells[1], row.value("labels"));
      assertEquals(cells[3], row.patientId());
      assertEquals(cells[4], row.value(ChestXray14.PATIENT_AGE));
      assertEquals(cells[6], row.value(ChestXray14.VIEW_POSITION));
      assertEquals(cells[9], row.value(ChestXray14.PIXEL_SPACING_X));
      assertEquals(root.resolve(ChestXray14.DATA_ENTRY).toAbsolutePath().normalize(), row.source());
      assertEquals(i + 2, row.line());
    }
  }

  @Test
  void examplesDecodeToTheImageAndTheMultiHotFindings() throws IOException {
    TaskData data = TaskData.load(fixture(), ChestXray14Fixture.SCHEMA, 3, ProgressListener.NONE);
    ExampleReader reader = ExampleReader.all(ChestXray14Fixture.SCHEMA, null);
    Sample row = data.rows().get(12);
    Example e = reader.read(row, 0, 12);
    float[] hot = e.tensors().get("labels").toFloatArray();
    float[] expected = new float[14];
    for (String label : List.of("Edema", "Fibrosis", "Pleural_Thickening")) {
      expected[ChestXray14.FINDINGS.indexOf(label)] = 1;
    }
    assertArrayEquals(expected, hot);
    assertEquals((10 + 13 * 12) / 255f, e.tensors().get("image").toFloatArray()[0], 1e-6f);
    assertArrayEquals(new float[14], reader.read(data.rows().get(3), 0, 3).tensors().get("labels").toFloatArray());
  }

  @Test
  void theSplitSeedMovesOnlyTheValidationCut() throws IOException {
    Path root = fixture();
    List<Set<String>> cuts = new ArrayList<>();
    for (long seed = 0; seed < 6; seed++) {
      TaskData data = TaskData.load(root, ChestXray14Fixture.SCHEMA, seed, ProgressListener.NONE);
      assertEquals(ChestXray14Fixture.TEST_PATIENTS, patientsBySplit(data).get(Split.TEST));
      cuts.add(patientsBySplit(data).get(Split.VAL));
      assertEquals(data.rows(), TaskData.load(root, ChestXray14Fixture.SCHEMA, seed, ProgressListener.NONE).rows());
    }
    assertTrue(new HashSet<>(cuts).size() > 1, cuts.toString());
  }

  @Test
  void imagesMayLieInImagesOrInTheFolderItselfAndTheCsvMayBeNamedInstead() throws IOException {
    Path root = fixture();
    Path flat = dir.resolve("flat");
    Files.createDirectories(flat.resolve("images"));
    for (String name : List.of(ChestXray14.DATA_ENTRY, ChestXray14.TRAIN_VAL_LIST, ChestXray14.TEST_LIST)) {
      Files.copy(root.resolve(name), flat.resolve(name));
    }
    Path beside = dir.resolve("beside");
    Files.createDirectories(beside);
    Files.copy(root.resolve(ChestXray14.DATA_ENTRY), beside.resolve(ChestXray14.DATA_ENTRY));
    for (String row : ChestXray14Fixture.ROWS) {
      String name = ChestXray14Fixture.name(row);
      Path from = Files.exists(root.resolve("images_001/images/" + name)) ? root.resolve("images_001/images/" + name)
          : root.resolve("images_002/images/" + name);
      Files.copy(from, flat.resolve("images").resolve(name));
      Files.copy(from, beside.resolve(name));
    }
    TaskData a = TaskData.load(root, ChestXray14Fixture.SCHEMA, 5, ProgressListener.NONE);
    TaskData b = TaskData.load(flat.resolve(ChestXray14.DATA_ENTRY), ChestXray14Fixture.SCHEMA, 5,
        ProgressListener.NONE);
    assertEquals(flat.toAbsolutePath().normalize(), b.source());
    assertEquals(a.sha256(), b.sha256());
    assertEquals(a.rows().stream().map(Sample::split).toList(), b.rows().stream().map(Sample::split).toList());
    assertTrue(b.rows().get(0).value("path").endsWith("/flat/images/00000001_000.png"), b.rows().get(0).id());
    Notices notices = new Notices();
    TaskData c = TaskData.load(beside, ChestXray14Fixture.SCHEMA, 5, notices);
    assertTrue(c.rows().get(0).value("path").endsWith("/beside/00000001_000.png"), c.rows().get(0).id());
    assertEquals(List.of("data " + beside.toAbsolutePath().normalize() + " has no train_val_list.txt or "
        + "test_list.txt; split 80/10/10 by patient with seed 5"), notices.notes);
    Map<Split, Set<String>> patients = patientsBySplit(c);
    assertEquals(12, patients.values().stream().mapToInt(Set::size).sum(), "a patient lies in one split");
    assertEquals(Set.of(Split.TRAIN, Split.VAL, Split.TEST), patients.keySet());
  }

  @Test
  void theChecksumCoversTheDataEntryAndBothListsButNotTheImages() throws IOException {
    Path root = fixture();
    String before = TaskData.load(root, ChestXray14Fixture.SCHEMA, 1, ProgressListener.NONE).sha256();
    TestFiles.png(root.resolve("images_001/images/00000001_000.png"), 8, 8, (x, y) -> 200);
    assertEquals(before, TaskData.load(root, ChestXray14Fixture.SCHEMA, 1, ProgressListener.NONE).sha256());
    Files.writeString(root.resolve(ChestXray14.TEST_LIST), Files.readString(root.resolve(ChestXray14.TEST_LIST))
        + "\n");
    String listChanged = TaskData.load(root, ChestXray14Fixture.SCHEMA, 1, ProgressListener.NONE).sha256();
    assertNotEquals(before, listChanged);
    Files.writeString(root.resolve(ChestXray14.TRAIN_VAL_LIST),
        Files.readString(root.resolve(ChestXray14.TRAIN_VAL_LIST)) + "\n");
    String trainValChanged = TaskData.load(root, ChestXray14Fixture.SCHEMA, 1, ProgressListener.NONE).sha256();
    assertNotEquals(listChanged, trainValChanged);
    List<String> rows = new ArrayList<>(ChestXray14Fixture.ROWS);
    rows.set(3, rows.get(3).replace(",81,", ",82,"));
    ChestXray14Fixture.writeEntries(root, rows);
    assertNotEquals(trainValChanged, TaskData.load(root, ChestXray14Fixture.SCHEMA, 1, ProgressListener.NONE)
        .sha256());
  }

  @Test
  void aPatientInBothListsIsAWarningWithTheCount() throws IOException {
    Path root = fixture();
    List<String> trainVal = new ArrayList<>(Files.readAllLines(root.resolve(ChestXray14.TRAIN_VAL_LIST)));
    List<String> test = new ArrayList<>(Files.readAllLines(root.resolve(ChestXray14.TEST_LIST)));
    // Patient 10's follow-up and patient 1's first image move to the other list.
    test.remove("00000010_001.png");
    trainVal.add("00000010_001.png");
    trainVal.remove("00000001_000.png");
    test.add("00000001_000.png");
    ChestXray14Fixture.writeList(root.resolve(ChestXray14.TRAIN_VAL_LIST), trainVal);
    ChestXray14Fixture.writeList(root.resolve(ChestXray14.TEST_LIST), test);
    Notices notices = new Notices();
    TaskData data = TaskData.load(root, ChestXray14Fixture.SCHEMA, 3, notices);
    assertEquals(List.of("2 patient(s) have images in both train_val_list.txt and test_list.txt of "
        + root.toAbsolutePath().normalize() + " (e.g. patient 1), so the test split is not patient-disjoint from "
        + "training; the official lists have none"),
        notices.warnings.stream().filter(w -> !w.startsWith("label '")).toList());
    assertEquals(Split.TEST, data.rows().get(0).split());
    assertNotEquals(Split.TEST, data.rows().get(14).split());
  }

  @Test
  void rowsInNeitherListAreLeftOutWithANote() throws IOException {
    Path root = fixture();
    List<String> trainVal = new ArrayList<>(Files.readAllLines(root.resolve(ChestXray14.TRAIN_VAL_LIST)));
    trainVal.remove("00000002_000.png");
    ChestXray14Fixture.writeList(root.resolve(ChestXray14.TRAIN_VAL_LIST), trainVal);
    Notices notices = new Notices();
    TaskData data = TaskData.load(root, ChestXray14Fixture.SCHEMA, 3, notices);
    assertEquals(ChestXray14Fixture.ROWS.size() - 1, data.rows().size());
    assertEquals(List.of("1 image(s) of Data_Entry_2017.csv are in neither train_val_list.txt nor test_list.txt and "
        + "are left out"), notices.notes);
  }

  @Test
  void aLabelWithoutPositivesInASplitIsAWarning() throws IOException {
    Notices notices = new Notices();
    TaskData data = TaskData.load(fixture(), ChestXray14Fixture.SCHEMA, 3, notices);
    // Hernia has one train_val patient (3) and none in test, so at least the test split has no positive.
    assertTrue(notices.warnings.stream().anyMatch(w -> w.startsWith("label 'Hernia' has no positive row in split ")
        && w.contains("test") && w.endsWith(" (2 in all); its per-label metrics there are undefined")),
        notices.warnings.toString());
    assertEquals(3, data.rows().stream().filter(r -> r.split() == Split.TEST).map(Sample::patientId).distinct()
        .count());
  }

  @Test
  void anUnknownFindingNamesTheFileTheLineAndTheKnownLabels() throws IOException {
    Path root = fixture();
    List<String> rows = new ArrayList<>(ChestXray14Fixture.ROWS);
    rows.set(5, rows.get(5).replace("Hernia", "Hernia|Pneumonitis"));
    ChestXray14Fixture.writeEntries(root, rows);
    String message = load(root);
    assertEquals(root.toAbsolutePath().normalize().resolve(ChestXray14.DATA_ENTRY) + " line 7: Finding Labels lists "
        + "'Pneumonitis', which is no label of this task; known labels: " + String.join(", ", ChestXray14.FINDINGS)
        + "; left out: no-finding; case, spaces and _ are ignored", message);
  }

  @Test
  void pleuralThickeningWithASpaceIsTheSameLabel() throws IOException {
    Path root = fixture();
    List<String> rows = new ArrayList<>(ChestXray14Fixture.ROWS);
    rows.set(12, rows.get(12).replace("Pleural_Thickening", "Pleural Thickening"));
    ChestXray14Fixture.writeEntries(root, rows);
    TaskData data = TaskData.load(root, ChestXray14Fixture.SCHEMA, 3, ProgressListener.NONE);
    float[] hot = ExampleReader.all(ChestXray14Fixture.SCHEMA, null).read(data.rows().get(12), 0, 0).tensors()
        .get("labels").toFloatArray();
    assertEquals(1f, hot[ChestXray14.FINDINGS.indexOf("Pleural_Thickening")]);
  }

  @Test
  void listedImagesMissingOnDiskOrFromTheCsvAreNamedWithTheirListAndLine() throws IOException {
    Path root = fixture();
    Files.delete(root.resolve("images_002/images/00000011_000.png"));
    Files.delete(root.resolve("images_001/images/00000002_000.png"));
    String missing = load(root);
    assertEquals("2 image(s) of " + root.toAbsolutePath().normalize() + " are missing on disk (searched ., "
        + "images_001/, images_001/images/, images_002/, images_002/images/): train_val_list.txt line 4: "
        + "00000002_000.png; test_list.txt line 3: 00000011_000.png; unpack every images_0NN archive, or remove the "
        + "rows", missing);
    Path other = ChestXray14Fixture.write(dir.resolve("other"));
    Files.writeString(other.resolve(ChestXray14.TEST_LIST), "00000010_000.png\n00000099_000.png\n");
    assertEquals("1 image(s) in the split files of " + other.toAbsolutePath().normalize() + " are not in "
        + "Data_Entry_2017.csv: test_list.txt line 2: 00000099_000.png", load(other));
  }

  @Test
  void anImageInBothListsOrOneListAloneIsAnError() throws IOException {
    Path root = fixture();
    Files.writeString(root.resolve(ChestXray14.TEST_LIST), "00000010_000.png\n\n00000001_001.png\n");
    Path abs = root.toAbsolutePath().normalize();
    assertEquals(abs.resolve(ChestXray14.TEST_LIST) + " line 3: 00000001_001.png is also in train_val_list.txt line "
        + "2; an image has one split", load(root));
    Files.delete(root.resolve(ChestXray14.TEST_LIST));
    assertEquals("data " + abs + " has train_val_list.txt but not test_list.txt; give both (the official split) or "
        + "neither (a split by patient with the seed)", load(root));
    Files.writeString(root.resolve(ChestXray14.TEST_LIST), "00000010_000.png 00000011_000.png\n");
    assertEquals(abs.resolve(ChestXray14.TEST_LIST) + " line 1: '00000010_000.png 00000011_000.png' is not one file "
        + "name; write one image name per line", load(root));
  }

  @Test
  void malformedRowsNameTheFileAndLine() throws IOException {
    Path root = fixture();
    Path csv = root.toAbsolutePath().normalize().resolve(ChestXray14.DATA_ENTRY);
    String[][] cases = {
        {"00000002_000.png,No Finding,0,2,81,M,PA,2500,2048", csv + " line 5: 9 fields, but the header names 11 "
            + "columns (" + String.join(",", ChestXray14.COLUMNS) + ")"},
        {"00000002_000.png,No Finding,0,2,81,M,PA,2500,2048,0.171,0.171,extra", csv + " line 5: 12 fields, but the "
            + "header names 11 columns (" + String.join(",", ChestXray14.COLUMNS) + ")"},
        {"00000002_000.png,No Finding,0,two,81,M,PA,2500,2048,0.171,0.171,", csv + " line 5: Patient ID 'two' is "
            + "not a whole number"},
        {"00000002_000.png,No Finding,x,2,81,M,PA,2500,2048,0.171,0.171,", csv + " line 5: Follow-up # 'x' is not "
            + "a whole number"},
        {"00000002_000.png,,0,2,81,M,PA,2500,2048,0.171,0.171,", csv + " line 5: empty Finding Labels; an image "
            + "without findings says No Finding"},
        {"00000001_002.png,No Finding,0,2,81,M,PA,2500,2048,0.171,0.171,", csv + " line 5: image 00000001_002.png "
            + "is already listed on line 4"},
        {"\"00000002_000.png,No Finding,0,2", csv + " line 5: quoted field is never closed"}};
    for (String[] c : cases) {
      List<String> rows = new ArrayList<>(ChestXray14Fixture.ROWS);
      rows.set(3, c[0]);
      ChestXray14Fixture.writeEntries(root, rows);
      assertEquals(c[1], load(root), c[0]);
    }
    Files.writeString(csv, "Image Index,Finding Labels,Follow-up #,Patient Age\n");
    assertEquals(csv + " line 1: the header has no 'Patient ID' column; expected " + ChestXray14.HEADER, load(root));
  }

  @Test
  void rowsWithoutTheTrailingCommaAndOtherCasingsOfTheHeaderAreRead() throws IOException {
    Path root = fixture();
    StringBuilder sb = new StringBuilder(String.join(",", ChestXray14.COLUMNS).toUpperCase(java.util.Locale.ROOT))
        .append("\r\n");
    ChestXray14Fixture.ROWS.forEach(r -> sb.append(r, 0, r.length() - 1).append("\r\n"));
    Files.writeString(root.resolve(ChestXray14.DATA_ENTRY), sb.toString());
    TaskData data = TaskData.load(root, ChestXray14Fixture.SCHEMA, 3, ProgressListener.NONE);
    assertEquals(ChestXray14Fixture.ROWS.size(), data.rows().size());
    assertEquals("0.143", data.rows().get(0).value(ChestXray14.PIXEL_SPACING_Y));
  }

  @Test
  void otherFieldsReadTheColumnOfTheirNameAndSchemasThatDoNotFitAreRefused() throws IOException {
    Path root = fixture();
    ImageField image = ChestXray14Fixture.SCHEMA.fields(ImageField.class).get(0);
    LabelField labels = ChestXray14Fixture.SCHEMA.fields(LabelField.class).get(0);
    DataSchema withAge = new DataSchema(List.of(image, labels,
        new org.medvision.api.data.AttributeField("age", "patient_age", "", "")), Map.of("image", "image"), "");
    TaskData data = TaskData.load(root, withAge, 3, ProgressListener.NONE);
    assertEquals("58", data.rows().get(0).value("patient_age"));
    DataSchema withReport = new DataSchema(List.of(image, labels,
        new org.medvision.api.data.TextField("report", "report", true)), Map.of("image", "image"), "");
    String message = assertThrows(DatasetException.class,
        () -> TaskData.load(root, withReport, 3, ProgressListener.NONE)).getMessage();
    assertTrue(message.endsWith("Data_Entry_2017.csv: the task's field 'report' reads column 'report', which this "
        + "file does not have; its columns: " + String.join(", ", ChestXray14.COLUMNS)), message);
    DataSchema single = new DataSchema(List.of(
        ImageField.of("image", "path", new ImagePreprocessing(1, 8, 8, new float[] {0}, new float[] {1}),
            Windowing.file()),
        LabelField.single("label", "label", List.of("normal", "abnormal"))), Map.of("image", "image"), "label");
    message = assertThrows(DatasetException.class, () -> TaskData.load(root, single, 3, ProgressListener.NONE))
        .getMessage();
    assertEquals("data " + root.toAbsolutePath().normalize() + " is in the ChestX-ray14 layout (Data_Entry_2017.csv),"
        + " which gives each example one image and a multi-label field; this task's examples have fields [image, "
        + "label], so give a manifest CSV instead", message);
    assertFalse(ChestXray14.fits(single));
    assertTrue(ChestXray14.fits(ChestXray14Fixture.SCHEMA));
    assertEquals(Set.of("image", "labels"), ChestXray14Fixture.SCHEMA.fields().stream().map(f -> f.name())
        .collect(Collectors.toSet()));
  }
}
