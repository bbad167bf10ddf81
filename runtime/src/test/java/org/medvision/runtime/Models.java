package org.medvision.runtime;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.io.nifti.NiftiWriter;
import org.medvision.io.synth.BrainCtClass;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.BrainCtDicomSeries;
import org.medvision.io.synth.BrainCtPhantom;
import org.medvision.io.synth.Difficulty;
import org.medvision.io.synth.Slice;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;
import org.medvision.tasks.strokenext.StrokeNextTaskProvider;

/** Models, weights and input files the runtime tests share; everything seeded and small. */
final class Models {
  /** StrokeNeXt and the test tasks, fixed so that no other plugin on the class path changes the tests. */
  static final Medvision MEDVISION = Medvision.builder().tasks(List.of(new StrokeNextTaskProvider(),
      new TinyVolumeTaskProvider(), new TinySliceTaskProvider(), new TinyFindingsTaskProvider())).build();
  /** StrokeNeXt's image size in these tests: small enough for the reference interpreter. */
  static final int SIZE = 32;
  /** What sidecars written here record as the medvision version. */
  static final String VERSION = "0.1.0-test";
  private static final Map<String, Task> TASKS = new java.util.concurrent.ConcurrentHashMap<>();

  private Models() {}

  /** StrokeNeXt atto at {@value #SIZE} px with {@code subtask} and any further options. */
  static Task atto(String subtask, String... keyValues) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("subtask", subtask);
    options.put("image_size", Integer.toString(SIZE));
    for (int i = 0; i < keyValues.length; i += 2) {
      options.put(keyValues[i], keyValues[i + 1]);
    }
    return task(StrokeNextTaskProvider.NAME, "atto", options);
  }

  /** The tiny volume task with {@code keyValues} options. */
  static Task tinyVolume(String variant, String... keyValues) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      options.put(keyValues[i], keyValues[i + 1]);
    }
    return task(TinyVolumeTaskProvider.NAME, variant, options);
  }

  /** Task {@code name} configured so; built once per configuration (tasks are immutable, StrokeNeXt's take time). */
  static Task task(String name, String variant, Map<String, String> options) {
    TaskConfig config = MEDVISION.tasks().get(name).configure(variant, options);
    return TASKS.computeIfAbsent(name + " " + config, k -> MEDVISION.task(name, config));
  }

  /**
   * Seeded random weights of every stage of {@code task}, recording the graph's metadata (task, variant, input size)
   * as training and export do.
   */
  static Weights randomWeights(Task task, long seed) {
    Weights random = RandomWeights.initialize(task.graph(), seed);
    return new Weights(random.tensors(), task.graph().metadata(), random.source());
  }

  /** {@code file} holding seeded random weights of {@code task}, without a sidecar. */
  static Path weights(Path file, Task task, long seed) {
    createParent(file);
    Safetensors.write(file, randomWeights(task, seed));
    return file;
  }

  /** A checkpoint {@code file} (weights plus the current sidecar beside them) of {@code task}. */
  static Path checkpoint(Path file, Task task, long seed) {
    weights(file, task, seed);
    ModelCheckpoint.writeFor(file, task, "test", VERSION);
    return file;
  }

  /**
   * A StrokeNeXt atto checkpoint {@code file} with the sidecar an earlier medvision wrote (format 1: subtask, fusion
   * and imageSize as fields of the task configuration, no options).
   */
  static Path checkpointOfFormat1(Path file, String subtask, long seed) {
    weights(file, atto(subtask), seed);
    String stem = file.getFileName().toString().replace(".safetensors", "");
    write(file.resolveSibling(stem + ".json"), "{\n  \"format\": \"medvision-checkpoint/1\",\n  \"kind\": \"best\",\n"
        + "  \"task\": \"strokenext\",\n  \"taskConfig\": {\"variant\": \"atto\", \"subtask\": \"" + subtask + "\", "
        + "\"fusion\": \"conv1d\", \"imageSize\": " + SIZE + "},\n  \"epoch\": 4,\n  \"engine\": \"djl\",\n"
        + "  \"weightsFile\": \"" + file.getFileName() + "\",\n  \"weightsSha256\": \""
        + org.medvision.api.weights.WeightsDigest.sha256(file) + "\"\n}\n");
    return file;
  }

  /** A grey {@code 48 x 40} gradient PNG whose pattern depends on {@code k}, so images differ. */
  static Path png(Path file, int k) {
    BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 48; x++) {
        img.getRaster().setSample(x, y, 0, (x * (k + 1) * 5 + y * 3 * k) % 256);
      }
    }
    createParent(file);
    try {
      ImageIO.write(img, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * A synthetic brain CT series of {@code slices} 32 x 32 slices (one CT file each, one study) in {@code dir}: a
   * hemorrhage case, so that the middle of the head is bright in the brain window.
   */
  static List<Path> ctSeries(Path dir, int slices, long seed) {
    BrainCtPhantom phantom = new BrainCtPhantom(SIZE, SIZE, Difficulty.EASY);
    List<Slice> generated = new ArrayList<>();
    for (int i = 0; i < slices; i++) {
      generated.add(phantom.generate(BrainCtClass.HEMORRHAGIC, BrainCtDataset.randomFor(seed, i)));
    }
    return new BrainCtDicomSeries().write(dir, generated, "synth-" + seed, "brain");
  }

  /**
   * A NIfTI file of an {@code nx x ny x nz} volume on {@code affine}, values drawn from [-200, 300] HU with
   * {@code seed}, so they span the tiny volume task's clip range.
   */
  static Path nifti(Path file, int nx, int ny, int nz, Affine affine, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    float[] v = new float[nx * ny * nz];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.rint(random.nextDouble(-200, 300));
    }
    createParent(file);
    NiftiWriter.nifti1().write(Volume.adopt(new int[] {nx, ny, nz}, v, affine), file);
    return file;
  }

  static void write(Path file, String text) {
    createParent(file);
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void createParent(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
