package org.medvision.io.synth.cxr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ChestXray14;
import org.medvision.io.dataset.Sample;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.image.Images;

/** The written set: the ChestX-ray14 layout, byte for byte the same for a seed, read back as the real one is. */
class ChestXrayDatasetTest {
  private static final int COUNT = 40;
  private static final int SIZE = 48;
  private static final DataSchema SCHEMA = new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, SIZE, SIZE, new float[] {0}, new float[] {1}),
          Windowing.file()),
      new LabelField("labels", "labels", ChestXray14.FINDINGS, Map.of(), Set.of("No Finding"), true, "|")),
      Map.of("image", "image"), "");

  @TempDir
  Path dir;

  private static Map<String, String> checksums(Path root) throws IOException {
    Map<String, String> out = new HashMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), WeightsDigest.sha256(p));
      }
    }
    return out;
  }

  @Test
  void writesTheChestXray14LayoutAndReadsBackWithItsSplit() throws IOException {
    Path out = dir.resolve("cxr");
    ChestXrayDataset.Result r = ChestXrayDataset.generate(out, COUNT, SIZE, 7, "flat", false,
        ProgressListener.NONE);
    List<String> lines = Files.readAllLines(out.resolve(ChestXray14.DATA_ENTRY));
    assertEquals("Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,Patient Gender,View Position,"
        + "OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y],", lines.get(0));
    assertEquals(COUNT + 1, lines.size());
    for (int i = 1; i < lines.size(); i++) {
      assertTrue(lines.get(i).matches("\\d{8}_\\d{3}\\.png,(No Finding|[A-Za-z_]+(\\|[A-Za-z_]+)*),\\d+,\\d+,\\d+,"
          + "[MF],(PA|AP),\\d{4},\\d{4},0\\.\\d{3},0\\.\\d{3},"), lines.get(i));
      ChestXrayCase c = r.cases().get(i - 1);
      assertEquals(c.dataEntryLine(), lines.get(i));
      assertEquals("images/" + c.imageIndex(), r.paths().get(i - 1));
      assertEquals(Shape.of(1, SIZE, SIZE), Images.read(out.resolve(r.paths().get(i - 1))).shape());
    }
    List<String> trainVal = Files.readAllLines(out.resolve(ChestXray14.TRAIN_VAL_LIST));
    List<String> test = Files.readAllLines(out.resolve(ChestXray14.TEST_LIST));
    assertEquals(trainVal.stream().sorted().toList(), trainVal);
    assertEquals(test.stream().sorted().toList(), test);
    assertEquals(COUNT, new HashSet<>(concat(trainVal, test)).size());
    assertEquals(r.testImages(), test.size());
    try (Stream<Path> images = Files.list(out.resolve("images"))) {
      assertEquals(COUNT, images.count());
    }
    TaskData data = TaskData.load(out, SCHEMA, 3, ProgressListener.NONE);
    Map<String, Split> patients = new HashMap<>();
    for (Sample s : data.rows()) {
      String name = Path.of(s.id()).getFileName().toString();
      assertEquals(test.contains(name), s.split() == Split.TEST, name);
      Split before = patients.putIfAbsent(s.patientId(), s.split());
      assertTrue(before == null || before == s.split(), "patient " + s.patientId() + " in one split");
    }
    assertEquals(Set.of(Split.TRAIN, Split.VAL, Split.TEST), new HashSet<>(patients.values()));
  }

  @Test
  void theSameSeedWritesTheSameBytesAndTheArchiveLayoutSpreadsThemOverTwelveFolders() throws IOException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    ChestXrayDataset.generate(a, COUNT, SIZE, 11, "flat", false, ProgressListener.NONE);
    ChestXrayDataset.generate(b, COUNT, SIZE, 11, "flat", false, ProgressListener.NONE);
    assertEquals(checksums(a), checksums(b));
    Path c = dir.resolve("c");
    ChestXrayDataset.Result archives = ChestXrayDataset.generate(c, COUNT, SIZE, 11, "archives", false,
        ProgressListener.NONE);
    Map<String, String> flat = checksums(a);
    Map<String, String> spread = checksums(c);
    List<String> folders = new ArrayList<>();
    for (int i = 0; i < COUNT; i++) {
      String path = archives.paths().get(i);
      String folder = String.format("images_%03d/images/", i * ChestXrayDataset.ARCHIVES / COUNT + 1);
      String name = archives.cases().get(i).imageIndex();
      assertEquals(folder + name, path);
      assertEquals(flat.get("images/" + name), spread.get(path), path);
      if (!folders.contains(folder)) {
        folders.add(folder);
      }
    }
    assertEquals(ChestXrayDataset.ARCHIVES, folders.size());
    assertEquals(flat.get(ChestXray14.DATA_ENTRY), spread.get(ChestXray14.DATA_ENTRY));
    TaskData fromFlat = TaskData.load(a, SCHEMA, 5, ProgressListener.NONE);
    TaskData fromArchives = TaskData.load(c, SCHEMA, 5, ProgressListener.NONE);
    assertEquals(fromFlat.sha256(), fromArchives.sha256());
    assertEquals(fromFlat.rows().stream().map(Sample::split).toList(),
        fromArchives.rows().stream().map(Sample::split).toList());
    assertFalse(checksums(ChestXrayDataset.generate(dir.resolve("d"), COUNT, SIZE, 12, "flat", false,
        ProgressListener.NONE).out()).equals(flat));
  }

  @Test
  void badArgumentsAndABusyFolderAreRefusedWithoutWriting() throws IOException {
    Path out = dir.resolve("busy");
    Files.createDirectories(out);
    Files.writeString(out.resolve("keep.txt"), "keep");
    MedvisionException busy = assertThrows(MedvisionException.class,
        () -> ChestXrayDataset.generate(out, COUNT, SIZE, 1, "flat", false, ProgressListener.NONE));
    assertTrue(busy.getMessage().contains("is not empty"), busy.getMessage());
    assertEquals("a synthetic chest radiograph set needs at least 20 images, got 19", assertThrows(
        MedvisionException.class, () -> ChestXrayDataset.generate(dir.resolve("x"), 19, SIZE, 1, "flat", false,
            ProgressListener.NONE)).getMessage());
    assertEquals("unknown chest radiograph layout 'zip'; layouts: flat, archives", assertThrows(
        MedvisionException.class, () -> ChestXrayDataset.generate(dir.resolve("x"), COUNT, SIZE, 1, "zip", false,
            ProgressListener.NONE)).getMessage());
    assertEquals("chest radiograph size must be 32 to 1024, got 16", assertThrows(MedvisionException.class,
        () -> ChestXrayDataset.generate(dir.resolve("x"), COUNT, 16, 1, "flat", false, ProgressListener.NONE))
        .getMessage());
    assertFalse(Files.exists(dir.resolve("x")));
    try (Stream<Path> left = Files.list(dir)) {
      assertArrayEquals(new Path[] {out}, left.toArray());
    }
    ChestXrayDataset.generate(out, COUNT, SIZE, 1, "flat", true, ProgressListener.NONE);
    assertFalse(Files.exists(out.resolve("keep.txt")));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
