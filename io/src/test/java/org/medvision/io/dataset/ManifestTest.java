package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.BagField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;

class ManifestTest {
  /** An image in column {@code path} and a label in column {@code label}: path, label, patient_id, split. */
  private static final List<Columns.Column> COLUMNS = Columns.of(new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, 8, 8, new float[] {0}, new float[] {1}),
          Windowing.file()),
      LabelField.single("label", "label", List.of("normal", "stroke"))), Map.of("image", "image"), "label"));

  @TempDir Path dir;

  private Path manifest(String text, String... images) throws IOException {
    for (String i : images) {
      Path p = dir.resolve(i);
      Files.createDirectories(p.getParent());
      Files.write(p, new byte[] {1});
    }
    return Files.writeString(dir.resolve("m.csv"), text);
  }

  private String error(String text, String... images) throws IOException {
    Path m = manifest(text, images);
    return assertThrows(DatasetException.class, () -> Manifest.read(m, COLUMNS)).getMessage();
  }

  private String abs(String relative) {
    return dir.resolve(relative).toAbsolutePath().normalize().toString();
  }

  @Test
  void columnsOfASchemaAreItsFieldColumnsThenPatientAndSplit() {
    assertEquals(List.of(new Columns.Column("path", Columns.Kind.FILE, true),
        new Columns.Column("label", Columns.Kind.VALUE, true),
        new Columns.Column(Columns.PATIENT, Columns.Kind.VALUE, false),
        new Columns.Column(Columns.SPLIT, Columns.Kind.VALUE, false)), COLUMNS);
    assertEquals("path", Columns.idColumn(COLUMNS));
  }

  @Test
  void parsesQuotedFieldsCrlfBomAndAnyColumnOrder() throws IOException {
    Path m = manifest("\uFEFFLabel,Split,path,patient_id\r\n"
        + "normal,train,a.png,p1\r\n"
        + "\"stroke\",,\"dir, with comma/b \"\"x\"\".png\",\r\n"
        + "\r\n"
        + " Stroke , TEST , sub/../sub/c.png , p2 \n",
        "a.png", "dir, with comma/b \"x\".png", "sub/c.png");
    List<Sample> rows = Manifest.read(m, COLUMNS);
    assertEquals(3, rows.size());
    assertEquals(abs("a.png"), rows.get(0).id());
    assertEquals(abs("a.png"), rows.get(0).value("path"));
    assertEquals(Split.TRAIN, rows.get(0).split());
    assertEquals("p1", rows.get(0).patientId());
    assertEquals(abs("dir, with comma/b \"x\".png"), rows.get(1).id());
    assertNull(rows.get(1).split());
    assertNull(rows.get(1).patientId());
    // Cells are trimmed, label text is kept as written (Labels maps it), paths are resolved and normalised.
    assertEquals("Stroke", rows.get(2).value("label"));
    assertEquals(abs("sub/c.png"), rows.get(2).id());
    assertNull(rows.get(2).label());
    assertEquals(Split.TEST, rows.get(2).split());
    assertEquals(5, rows.get(2).line());
    assertEquals(m + " line 5", rows.get(2).where());
    // Patient and split are row properties, not cells.
    assertEquals(List.of("path", "label"), List.copyOf(rows.get(0).values().keySet()));
  }

  @Test
  void quotedFieldMayHoldALineBreakAndLinesCountOn() throws IOException {
    List<Sample> rows = Manifest.read(manifest("path,label\n\"a\nb.png\",normal\nc.png,normal\n", "a\nb.png",
        "c.png"), COLUMNS);
    assertEquals(2, rows.get(0).line());
    assertEquals(4, rows.get(1).line());
  }

  @Test
  void writeThenReadRoundTrips() throws IOException {
    List<Sample> rows = Manifest.read(manifest("path,label,patient_id,split\n\"x, y.png\",normal,\" p 1\",val\n"
        + "z.png,stroke,,\n", "x, y.png", "z.png"), COLUMNS);
    List<Map<String, String>> lines = new java.util.ArrayList<>();
    for (Sample s : rows) {
      Map<String, String> line = new LinkedHashMap<>(s.values());
      if (s.patientId() != null) {
        line.put(Columns.PATIENT, s.patientId());
      }
      if (s.split() != null) {
        line.put(Columns.SPLIT, s.split().id());
      }
      lines.add(line);
    }
    Path copy = dir.resolve("copy.csv");
    Manifest.write(copy, List.of("path", "label", Columns.PATIENT, Columns.SPLIT), lines, List.of("path"));
    List<Sample> back = Manifest.read(copy, COLUMNS);
    assertEquals(rows.get(0).id(), back.get(0).id());
    assertEquals("p 1", rows.get(0).patientId());
    assertEquals("p 1", back.get(0).patientId());
    assertEquals(Split.VAL, back.get(0).split());
    assertEquals("stroke", back.get(1).value("label"));
    assertNull(back.get(1).split());
    // Paths under the manifest's folder are written relative to it; fields with commas are quoted.
    assertEquals("path,label,patient_id,split\n\"x, y.png\",normal,p 1,val\nz.png,stroke,,\n",
        Files.readString(copy));
  }

  @Test
  void headerErrorsListTheExpectedColumns() throws IOException {
    String e = error("path,label,weight\na.png,normal,1\n", "a.png");
    assertTrue(e.contains("line 1: unknown column 'weight'; expected columns: path, label, patient_id (optional), "
        + "split (optional)"), e);
    e = error("path,split\na.png,train\n", "a.png");
    assertTrue(e.contains("line 1: the header has no 'label' column; expected columns: path, label"), e);
    e = error("path,label,Label\n");
    assertTrue(e.contains("'label' appears twice"), e);
    e = error("");
    assertTrue(e.contains("is empty"), e);
    e = error("path,label\n");
    assertTrue(e.contains("has a header but no rows"), e);
  }

  @Test
  void rowErrorsNameTheFileAndLine() throws IOException {
    String e = error("path,label\na.png,normal\nb.png,\n", "a.png", "b.png");
    assertTrue(e.startsWith(dir.resolve("m.csv") + " line 3: empty label"), e);
    e = error("path,label,split\na.png,normal,training\n", "a.png");
    assertTrue(e.contains("line 2: unknown split 'training'; use train, val or test"), e);
    e = error("path,label\na.png,normal,extra\n", "a.png");
    assertTrue(e.contains("line 2: 3 fields, but the header has 2"), e);
    e = error("path,label\n\"a.png,normal\n", "a.png");
    assertTrue(e.contains("line 2: quoted field is never closed"), e);
    e = error("path,label\n\"a.png\"x,normal\n", "a.png");
    assertTrue(e.contains("line 2: unexpected 'x' after a closing quote"), e);
  }

  @Test
  void missingFilesAreCheckedUpFrontListingTen() throws IOException {
    StringBuilder sb = new StringBuilder("path,label\nok.png,normal\n");
    for (int i = 0; i < 12; i++) {
      sb.append("gone").append(i).append(".png,normal\n");
    }
    String e = error(sb.toString(), "ok.png");
    assertTrue(e.contains("12 referenced file(s) are missing or unreadable"), e);
    assertTrue(e.contains("line 3 path: " + abs("gone0.png")), e);
    assertTrue(e.contains("line 12 path: ") && !e.contains("line 13 path: ") && e.endsWith("and 2 more"), e);
    Path absent = dir.resolve("none.csv");
    assertEquals("manifest not found: " + absent,
        assertThrows(DatasetException.class, () -> Manifest.read(absent, COLUMNS)).getMessage());
  }

  @Test
  void aVolumeColumnMayNameAFolderAnOptionalMaskMayBeEmptyAndAFileColumnNeedsAFile() throws IOException {
    VolumeField ct = new VolumeField("ct", "scan", new VolumePreprocessing("", 0, -1000, 1000, Double.NaN,
        new int[] {4, 4, 4}), true);
    MaskField lesion = new MaskField("lesion", "lesion_mask", "ct", null, 0.5, null, false);
    List<Columns.Column> columns = Columns.of(new DataSchema(List.of(ct, lesion), Map.of("ct", "ct"), ""));
    Files.createDirectories(dir.resolve("series1"));
    Files.createDirectories(dir.resolve("folder.nii"));
    Path m = manifest("scan,lesion_mask\nseries1,\nseries1,m.nii\n", "m.nii");
    List<Sample> rows = Manifest.read(m, columns);
    assertEquals(abs("series1"), rows.get(0).id());
    assertNull(rows.get(0).value("lesion_mask"));
    assertEquals(abs("m.nii"), rows.get(1).value("lesion_mask"));
    Path bad = Files.writeString(dir.resolve("m.csv"), "scan,lesion_mask\nseries1,folder.nii\n");
    String e = assertThrows(DatasetException.class, () -> Manifest.read(bad, columns)).getMessage();
    assertTrue(e.contains("1 referenced file(s) are missing or unreadable: line 2 lesion_mask: " + abs("folder.nii")),
        e);
  }

  @Test
  void aBagColumnMayListFilesSeparatedBySemicolons() throws IOException {
    ImageField instance = ImageField.of("instance", "", new ImagePreprocessing(1, 4, 4, new float[] {0},
        new float[] {1}), Windowing.file());
    List<Columns.Column> columns = Columns.of(new DataSchema(List.of(new BagField("slices", "bag", instance, 4),
        LabelField.single("label", "label", List.of("no", "yes"))), Map.of("slices", "slices"), "label"));
    Path m = manifest("bag,label\n\"bag/a.png; bag/b.png\",yes\nbag,no\n", "bag/a.png", "bag/b.png");
    List<Sample> rows = Manifest.read(m, columns);
    assertEquals(abs("bag/a.png") + ";" + abs("bag/b.png"), rows.get(0).value("bag"));
    assertEquals(abs("bag"), rows.get(1).value("bag"));
    Path bad = Files.writeString(dir.resolve("m.csv"), "bag,label\n\"bag/a.png;bag/c.png\",yes\n");
    String e = assertThrows(DatasetException.class, () -> Manifest.read(bad, columns)).getMessage();
    assertTrue(e.contains("1 referenced file(s) are missing or unreadable: line 2 bag: " + abs("bag/c.png")), e);
  }
}
