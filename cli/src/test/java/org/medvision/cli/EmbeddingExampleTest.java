package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.io.classify.ImageClassifier;
import org.medvision.io.classify.Prediction;

/** The README's embedding example, kept compiling and running here. */
class EmbeddingExampleTest {
  @TempDir Path dir;

  @Test
  void classifyAPngFromJava() throws IOException {
    Path scan = dir.resolve("scan.png");
    ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY), "png", scan.toFile());

    // --- README example begins ---
    Medvision mv = Medvision.builder().build();                    // discovers tasks and engines once
    TaskConfig config = mv.defaultConfig("strokenext").withVariant("atto").withImageSize(64);
    Task task = mv.task("strokenext", config);
    Weights weights = RandomWeights.initialize(task.graph(), 42);  // or Safetensors.read(Path.of("w.safetensors"))
    List<Prediction> predictions;
    try (Engine engine = mv.engine("onnx");                         // the caller closes the engine
        ImageClassifier classifier = new ImageClassifier(task, engine, weights, CompileOptions.defaults())) {
      predictions = classifier.classify(List.of(scan));
    }
    for (Prediction p : predictions) {
      System.out.println(p.image() + ": " + p.topLabel() + " " + p.probabilities());
    }
    // --- README example ends ---

    assertEquals(1, predictions.size());
    Prediction p = predictions.get(0);
    assertEquals(List.of("normal", "ischemic", "hemorrhagic"), List.copyOf(p.probabilities().keySet()));
    double sum = p.probabilities().values().stream().mapToDouble(Float::doubleValue).sum();
    assertEquals(1.0, sum, 1e-5);
  }
}
