package org.medvision.io.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ClassBalance;
import org.medvision.io.dataset.Sample;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.image.Images;

class BrainCtDatasetTest {
  private static final List<String> CLASSES = List.of("normal", "hemorrhagic", "ischemic");
  /** What the written manifest holds: an image in {@code path} and its class in {@code label}. */
  private static final DataSchema SCHEMA = new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, 48, 48, new float[] {0}, new float[] {1}),
          Windowing.file()),
      LabelField.single("label", "label", CLASSES)), Map.of("image", "image"), "label");

  @TempDir Path dir;

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }

  @Test
  void writesBalancedClassesAndAManifestThatReadsBack() {
    Path out = dir.resolve("brain");
    BrainCtDataset.Result r = BrainCtDataset.generate(out, 20, 48, 7, Difficulty.MEDIUM, "brain");
    assertEquals(Map.of("normal", 7, "hemorrhagic", 7, "ischemic", 6), r.perClass());
    assertEquals(out.toAbsolutePath().resolve("manifest.csv"), r.manifest());
    TaskData data = TaskData.load(r.manifest(), SCHEMA, 99, ProgressListener.NONE);
    List<Sample> rows = data.rows();
    assertEquals(20, rows.size());
    ClassBalance b = ClassBalance.of(rows, CLASSES);
    assertEquals(7, b.count(Split.TRAIN, "normal") + b.count(Split.VAL, "normal") + b.count(Split.TEST, "normal"));
    // Per class 80/10/10 of 7 -> floor 5/0/0, raised to one each -> 5/1/1; of 6 -> 4/1/1.
    assertEquals(14, b.total(Split.TRAIN), b.toTable());
    assertEquals(3, b.total(Split.VAL), b.toTable());
    for (Split s : Split.values()) {
      for (String c : CLASSES) {
        assertTrue(b.count(s, c) >= 1, s + " lacks " + c + "\n" + b.toTable());
      }
    }
    // The manifest carries every split, so loading it with another seed changes nothing.
    assertEquals(rows, TaskData.load(r.manifest(), SCHEMA, 7, ProgressListener.NONE).rows());
    Sample first = rows.get(0);
    assertEquals(out.toAbsolutePath().resolve("normal/normal_0000.png").toString(), first.id());
    assertEquals("synth-0000", first.patientId());
    assertEquals("hemorrhagic", rows.get(1).label());
    assertTrue(rows.get(1).id().endsWith("hemorrhagic/hemorrhagic_0001.png"));
  }

  @Test
  void pngPixelsAreTheWindowedSliceOfThatIndex() {
    Path out = dir.resolve("s");
    BrainCtDataset.generate(out, 9, 40, 11, Difficulty.HARD, "stroke");
    int index = 5;
    Slice slice = new BrainCtPhantom(40, 40, Difficulty.HARD).generate(BrainCtDataset.classOf(index),
        BrainCtDataset.randomFor(11, index));
    Tensor png = Images.read(out.resolve(BrainCtDataset.fileName(index, 9)));
    assertEquals(List.of(1L, 40L, 40L), List.of(png.shape().dim(0), png.shape().dim(1), png.shape().dim(2)));
    float[] read = png.toFloatArray();
    float[] hu = slice.hu();
    for (int i = 0; i < hu.length; i++) {
      // Stroke window 40/40: byte = round(255 * clamp((hu - 20) / 40)).
      long expected = Math.round(255.0 * Math.max(0, Math.min(1, (hu[i] - 20.0) / 40.0)));
      assertEquals(expected, Math.round(read[i] * 255.0), "pixel " + i);
    }
  }

  @Test
  void sameSeedGivesIdenticalBytesAndAnotherSeedDiffers() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Path c = dir.resolve("c");
    BrainCtDataset.generate(a, 9, 32, 3, Difficulty.EASY, "brain");
    BrainCtDataset.generate(b, 9, 32, 3, Difficulty.EASY, "brain");
    BrainCtDataset.generate(c, 9, 32, 4, Difficulty.EASY, "brain");
    List<Path> fa = files(a);
    assertEquals(10, fa.size());
    for (Path f : fa) {
      Path rel = a.relativize(f);
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(rel)), rel.toString());
    }
    Path png = a.relativize(fa.get(0)).toString().endsWith(".png") ? a.relativize(fa.get(0))
        : a.relativize(fa.get(1));
    assertFalse(Arrays.equals(Files.readAllBytes(a.resolve(png)), Files.readAllBytes(c.resolve(png))));
  }

  @Test
  void aFailureHalfWayLeavesNothingBehind() throws IOException {
    Path out = dir.resolve("brain");
    ProgressListener failing = (done, total) -> {
      if (done == 4) {
        throw new IllegalStateException("disk full (simulated)");
      }
    };
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> BrainCtDataset.generate(out, 12, 32, 1, Difficulty.EASY, "brain", false, failing));
    assertEquals("disk full (simulated)", e.getMessage());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void aNonEmptyFolderIsRefusedUnlessForcedAndAFailedForceKeepsTheOldSet() throws IOException {
    Path out = dir.resolve("brain");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "old");
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> BrainCtDataset.generate(out, 9, 32, 1, Difficulty.EASY, "brain"));
    assertTrue(e.getMessage().contains(out.toAbsolutePath().toString()) && e.getMessage().contains("--force"),
        e.getMessage());
    ProgressListener failing = (done, total) -> {
      throw new IllegalStateException("stop");
    };
    assertThrows(IllegalStateException.class,
        () -> BrainCtDataset.generate(out, 9, 32, 1, Difficulty.EASY, "brain", true, failing));
    assertEquals(List.of(out.resolve("keep.txt")), files(out));
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(out), s.toList());
    }

    BrainCtDataset.generate(out, 9, 32, 1, Difficulty.EASY, "brain", true, ProgressListener.NONE);
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertEquals(10, files(out).size());
    try (Stream<Path> s = Files.list(dir)) {
      assertEquals(List.of(out), s.toList());
    }
  }

  @Test
  void badArgumentsAreNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("f"), "x");
    assertTrue(assertThrows(MedvisionException.class,
        () -> BrainCtDataset.generate(file, 9, 32, 1, Difficulty.EASY, "brain")).getMessage().contains("is a file"));
    assertTrue(assertThrows(MedvisionException.class,
        () -> BrainCtDataset.generate(dir.resolve("x"), 8, 32, 1, Difficulty.EASY, "brain")).getMessage()
        .contains("at least 9"));
    assertTrue(assertThrows(MedvisionException.class,
        () -> BrainCtDataset.generate(dir.resolve("missing/x"), 9, 32, 1, Difficulty.EASY, "brain")).getMessage()
        .contains("does not exist"));
    assertTrue(assertThrows(MedvisionException.class,
        () -> BrainCtDataset.generate(dir.resolve("x"), 9, 32, 1, Difficulty.EASY, "liver")).getMessage()
        .contains("'liver'"));
  }
}
