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
import org.medvision.io.image.Images;

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
    Cli.Result r = Cli.run("synth", "--kind", "chest-xray", "--out", out.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertEquals("medvision: error: unsupported kind 'chest-xray'; supported: brain-ct", r.err().strip());
    r = Cli.run("synth", "--kind", "brain-ct", "--format", "tiff", "--out", out.toString());
    assertEquals(ExitCodes.USAGE_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("unsupported format 'tiff'; supported: png, dicom"), r.err());
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
  }
}
