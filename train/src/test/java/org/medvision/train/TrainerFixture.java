package org.medvision.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.graph.Graph;
import org.medvision.api.metrics.ClassificationSuite;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingRecipe;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * A tiny two-input classification task (3 classes a, b, c on 8x8 images) and a PNG data set whose images encode
 * their identity in pixel 0 and their class in every other pixel, so a fake session can check what it is fed.
 */
final class TrainerFixture {
  static final String INPUT1 = "image1";
  static final String INPUT2 = "image2";
  static final String LOGITS = "logits";
  static final List<String> CLASSES = List.of("a", "b", "c");
  static final int SIZE = 8;
  private static final float MEAN = 0.485f;
  private static final float STD = 0.229f;

  private TrainerFixture() {}

  static Task task() {
    return task("v");
  }

  /** The fixture task with configuration variant {@code variant} (the graph is the same). */
  static Task task(String variant) {
    GraphBuilder b = new GraphBuilder("fake-classifier");
    Shape in = Shape.of(Shape.DYNAMIC, 3, SIZE, SIZE);
    Value x1 = b.input(INPUT1, DType.FLOAT32, in);
    Value x2 = b.input(INPUT2, DType.FLOAT32, in);
    Value sum = b.apply(Op.ADD, x1, x2);
    Value pooled = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, sum));
    Value w = b.parameter("head.weight", Shape.of(3, 3), ParamRole.WEIGHT, (out, shape, r) -> {
      for (int i = 0; i < out.length; i++) {
        out[i] = (float) r.nextDouble();
      }
    });
    Value bias = b.parameter("head.bias", Shape.of(3), ParamRole.BIAS, (out, shape, r) -> { });
    b.output(LOGITS, b.apply(Op.GEMM, Attributes.empty(), pooled, w, bias));
    b.metadata("task", "fake").metadata("variant", "v");
    Graph graph = b.build();
    ImagePreprocessing prep = new ImagePreprocessing(3, SIZE, SIZE, new float[] {MEAN, MEAN, MEAN},
        new float[] {STD, STD, STD});
    LabelField label = LabelField.single("label", "label", CLASSES);
    DataSchema schema = new DataSchema(List.of(ImageField.of("image", "path", prep, Windowing.range()), label),
        Map.of(INPUT1, "image", INPUT2, "image"), "label");
    TrainingRecipe recipe = context -> {
      TrainingGraph.Builder t = TrainingGraph.builder(graph);
      Value labels = t.target(TrainingGraph.LABELS, DType.INT64, Shape.of(Shape.DYNAMIC));
      t.loss("ce", t.graph().apply(Op.CROSS_ENTROPY, t.graph().value(LOGITS), labels));
      return TrainingSpec.of(t.build(), Map.of(TrainingGraph.LABELS, "label"), Map.of("ce", 1.0));
    };
    return Task.builder("fake", config(variant), graph).data(schema)
        .output(new OutputSpec(LOGITS, OutputSpec.Kind.CLASS_LOGITS, CLASSES))
        .training(recipe)
        .metrics(() -> new ClassificationSuite(LOGITS, "label", CLASSES))
        .build();
  }

  /** The fixture task's configuration of {@code variant}. */
  static TaskConfig config(String variant) {
    return new TaskConfig(variant, Map.of("image_size", Integer.toString(SIZE)));
  }

  /** The class whose code a preprocessed pixel value holds. */
  static int classOf(float normalized) {
    double raw = (normalized * STD + MEAN) * 255;
    return (int) Math.round(raw / 60) - 1;
  }

  /**
   * Writes {@code perClass[s]} images of each class for split s (train, val, test) and a manifest; returns it.
   */
  static Path dataset(Path dir, int train, int val, int test) {
    StringBuilder csv = new StringBuilder("path,label,split\n");
    int id = 0;
    int[] counts = {train, val, test};
    String[] splits = {"train", "val", "test"};
    try {
      for (int s = 0; s < 3; s++) {
        for (int c = 0; c < 3; c++) {
          for (int k = 0; k < counts[s]; k++) {
            id++;
            String name = "img" + id + ".png";
            BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
            for (int p = 0; p < SIZE * SIZE; p++) {
              img.getRaster().setSample(p % SIZE, p / SIZE, 0, p == 0 ? id : (c + 1) * 60);
            }
            ImageIO.write(img, "png", dir.resolve(name).toFile());
            csv.append(name).append(',').append(CLASSES.get(c)).append(',').append(splits[s]).append('\n');
          }
        }
      }
      Path manifest = dir.resolve("manifest.csv");
      Files.writeString(manifest, csv);
      return manifest;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
