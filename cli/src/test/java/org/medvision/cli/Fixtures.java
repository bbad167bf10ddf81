package org.medvision.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.medvision.api.task.Task;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;

/** Files the command tests read: seeded random weights and synthetic images. */
final class Fixtures {
  /** Small enough for the reference interpreter in tests. */
  static final int SIZE = 32;

  private Fixtures() {}

  static Task atto(String subtask) {
    return Cli.MEDVISION.task("strokenext", Cli.MEDVISION.tasks().get("strokenext").configure("atto",
        java.util.Map.of("subtask", subtask, "image_size", Integer.toString(SIZE))));
  }

  static Path weights(Path dir, String name, Task task, long seed) {
    Path file = dir.resolve(name);
    Safetensors.write(file, RandomWeights.initialize(task.graph(), seed));
    return file;
  }

  /** A gray gradient PNG whose pattern depends on {@code k}, so images differ. */
  static Path png(Path dir, String name, int k) throws IOException {
    BufferedImage img = new BufferedImage(48, 40, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 48; x++) {
        img.getRaster().setSample(x, y, 0, (x * (k + 1) * 5 + y * 3 * k) % 256);
      }
    }
    Path file = dir.resolve(name);
    ImageIO.write(img, "png", file.toFile());
    return file;
  }
}
