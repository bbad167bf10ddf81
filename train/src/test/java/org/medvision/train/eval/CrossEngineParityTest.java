package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.Batches;
import org.medvision.api.data.Example;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.ExampleSet;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.TaskData;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.Scoring;

/**
 * Weights trained on DJL give the same probabilities on ONNX Runtime: StrokeNeXt-atto is trained for a few AdamW
 * steps through DJL (so BatchNorm running statistics and every trainable tensor have moved off their initial
 * values), then the held-out images run through DJL and ONNX Runtime in this one JVM.
 */
class CrossEngineParityTest {
  private static final int SIZE = 32;
  private static final int STEPS = 6;
  private static final int BATCH = 8;
  /** The bar for float32 cross-engine parity. */
  private static final double TOLERANCE = 1e-4;

  @TempDir
  Path dir;

  @Test
  void djlTrainedWeightsPredictTheSameOnOnnxRuntime() {
    Task task = TestImages.atto(SIZE);
    BrainCtDataset.Result synth = BrainCtDataset.generate(dir.resolve("data"), 60, 48, 11, Difficulty.MEDIUM, "brain");
    TaskData data = TaskData.load(synth.manifest(), task.data(), 11, ProgressListener.NONE);
    ExampleReader reader = ExampleReader.all(task.data(), null);
    Weights initial = RandomWeights.initialize(task.graph(), 5);
    Weights trained = trainOnDjl(task, initial, data.split(Split.TRAIN), reader);
    assertMoved(task.graph(), initial, trained);
    ModelSource model = new ModelSource(task, List.of(new ModelSource.Member("trained", null, "trained", trained,
        Map.of())), dir.resolve("trained"));
    List<ExampleResult> djl = heldOut("djl", model, data, reader);
    List<ExampleResult> onnx = heldOut("onnx", model, data, reader);
    assertEquals(djl.size(), onnx.size());
    assertTrue(djl.size() >= 10, "held-out images: " + djl.size());
    double max = 0;
    for (int i = 0; i < djl.size(); i++) {
      assertEquals(djl.get(i).id(), onnx.get(i).id());
      float[] a = djl.get(i).first(ClassProbabilities.class).orElseThrow().probabilities();
      float[] b = onnx.get(i).first(ClassProbabilities.class).orElseThrow().probabilities();
      for (int k = 0; k < a.length; k++) {
        max = Math.max(max, Math.abs(a[k] - b[k]));
      }
    }
    assertTrue(max <= TOLERANCE, "max |p_djl - p_onnx| = " + max + " over " + djl.size() + " images");
  }

  /** The test and validation images through {@code engine}'s compiled model and the task's pipeline. */
  private static List<ExampleResult> heldOut(String engineName, ModelSource model, TaskData data,
      ExampleReader reader) {
    List<ExampleResult> out = new ArrayList<>();
    try (Engine engine = TestImages.MEDVISION.engine(engineName);
        Predictor predictor = new Predictor(engine, model, CompileOptions.defaults(), 4)) {
      for (Split split : List.of(Split.TEST, Split.VAL)) {
        out.addAll(Scoring.score(model.task(), data.split(split), reader, predictor.runner(0), 4,
            ProgressListener.NONE).results());
      }
    }
    return out;
  }

  /** A few AdamW steps in training mode on DJL, examples fed exactly as the trainer feeds them. */
  private static Weights trainOnDjl(Task task, Weights initial, ExampleSet train, ExampleReader reader) {
    TrainingSpec spec = task.training().orElseThrow().build(new TrainingContext(task.config(), train, 3, Map.of()));
    try (Engine engine = TestImages.MEDVISION.engine("djl");
        TrainingSession session = engine.train(spec.graph(), initial, OptimizerSpec.adamW(0.05),
            TrainingOptions.cpu(3))) {
      for (int step = 0; step < STEPS; step++) {
        List<Example> batch = new ArrayList<>();
        for (int j = 0; j < BATCH; j++) {
          int index = (step * BATCH + j) % train.size();
          batch.add(reader.read(train.get(index), 1, index));
        }
        Map<String, Tensor> collated = Batches.collate(batch);
        Map<String, Tensor> feeds = new LinkedHashMap<>(SingleGraphPipeline.feeds(task.data(), collated));
        spec.targets().forEach((input, key) -> feeds.put(input, collated.get(key)));
        feeds.put(TrainingGraph.LOSS_WEIGHT_PREFIX + "ce", Tensor.of(Shape.scalar(), 1f));
        float loss = session.forwardBackward(feeds);
        assertTrue(Float.isFinite(loss), "loss at step " + step + ": " + loss);
        session.step(1e-3);
      }
      return session.weights();
    }
  }

  /** Every BatchNorm running statistic and trainable tensor differs from its initial value somewhere. */
  private static void assertMoved(Graph graph, Weights initial, Weights trained) {
    int buffers = 0;
    for (ParameterSpec p : graph.parameters()) {
      float[] before = initial.tensors().get(p.name()).toFloatArray();
      float[] after = trained.tensors().get(p.name()).toFloatArray();
      double change = 0;
      for (int i = 0; i < before.length; i++) {
        change = Math.max(change, Math.abs(after[i] - before[i]));
      }
      if (p.role() == ParamRole.RUNNING_MEAN || p.role() == ParamRole.RUNNING_VAR) {
        buffers++;
        assertTrue(change > 1e-4, "BatchNorm buffer " + p.name() + " did not move");
      } else {
        assertTrue(change > 0, "parameter " + p.name() + " did not move");
      }
    }
    assertTrue(buffers > 0, "the model has BatchNorm running statistics to carry across engines");
  }
}
