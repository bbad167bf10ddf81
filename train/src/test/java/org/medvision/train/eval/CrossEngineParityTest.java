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
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.io.classify.TaskInputs;
import org.medvision.io.dataset.Dataset;
import org.medvision.io.dataset.Split;
import org.medvision.io.image.Images;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.Difficulty;
import org.medvision.train.TrainingData;

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
    TrainingData data = TrainingData.load(synth.manifest(), task.outputs().get(0).labels(), 11);
    Dataset train = data.dataset(Split.TRAIN);
    Weights initial = RandomWeights.initialize(task.graph(), 5);
    Weights trained = trainOnDjl(task, initial, train);
    assertMoved(task.graph(), initial, trained);

    List<ImagePrediction> heldOut = new ArrayList<>();
    List<ImagePrediction> onnx;
    try (Engine engine = TestImages.MEDVISION.engine("djl");
        CompiledModel model = engine.compile(task.graph(), trained, CompileOptions.defaults())) {
      heldOut.addAll(Evaluator.of(task, model, 4).predict(data.dataset(Split.TEST), (d, t) -> { }));
      heldOut.addAll(Evaluator.of(task, model, 4).predict(data.dataset(Split.VAL), (d, t) -> { }));
    }
    try (Engine engine = TestImages.MEDVISION.engine("onnx");
        CompiledModel model = engine.compile(task.graph(), trained, CompileOptions.defaults())) {
      onnx = new ArrayList<>(Evaluator.of(task, model, 4).predict(data.dataset(Split.TEST), (d, t) -> { }));
      onnx.addAll(Evaluator.of(task, model, 4).predict(data.dataset(Split.VAL), (d, t) -> { }));
    }
    assertEquals(heldOut.size(), onnx.size());
    assertTrue(heldOut.size() >= 10, "held-out images: " + heldOut.size());
    double max = 0;
    for (int i = 0; i < heldOut.size(); i++) {
      assertEquals(heldOut.get(i).path(), onnx.get(i).path());
      float[] a = heldOut.get(i).probabilities();
      float[] b = onnx.get(i).probabilities();
      for (int k = 0; k < a.length; k++) {
        max = Math.max(max, Math.abs(a[k] - b[k]));
      }
    }
    assertTrue(max <= TOLERANCE, "max |p_djl - p_onnx| = " + max + " over " + heldOut.size() + " images");
  }

  /** A few AdamW steps in training mode on DJL, images fed exactly as evaluation feeds them. */
  private static Weights trainOnDjl(Task task, Weights initial, Dataset train) {
    Graph graph = TrainingGraph.classification(task.graph(), task.outputs().get(0).name(), 0f, null);
    TaskInputs inputs = new TaskInputs(task);
    String source = inputs.sources().get(0);
    try (Engine engine = TestImages.MEDVISION.engine("djl");
        TrainingSession session = engine.train(graph, initial, OptimizerSpec.adamW(0.05), TrainingOptions.cpu(3))) {
      for (int step = 0; step < STEPS; step++) {
        List<Map<String, Tensor>> items = new ArrayList<>();
        long[] labels = new long[BATCH];
        for (int j = 0; j < BATCH; j++) {
          Dataset.Item item = train.get((step * BATCH + j) % train.size());
          items.add(Map.of(source, Images.read(item.path())));
          labels[j] = item.label();
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>(inputs.feeds(items));
        feeds.put(TrainingGraph.LABELS, Tensor.ofLongs(Shape.of(BATCH), labels));
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
