package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.tensor.Shape;
import org.medvision.io.dataset.ClassBalance;
import org.medvision.api.data.DataSchema;
import org.medvision.io.dataset.Columns;
import org.medvision.io.dataset.Labels;
import org.medvision.io.dataset.Manifest;
import org.medvision.io.dataset.Sample;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.ChestXray14;
import org.medvision.io.image.Images;
import org.medvision.io.synth.cxr.ChestXrayCase;
import org.medvision.io.synth.cxr.ChestXrayCohort;
import org.medvision.io.synth.cxr.ChestXrayDataset;
import org.medvision.io.synth.cxr.CxrFinding;

class SynthCommandTest {
  @TempDir Path dir;

  private List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Test
  void writesTwelveSlicesAndAManifestTheDatasetReaderAccepts() {
    Path out = dir.resolve("brain");
    Cli.Result r = Cli.run("synth", "--kind", "brain-ct", "--count", "12", "--size", "64", "--seed", "3",
        "--difficulty", "hard", "--window", "stroke", "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertEquals("wrote 12 brain CT slices of 64x64 (4 normal, 4 hemorrhagic, 4 ischemic; difficulty hard, "
        + "window stroke, seed 3) to " + out + "\nmanifest: " + out.toAbsolutePath().resolve("manifest.csv") + "\n",
        r.out().replace(System.lineSeparator(), "\n"));
    DataSchema schema = Fixtures.atto("3class").data();
    List<Sample> rows = Labels.apply(Manifest.read(out.resolve("manifest.csv"), Columns.of(schema)),
        schema.labels().orElseThrow());
    assertEquals(12, rows.size());
    ClassBalance b = ClassBalance.of(rows, List.of("normal", "ischemic", "hemorrhagic"));
    // 4 per class at 80/10/10: floors 3/0/0, one each for val and test, taken from train: 2/1/1.
    assertEquals(2, b.count(Split.TRAIN, "normal"));
    assertEquals(1, b.count(Split.TEST, "ischemic"));
    assertEquals(Shape.of(1, 64, 64), Images.read(Path.of(rows.get(5).value("path"))).shape());
  }

  @Test
  void refusesANonEmptyFolderWithoutForce() throws IOException {
    Path out = dir.resolve("brain");
    Files.createDirectories(out);
    Files.writeString(out.resolve("x.txt"), "keep");
    Cli.Result r = Cli.run("synth", "--kind", "brain-ct", "--count", "9", "--size", "32", "--out", out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("is not empty") && r.err().contains("--force"), r.err());
    assertTrue(Files.exists(out.resolve("x.txt")));
    r = Cli.run("synth", "--kind", "brain-ct", "--count", "9", "--size", "32", "--out", out.toString(), "--force");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertFalse(Files.exists(out.resolve("x.txt")));
    assertEquals(List.of(out), entries());
  }

  @Test
  void dicomFormatWritesOneCtSeriesPerCaseAndAManifestOfItsFiles() {
    Path out = dir.resolve("dicom");
    Cli.Result r = Cli.run("synth", "--kind", "brain-ct", "--count", "9", "--size", "32", "--format", "dicom",
        "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().contains("9 brain CT series (DICOM)"), r.out());
    List<Sample> rows = Manifest.read(out.resolve("manifest.csv"), Columns.of(Fixtures.atto("3class").data()));
    assertEquals(9, rows.size());
    for (Sample row : rows) {
      assertTrue(row.value("path").endsWith("/CT000001.dcm"), row.where());
      assertTrue(Files.isRegularFile(Path.of(row.value("path"))), row.where());
    }
  }

  @Test
  void usageErrorsNameWhatIsSupported() throws IOException {
    Path out = dir.resolve("o");
    Cli.Result r = Cli.run("synth", "--kind", "knee-mri", "--out", out.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertEquals("medvision: error: unsupported kind 'knee-mri'; supported: brain-ct, chest-ct, chest-xray, text-encoder",
        r.err().strip());
    r = Cli.run("synth", "--kind", "brain-ct", "--format", "tiff", "--out", out.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("unsupported format 'tiff' for brain-ct; supported: png, dicom"), r.err());
    r = Cli.run("synth", "--kind", "brain-ct", "--window", "liver", "--out", out.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("'liver'") && r.err().contains("brain, subdural, stroke, lung, mediastinum, bone"),
        r.err());
    r = Cli.run("synth", "--kind", "brain-ct", "--count", "5", "--out", out.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("--count must be at least 9"), r.err());
    r = Cli.run("synth", "--kind", "brain-ct");
    assertEquals("medvision: error: missing required option --out", r.err().strip());
    assertEquals(List.of(), entries());
  }

  @Test
  void helpTeachesWithExamples() {
    Cli.Result r = Cli.run("synth", "--help");
    assertEquals(ExitCodes.OK, r.code());
    assertTrue(r.out().contains("medvision synth --kind brain-ct --count 900 --size 128 --seed 7 --out data/brain"),
        r.out());
    assertTrue(r.out().contains("--difficulty LEVEL"), r.out());
    assertTrue(r.out().contains("medvision synth --kind chest-ct --count 160 --size 64 --seed 7 --out data/chest"),
        r.out());
    String help = r.out().replaceAll("\\s+", " ");
    assertTrue(help.contains("Defaults: --count 160, --size 64 (32 to 256), --format nifti"), help);
    assertTrue(help.contains("ct,lung_mask,infection_mask,label,patient_id"), help);
    assertTrue(r.out().contains("medvision synth --kind chest-xray --count 3000 --size 256 --seed 7 --out data/cxr"),
        r.out());
    assertTrue(help.contains("--layout LAYOUT"), help);
    assertTrue(help.contains("Defaults: --count 3000 (at least 20), --size 256 (32 to 1024), --layout flat"), help);
  }

  @Test
  void chestXrayWritesTheChestXray14LayoutAndSummarisesItsLabels() throws IOException {
    Path out = dir.resolve("cxr");
    Cli.Result r = Cli.run("synth", "--kind", "chest-xray", "--count", "30", "--size", "32", "--seed", "4",
        "--layout", "archives", "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    String text = r.out().replace(System.lineSeparator(), "\n");
    ChestXrayDataset.Result expected = expected(30, 4);
    assertTrue(text.startsWith("wrote 30 chest radiographs (PNG) of 32x32, " + expected.patients(null)
        + " patients, to " + out.toAbsolutePath() + " in "), text);
    assertTrue(text.contains(" s (seed 4)\n  images per finding:\n"), text);
    int[] per = expected.perFinding();
    for (CxrFinding f : CxrFinding.values()) {
      assertTrue(text.contains(String.format("\n    %-18s %6d  %5.1f%%\n", f.label(), per[f.ordinal()],
          100.0 * per[f.ordinal()] / 30)), f + ": " + text);
    }
    int[] buckets = expected.findingsPerImage(4);
    assertTrue(text.contains(String.format("\n    %-18s %6d", "No Finding", buckets[0])), text);
    assertTrue(text.contains("\n  findings per image: 1: " + buckets[1] + ", 2: " + buckets[2] + ", 3 or more: "
        + buckets[3] + "\n  most frequent pairs: "), text);
    assertTrue(text.contains("\n  split by patient: train_val_list.txt " + (30 - expected.testImages())
        + " images (" + expected.patients(false) + " patients), test_list.txt " + expected.testImages() + " images ("
        + expected.patients(true) + " patients)\n"), text);
    assertTrue(text.endsWith("data entry: " + out.toAbsolutePath().resolve("Data_Entry_2017.csv") + "\nimages: "
        + out.toAbsolutePath().resolve("images_0NN/images") + "/\n"), text);
    assertEquals(ChestXray14.HEADER, Files.readAllLines(out.resolve("Data_Entry_2017.csv")).get(0));
    assertTrue(Files.isRegularFile(out.resolve("images_001/images/00000001_000.png")));
  }

  /** The set the command should have written, planned again here (the plan alone gives every count printed). */
  private ChestXrayDataset.Result expected(int count, long seed) {
    List<ChestXrayCase> plan = ChestXrayCohort.plan(count, seed);
    return new ChestXrayDataset.Result(dir, plan, plan.stream().map(ChestXrayCase::imageIndex).toList(), 32, seed, 0);
  }

  @Test
  void chestXrayUsageErrorsNameTheBadValue() throws IOException {
    Path out = dir.resolve("o");
    String[][] cases = {
        {"--format", "dicom", "--format does not apply to --kind chest-xray"},
        {"--window", "lung", "--window does not apply to --kind chest-xray"},
        {"--layout", "zip", "unsupported layout 'zip'; supported: flat, archives"},
        {"--count", "19", "--count must be at least 20, got 19"},
        {"--size", "1025", "--size must be at most 1024 for chest-xray, got 1025"}};
    for (String[] c : cases) {
      Cli.Result r = Cli.run("synth", "--kind", "chest-xray", c[0], c[1], "--out", out.toString());
      assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
      assertEquals("medvision: error: " + c[2], r.err().strip());
    }
    Cli.Result r = Cli.run("synth", "--kind", "chest-ct", "--layout", "flat", "--out", out.toString());
    assertEquals("medvision: error: --layout applies to --kind chest-xray only", r.err().strip());
    assertEquals(List.of(), entries());
  }

  @Test
  void chestCtWritesNiftiScansMasksAndAManifestAndSummarisesThem() throws IOException {
    Path out = dir.resolve("chest");
    Cli.Result r = Cli.run("synth", "--kind", "chest-ct", "--count", "12", "--size", "32", "--seed", "4", "--out",
        out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    String text = r.out().replace(System.lineSeparator(), "\n");
    assertTrue(text.startsWith("wrote 12 chest CT scans (NIfTI) of 32x32x16 to " + out.toAbsolutePath() + " in "),
        text);
    assertTrue(text.contains("(seed 4)\n  infection ratio (infected / lung voxels): min, quartiles, max\n"), text);
    assertTrue(text.contains("\n  covid    7 scans  0.") && text.contains("\n  cap      5 scans  0."), text);
    assertTrue(text.contains("\n  12 patients, 0 with a follow-up scan (split by patient_id); 0 scans without an "
        + "infection mask\n"), text);
    assertTrue(text.contains("manifest: " + out.toAbsolutePath().resolve("manifest.csv")
        + " (ct,lung_mask,infection_mask,label,patient_id)"), text);
    List<String> lines = Files.readAllLines(out.resolve("manifest.csv"));
    assertEquals(13, lines.size());
    assertEquals("ct,lung_mask,infection_mask,label,patient_id", lines.get(0));
    assertTrue(lines.get(1).matches("ct/case_0001\\.nii\\.gz,masks/case_0001_lung\\.nii\\.gz,"
        + "masks/case_0001_infection\\.nii\\.gz,(covid|cap),p\\d{4}"), lines.get(1));
    for (String row : lines.subList(1, lines.size())) {
      for (String path : row.split(",")) {
        if (path.contains("/")) {
          assertTrue(Files.isRegularFile(out.resolve(path)), path);
        }
      }
    }
  }

  @Test
  void chestCtDicomWritesOneSeriesFolderPerScan() throws IOException {
    Path out = dir.resolve("chest-dicom");
    Cli.Result r = Cli.run("synth", "--kind", "chest-ct", "--count", "10", "--size", "32", "--format", "DICOM",
        "--out", out.toString());
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().startsWith("wrote 10 chest CT scans (DICOM series) of 32x32x16"), r.out());
    String first = Files.readAllLines(out.resolve("manifest.csv")).get(1);
    assertTrue(first.startsWith("ct/case_0001,masks/case_0001_lung.nii.gz,"), first);
    try (Stream<Path> s = Files.list(out.resolve("ct/case_0001"))) {
      assertEquals(16, s.filter(p -> p.getFileName().toString().matches("CT\\d{6}\\.dcm")).count());
    }
  }

  @Test
  void chestCtUsageErrorsNameTheBadValue() throws IOException {
    Path out = dir.resolve("o");
    String[][] cases = {
        {"--window", "lung", "--window applies to --kind brain-ct only"},
        {"--difficulty", "hard", "--difficulty applies to --kind brain-ct only"},
        {"--format", "png", "unsupported format 'png' for chest-ct; supported: nifti, dicom"},
        {"--count", "9", "--count must be at least 10, got 9"},
        {"--size", "31", "--size must be at least 32, got 31"},
        {"--size", "300", "--size must be at most 256 for chest-ct, got 300"},
        {"--seed", "x", "--seed needs an integer, got 'x'"}};
    for (String[] c : cases) {
      Cli.Result r = Cli.run("synth", "--kind", "chest-ct", c[0], c[1], "--out", out.toString());
      assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
      assertEquals("medvision: error: " + c[2], r.err().strip());
    }
    assertEquals(List.of(), entries());
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "keep");
    Cli.Result busy = Cli.run("synth", "--kind", "chest-ct", "--count", "10", "--size", "32", "--out",
        out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, busy.code(), busy.toString());
    assertTrue(busy.err().contains("is not empty") && busy.err().contains("--force"), busy.err());
    assertTrue(Files.exists(out.resolve("keep.txt")));
  }
}
