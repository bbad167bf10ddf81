package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.ProgressListener;
import org.medvision.io.volume.Affine;

class TaskDataTest {
  private static final int[] DIMS = {2, 2, 2};
  private static final Affine AFFINE = Affine.diagonal(1, 1, 1, 0, 0, 0);
  private static final List<String> CLASSES = List.of("normal", "covid");

  /**
   * A scan with optional lung and lesion masks, a class ("ncp" is written for covid) and the lesion-to-lung ratio
   * derived from the masks unless the manifest gives it.
   */
  private static final DataSchema SCHEMA = new DataSchema(List.of(
      new VolumeField("ct", "ct", new VolumePreprocessing("", 0, -1000, 1000, Double.NaN, new int[] {2, 2, 2}), true),
      new MaskField("lung", "lung", "ct", null, 0.5, null, false),
      new MaskField("lesion", "lesion", "ct", null, 0.5, null, false),
      new LabelField("label", "label", CLASSES, Map.of("ncp", "covid"), java.util.Set.of(), false, ""),
      AttributeField.maskRatio("infection", "lesion", "lung")), Map.of("volume", "ct"), "label");

  @TempDir Path dir;

  /** Writes a 2 x 2 x 2 mask with the first {@code count} voxels set. */
  private Path mask(String name, int count) throws IOException {
    return TestFiles.nifti(dir.resolve(name), DIMS, AFFINE, (x, y, z) -> x + 2 * y + 4 * z < count ? 1 : 0);
  }

  /**
   * 20 patients with two scans each, the first 10 normal, the others covid; scan s of patient p has a full lung
   * mask and a lesion mask of (p + s) % 5 voxels, except patient 3 (no lesion masks) and patient 4 (a ratio column).
   */
  private Path patients() throws IOException {
    StringBuilder csv = new StringBuilder("ct,lung,lesion,label,infection,patient_id\n");
    for (int p = 0; p < 20; p++) {
      for (int s = 0; s < 2; s++) {
        String stem = "p" + p + "_" + s;
        TestFiles.nifti(dir.resolve(stem + ".nii"), DIMS, AFFINE, (x, y, z) -> 0);
        mask(stem + "_lung.nii", 8);
        String lesion = p == 3 ? "" : mask(stem + "_lesion.nii", (p + s) % 5).getFileName().toString();
        String label = p < 10 ? "normal" : p % 2 == 0 ? "NCP" : "covid";
        String given = p == 4 ? "0.9" : "";
        csv.append(stem).append(".nii,").append(stem).append("_lung.nii,").append(lesion).append(',')
            .append(label).append(',').append(given).append(",patient").append(p).append('\n');
      }
    }
    return Files.writeString(dir.resolve("manifest.csv"), csv.toString());
  }

  @Test
  void aManifestIsLabelledAndSplitByPatientStratifiedByClass() throws IOException {
    Path manifest = patients();
    TaskData data = TaskData.load(manifest, SCHEMA, 42, ProgressListener.NONE);
    assertEquals(manifest.toAbsolutePath(), data.source());
    assertEquals(WeightsDigest.sha256(Files.readAllBytes(manifest)), data.sha256());
    assertEquals(CLASSES, data.classes());
    assertEquals(40, data.rows().size());
    Map<String, Split> byPatient = new HashMap<>();
    for (Sample s : data.rows()) {
      Split before = byPatient.putIfAbsent(s.patientId(), s.split());
      assertTrue(before == null || before == s.split(), s.patientId() + " is in two splits");
      int p = Integer.parseInt(s.patientId().substring("patient".length()));
      assertEquals(p < 10 ? "normal" : "covid", s.label(), s.where());
    }
    // Per class 10 patients: 8 / 1 / 1, two scans each.
    assertArrayEquals(new int[] {16, 16}, data.counts(Split.TRAIN));
    assertArrayEquals(new int[] {2, 2}, data.counts(Split.VAL));
    assertArrayEquals(new int[] {2, 2}, data.counts(Split.TEST));
    // The split depends on the seed only.
    assertEquals(data.rows(), TaskData.load(manifest, SCHEMA, 42, ProgressListener.NONE).rows());
    assertNotEquals(data.rows(), TaskData.load(manifest, SCHEMA, 43, ProgressListener.NONE).rows());
  }

  @Test
  void derivedAttributesAreMaskRatiosUnlessTheManifestGivesThem() throws IOException {
    List<long[]> progress = new ArrayList<>();
    TaskData data = TaskData.load(patients(), SCHEMA, 1, (done, total) -> progress.add(new long[] {done, total}));
    double[] infection = data.attributes().get("infection");
    for (int i = 0; i < data.rows().size(); i++) {
      Sample s = data.rows().get(i);
      String[] stem = Path.of(s.id()).getFileName().toString().replace(".nii", "").substring(1).split("_");
      int p = Integer.parseInt(stem[0]);
      int scan = Integer.parseInt(stem[1]);
      double want = p == 3 ? Double.NaN : p == 4 ? 0.9 : ((p + scan) % 5) / 8.0;
      assertEquals(want, infection[i], 1e-12, s.where());
    }
    // The 38 rows without a ratio cell (all but patient 4's) are derived, each reported once.
    assertEquals(39, progress.size());
    assertArrayEquals(new long[] {0, 38}, progress.get(0));
    assertArrayEquals(new long[] {38, 38}, progress.get(38));
    // An example set of one split carries its rows' attributes and labels.
    ExampleSet train = data.split(Split.TRAIN);
    assertEquals(32, train.size());
    for (int i = 0; i < train.size(); i++) {
      int row = data.rows().indexOf(train.get(i));
      assertEquals(infection[row], train.attribute(i, "infection"), 0);
      assertEquals(CLASSES.indexOf(train.get(i).label()), train.label(i));
      assertEquals(train.get(i).patientId(), train.patient(i));
    }
    assertTrue(Double.isNaN(train.attribute(0, "no_such_attribute")));
  }

  @Test
  void anUnknownColumnIsRejectedListingTheExpectedOnes() throws IOException {
    mask("a.nii", 1);
    Path m = Files.writeString(dir.resolve("m.csv"), "ct,label,weight\na.nii,normal,2\n");
    DatasetException e = assertThrows(DatasetException.class,
        () -> TaskData.load(m, SCHEMA, 1, ProgressListener.NONE));
    assertEquals(m.toAbsolutePath() + " line 1: unknown column 'weight'; expected columns: ct, lung (optional), "
        + "lesion (optional), label, infection (optional), patient_id (optional), split (optional)", e.getMessage());
  }

  @Test
  void anEmptyDenominatorMaskIsNamed() throws IOException {
    Path m = patients();
    Path lung = mask("p5_1_lung.nii", 0);
    DatasetException e = assertThrows(DatasetException.class,
        () -> TaskData.load(m, SCHEMA, 1, ProgressListener.NONE));
    // Patient 5's second scan is on line 2 + 2 * 5 + 1.
    assertEquals(m.toAbsolutePath() + " line 13: lung " + lung.toAbsolutePath() + " is empty, so infection "
        + "(|lesion| / |lung|) is undefined", e.getMessage());
  }

  @Test
  void splitsGivenInTheManifestAreKept() throws IOException {
    StringBuilder csv = new StringBuilder("ct,label,split\n");
    String[] splits = {"train", "val", "test"};
    for (int i = 0; i < 12; i++) {
      TestFiles.nifti(dir.resolve(i + ".nii"), DIMS, AFFINE, (x, y, z) -> 0);
      csv.append(i).append(".nii,").append(CLASSES.get(i % 2)).append(',').append(splits[(i / 2) % 3]).append('\n');
    }
    Path m = Files.writeString(dir.resolve("m.csv"), csv.toString());
    TaskData data = TaskData.load(m, SCHEMA, 5, ProgressListener.NONE);
    for (int i = 0; i < 12; i++) {
      assertEquals(splits[(i / 2) % 3], data.rows().get(i).split().id());
    }
    assertEquals(4, data.split(Split.TEST).size());
  }

  @Test
  void aFolderIsLabelledAndSplitRowByRow() throws IOException {
    DataSchema images = new DataSchema(List.of(
        ImageField.of("image", "path", new ImagePreprocessing(1, 4, 4, new float[] {0}, new float[] {1}),
            Windowing.file()),
        LabelField.single("label", "label", CLASSES)), Map.of("image", "image"), "label");
    StringBuilder listing = new StringBuilder();
    for (String c : List.of("Normal", "COVID")) {
      for (int i = 0; i < 10; i++) {
        TestFiles.png(dir.resolve("set/" + c + "/" + i + ".png"), 4, 4, (x, y) -> 0);
        listing.append(c.toLowerCase(java.util.Locale.ROOT)).append('/').append(c).append('/').append(i)
            .append(".png\n");
      }
    }
    TaskData data = TaskData.load(dir.resolve("set"), images, 3, ProgressListener.NONE);
    assertEquals(dir.resolve("set").toAbsolutePath(), data.source());
    assertEquals(20, data.rows().size());
    assertArrayEquals(new int[] {8, 8}, data.counts(Split.TRAIN));
    assertArrayEquals(new int[] {1, 1}, data.counts(Split.VAL));
    assertArrayEquals(new int[] {1, 1}, data.counts(Split.TEST));
    // The digest is of the listing: class and path per row, in row order.
    assertEquals(WeightsDigest.sha256(listing.toString().getBytes(StandardCharsets.UTF_8)), data.sha256());
    assertEquals(2, data.split(Split.TEST).size());
    // A schema with a volume cannot be read from a folder.
    DatasetException e = assertThrows(DatasetException.class,
        () -> TaskData.load(dir.resolve("set"), SCHEMA, 3, ProgressListener.NONE));
    assertTrue(e.getMessage().contains("give a manifest CSV instead"), e.getMessage());
  }
}
