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

class ManifestTest {
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
    return assertThrows(DatasetException.class, () -> Manifest.read(m)).getMessage();
  }

  @Test
  void parsesQuotedFieldsCrlfBomAndAnyColumnOrder() throws IOException {
    Path m = manifest("\uFEFFLabel,Split,path,patient_id\r\n"
        + "normal,train,a.png,p1\r\n"
        + "\"ischemic\",,\"dir, with comma/b \"\"x\"\".png\",\r\n"
        + "\r\n"
        + " hemorrhagic , TEST , sub/c.png , p2 \n",
        "a.png", "dir, with comma/b \"x\".png", "sub/c.png");
    List<Sample> rows = Manifest.read(m);
    assertEquals(3, rows.size());
    assertEquals(dir.resolve("a.png").toAbsolutePath(), rows.get(0).path());
    assertEquals(Split.TRAIN, rows.get(0).split());
    assertEquals("p1", rows.get(0).patientId());
    assertEquals(dir.resolve("dir, with comma/b \"x\".png").toAbsolutePath(), rows.get(1).path());
    assertNull(rows.get(1).split());
    assertNull(rows.get(1).patientId());
    assertEquals("hemorrhagic", rows.get(2).label());
    assertEquals(Split.TEST, rows.get(2).split());
    assertEquals(5, rows.get(2).line());
    assertEquals(m + " line 5", rows.get(2).where());
  }

  @Test
  void quotedFieldMayHoldALineBreakAndLinesCountOn() throws IOException {
    List<Sample> rows = Manifest.read(manifest("path,label\n\"a\nb.png\",normal\nc.png,normal\n", "a\nb.png",
        "c.png"));
    assertEquals(2, rows.get(0).line());
    assertEquals(4, rows.get(1).line());
  }

  @Test
  void writeThenReadRoundTrips() throws IOException {
    List<Sample> rows = Manifest.read(manifest("path,label,patient_id,split\n\"x, y.png\",normal,\" p 1\",val\n"
        + "z.png,stroke,,\n", "x, y.png", "z.png"));
    Path copy = dir.resolve("copy.csv");
    Manifest.write(copy, rows);
    List<Sample> back = Manifest.read(copy);
    assertEquals(rows.get(0).path(), back.get(0).path());
    assertEquals("p 1", rows.get(0).patientId());
    assertEquals("p 1", back.get(0).patientId());
    assertEquals(Split.VAL, back.get(0).split());
    assertEquals("stroke", back.get(1).label());
    assertNull(back.get(1).split());
    assertTrue(Files.readString(copy).startsWith("path,label,patient_id,split\n\"x, y.png\",normal,"));
  }

  @Test
  void headerErrorsListTheExpectedColumns() throws IOException {
    String e = error("path,label,weight\na.png,normal,1\n", "a.png");
    assertTrue(e.contains("line 1: unknown column 'weight'; expected columns: path, label, patient_id, split"), e);
    e = error("path,split\na.png,train\n", "a.png");
    assertTrue(e.contains("line 1: the header has no 'label' column"), e);
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
    assertTrue(e.contains("12 of 13 rows point at missing or unreadable files"), e);
    assertTrue(e.contains("line 3: " + dir.resolve("gone0.png").toAbsolutePath()), e);
    assertTrue(e.contains("line 12: ") && !e.contains("line 13: ") && e.endsWith("and 2 more"), e);
    Path absent = dir.resolve("none.csv");
    assertTrue(assertThrows(DatasetException.class, () -> Manifest.read(absent)).getMessage()
        .equals("manifest not found: " + absent));
  }
}
