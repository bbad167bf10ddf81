package org.medvision.spark;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.runtime.ModelCheckpoint;
import org.medvision.tasks.covidsa.CovidDsaTaskProvider;
import org.medvision.tasks.strokenext.StrokeNextTaskProvider;

/** Models and inputs the Spark tests share: StrokeNeXt atto at 32 px with seeded weights, seeded grey PNGs. */
final class Fixtures {
  /** StrokeNeXt only, so no other plugin on the class path changes the tests. */
  static final Medvision MEDVISION = Medvision.builder().tasks(List.of(new StrokeNextTaskProvider())).build();
  /** covid-dsa only, for the 3-D tests. */
  static final Medvision MEDVISION_3D = Medvision.builder().tasks(List.of(new CovidDsaTaskProvider())).build();
  /** Small enough for a few hundred inputs to run in seconds. */
  static final int SIZE = 32;

  private Fixtures() {}

  /** StrokeNeXt atto, three classes, at {@value #SIZE} px. */
  static Task atto() {
    TaskConfig config = MEDVISION.tasks().get(StrokeNextTaskProvider.NAME).configure("atto",
        Map.of("subtask", "3class", "image_size", Integer.toString(SIZE)));
    return MEDVISION.task(StrokeNextTaskProvider.NAME, config);
  }

  /** A checkpoint {@code file} (weights plus sidecar) of {@code task} with weights drawn from {@code seed}. */
  static Path checkpoint(Path file, Task task, long seed) {
    Weights random = RandomWeights.initialize(task.graph(), seed);
    createParent(file);
    Safetensors.write(file, new Weights(random.tensors(), task.graph().metadata(), random.source()));
    ModelCheckpoint.writeFor(file, task, "test", "0.1.0-test");
    return file;
  }

  /** {@code count} grey PNGs of 40 x 36 pixels under {@code folder}, spread over three subfolders, from {@code seed}. */
  static List<Path> pngs(Path folder, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_BYTE_GRAY);
      int a = random.nextInt(1, 9);
      int b = random.nextInt(0, 7);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.getRaster().setSample(x, y, 0, (x * a * 3 + y * b * 5 + random.nextInt(0, 24)) % 256);
        }
      }
      Path file = folder.resolve("site" + (i % 3)).resolve(String.format("img%04d.png", i));
      createParent(file);
      try {
        ImageIO.write(img, "png", file.toFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      files.add(file);
    }
    return files;
  }

  /** covid-dsa's ResNet-10 on 16 x 32 x 32 volumes: the project's smallest 3-D model. */
  static Task covidTiny() {
    return MEDVISION_3D.task("covid-dsa", MEDVISION_3D.defaultConfig("covid-dsa").withVariant("resnet10")
        .with("input", "16x32x32"));
  }

  /** A file named like a PNG that holds no image. */
  static Path corruptPng(Path file) {
    createParent(file);
    try {
      Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 7});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** A text file. */
  static Path write(Path file, String text) {
    createParent(file);
    try {
      return Files.writeString(file, text);
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
