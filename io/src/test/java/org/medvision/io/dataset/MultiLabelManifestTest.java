package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.LabelField;
import org.medvision.io.ProgressListener;

/** A {@code path,labels,patient_id} manifest of multi-label rows, end to end through the generic manifest path. */
class MultiLabelManifestTest {
  private static final LabelField FINDINGS = ChestXray14Fixture.SCHEMA.fields(LabelField.class).get(0);

  @TempDir
  Path dir;

  /**
   * Forty patients of one to three images: patient p has Effusion when p is even, Nodule when p % 3 == 0, and the one
   * Hernia image belongs to patient 7; the rest say No Finding.
   */
  private Path manifest(String extraLine) throws IOException {
    StringBuilder sb = new StringBuilder("path,labels,patient_id\n");
    for (int p = 1; p <= 40; p++) {
      for (int k = 0; k <= p % 3; k++) {
        String name = String.format("img/%03d_%d.png", p, k);
        TestFiles.png(dir.resolve(name), 4, 4, (x, y) -> 40);
        StringBuilder labels = new StringBuilder();
        if (p % 2 == 0) {
          labels.append("Effusion");
        }
        if (p % 3 == 0) {
          labels.append(labels.length() > 0 ? "|" : "").append("nodule");
        }
        if (p == 7 && k == 0) {
          labels.append(labels.length() > 0 ? "|" : "").append("Hernia");
        }
        sb.append(name).append(',').append(labels.length() == 0 ? "No Finding" : labels).append(",P")
            .append(p).append('\n');
      }
    }
    sb.append(extraLine);
    return Files.writeString(dir.resolve("manifest.csv"), sb.toString());
  }

  /**
   * The data table counts each split's images and, per label, the images that have it: 80 images, Effusion in the
   * 20 even patients' 41 images (p = 2..40 with p % 3 + 1 images each), Hernia in one.
   */
  @Test
  void theBalanceTableCountsImagesAndLabelsSeparately() throws IOException {
    TaskData data = TaskData.load(manifest(""), ChestXray14Fixture.SCHEMA, 11, ProgressListener.NONE);
    ClassBalance b = data.balance();
    int images = 0;
    int effusion = 0;
    int hernia = 0;
    for (Split split : Split.values()) {
      images += b.total(split);
      effusion += b.count(split, "Effusion");
      hernia += b.count(split, "Hernia");
      assertEquals(data.split(split).size(), b.total(split), split.id());
    }
    assertEquals(80, images);
    assertEquals(41, effusion);
    assertEquals(1, hernia);
    String table = b.toTable();
    assertTrue(table.startsWith("split") && table.contains("Pleural_Thickening") && table.lines()
        .anyMatch(l -> l.startsWith("total") && l.endsWith(" 80")), table);
  }

  @Test
  void rowsAreSplitByPatientWithoutDemandingEveryLabelInEverySplit() throws IOException {
    Notices notices = new Notices();
    TaskData data = TaskData.load(manifest(""), ChestXray14Fixture.SCHEMA, 11, notices);
    Map<String, Split> patientSplit = new HashMap<>();
    Map<Split, Integer> patients = new HashMap<>();
    for (Sample s : data.rows()) {
      Split before = patientSplit.putIfAbsent(s.patientId(), s.split());
      if (before == null) {
        patients.merge(s.split(), 1, Integer::sum);
      } else {
        assertEquals(before, s.split(), "patient " + s.patientId());
      }
    }
    assertEquals(Map.of(Split.TRAIN, 32, Split.VAL, 4, Split.TEST, 4), patients);
    // Hernia has one patient: it cannot be in every split, which is a warning naming the splits, not an error.
    List<String> hernia = notices.warnings.stream().filter(w -> w.startsWith("label 'Hernia'")).toList();
    assertEquals(1, hernia.size(), notices.warnings.toString());
    assertTrue(hernia.get(0).endsWith(" (1 in all); its per-label metrics there are undefined"), hernia.get(0));
    assertTrue(notices.warnings.contains("label 'Atelectasis' has no positive row in the data set; it cannot be "
        + "learnt or scored"), notices.warnings.toString());
    // Effusion (20 patients) and Nodule (13) are spread over all three splits by the rarest-label strata.
    for (String label : List.of("Effusion", "Nodule")) {
      Set<Split> with = new HashSet<>();
      for (Sample s : data.rows()) {
        if (MultiLabels.positives(s, FINDINGS, "labels")[FINDINGS.classes().indexOf(label)]) {
          with.add(s.split());
        }
      }
      assertEquals(Set.of(Split.TRAIN, Split.VAL, Split.TEST), with, label);
    }
    Sample sixth = data.rows().stream().filter(s -> s.patientId().equals("P6")).findFirst().orElseThrow();
    float[] expected = new float[14];
    expected[FINDINGS.classes().indexOf("Effusion")] = 1;
    expected[FINDINGS.classes().indexOf("Nodule")] = 1;
    assertArrayEquals(expected, ExampleReader.all(ChestXray14Fixture.SCHEMA, null).read(sixth, 0, 0).tensors()
        .get("labels").toFloatArray());
  }

  @Test
  void splitsAreSeededAndManifestSplitsAreKept() throws IOException {
    Path m = manifest("");
    TaskData a = TaskData.load(m, ChestXray14Fixture.SCHEMA, 4, ProgressListener.NONE);
    assertEquals(a.rows(), TaskData.load(m, ChestXray14Fixture.SCHEMA, 4, ProgressListener.NONE).rows());
    boolean differs = false;
    for (long seed = 5; seed < 10 && !differs; seed++) {
      differs = !a.rows().equals(TaskData.load(m, ChestXray14Fixture.SCHEMA, seed, ProgressListener.NONE).rows());
    }
    assertTrue(differs, "another seed gives another split");
    String text = Files.readString(m).replace("path,labels,patient_id", "path,labels,patient_id,split")
        .replaceAll("(?m)^(img/.*,P1)$", "$1,test").replaceAll("(?m)^(img/.*,P[0-9]+)$", "$1,");
    Path withSplit = Files.writeString(dir.resolve("with-split.csv"), text);
    TaskData fixed = TaskData.load(withSplit, ChestXray14Fixture.SCHEMA, 4, ProgressListener.NONE);
    fixed.rows().stream().filter(r -> r.patientId().equals("P1")).forEach(r -> assertEquals(Split.TEST, r.split()));
  }

  @Test
  void anUnknownLabelNamesTheManifestLineAndTheKnownLabels() throws IOException {
    TestFiles.png(dir.resolve("img/extra.png"), 4, 4, (x, y) -> 1);
    Path m = manifest("img/extra.png,Effusion|Lung Opacity,P99\n");
    String message = assertThrows(DatasetException.class,
        () -> TaskData.load(m, ChestXray14Fixture.SCHEMA, 1, ProgressListener.NONE)).getMessage();
    int line = Files.readAllLines(m).size();
    assertEquals(m.toAbsolutePath().normalize() + " line " + line + ": labels lists 'Lung Opacity', which is no label "
        + "of this task; known labels: " + FINDINGS.accepted(), message);
  }
}
