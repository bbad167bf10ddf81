package org.medvision.train.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.medvision.api.embed.Medvision;
import org.medvision.api.task.Task;

/** Small PNG data sets and the StrokeNeXt task the evaluation tests run on. */
final class TestImages {
  static final Medvision MEDVISION = Medvision.builder().build();
  static final List<String> CLASSES = List.of("normal", "ischemic", "hemorrhagic");

  private TestImages() {}

  /** StrokeNeXt-atto, 3 classes, at {@code size} pixels. */
  static Task atto(int size) {
    return MEDVISION.task("strokenext", MEDVISION.tasks().get("strokenext").configure("atto",
        java.util.Map.of("subtask", "3class", "image_size", Integer.toString(size))));
  }

  /** A 40x36 gray PNG whose pattern depends on {@code k}. */
  static Path png(Path dir, String name, int k) {
    BufferedImage img = new BufferedImage(40, 36, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 36; y++) {
      for (int x = 0; x < 40; x++) {
        img.getRaster().setSample(x, y, 0, (x * (k + 2) * 7 + y * 5 * k + 13 * k) % 256);
      }
    }
    Path file = dir.resolve(name);
    try {
      ImageIO.write(img, "png", file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
