package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.io.ProgressListener;
import org.medvision.runtime.ModelCheckpoint;
import org.medvision.runtime.ModelRequest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.PredictionInput;
import org.medvision.runtime.PredictionInputs;
import org.medvision.runtime.PredictionOptions;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.Provenance;
import org.medvision.runtime.StudyPrediction;

/** The README's embedding example, kept compiling and running here. */
class EmbeddingExampleTest {
  @TempDir Path dir;

  @Test
  void predictImagesWithACheckpointFromJava() throws IOException {
    Path scans = Files.createDirectory(dir.resolve("scans"));
    ImageIO.write(new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY), "png", scans.resolve("a.png").toFile());
    Medvision setup = Medvision.builder().build();
    TaskProvider strokenext = setup.tasks().get("strokenext");
    Task trained = strokenext.create(strokenext.configure("atto", Map.of("image_size", "64")));
    Path checkpoint = dir.resolve("best.safetensors");
    Safetensors.write(checkpoint, RandomWeights.initialize(trained.graph(), 42));
    ModelCheckpoint.writeFor(checkpoint, trained, "test", "test");

    // --- README example begins ---
    Medvision mv = Medvision.builder().build();                     // discovers tasks and engines once
    // A checkpoint records its task and every option; an ensemble.json loads the same way.
    ModelSource model = ModelSource.load(mv, checkpoint, ModelRequest.none());
    List<PredictionInput> inputs = PredictionInputs.collect(model.task().data(), List.of(scans),
        warning -> System.err.println(warning), ProgressListener.NONE);   // images, DICOM trees, NIfTI volumes
    List<StudyPrediction.Outcome> outcomes;
    try (Engine engine = mv.engine("onnx");                          // the caller closes the engine
        Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 8)) {
      PredictionOptions writes = new PredictionOptions(null, null, null, null, null);   // or SR, overlay, map folders
      outcomes = new StudyPrediction(predictor, writes, Provenance.of(model, engine, CompileOptions.defaults()))
          .run(inputs, ProgressListener.NONE, warning -> System.err.println(warning));
    }
    for (StudyPrediction.Outcome o : outcomes) {
      ClassProbabilities p = o.result().first(ClassProbabilities.class).orElseThrow();
      System.out.println(o.input().label() + ": " + p.topLabel() + " " + p.labels());
    }
    // --- README example ends ---

    assertEquals(1, outcomes.size());
    ClassProbabilities p = outcomes.get(0).result().first(ClassProbabilities.class).orElseThrow();
    assertEquals(List.of("normal", "ischemic", "hemorrhagic"), p.labels());
    double sum = 0;
    for (float v : p.probabilities()) {
      sum += v;
    }
    assertEquals(1.0, sum, 1e-5);
    assertTrue(outcomes.get(0).input().label().endsWith("a.png"));
  }
}
