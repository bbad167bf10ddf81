package org.medvision.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;

/**
 * A scripted training session: it records every call, returns losses from a script, moves every weight by the
 * learning rate at each step (so checkpoints differ per step), and predicts the true class in the validation epochs
 * the script marks as good (class 0 otherwise). The true class of an image is read back from its pixel value, which
 * {@link TrainerFixture} sets per class.
 */
final class FakeSession implements TrainingSession {
  final List<String> calls = new ArrayList<>();
  final List<Double> rates = new ArrayList<>();
  /** Validations so far; the n-th validation (1-based) reports epoch n, so a resumed session starts at its epoch. */
  int validations;
  /** Per micro-batch: the first pixel of each image, which identifies it. */
  final List<List<Float>> batches = new ArrayList<>();
  Map<String, Tensor> loadedOptimizerState;
  private final Graph graph;
  private final Map<String, float[]> params = new LinkedHashMap<>();
  private final Map<String, Shape> shapes = new LinkedHashMap<>();
  private final LossScript losses;
  private final IntPredicate goodEpoch;
  private double gradientNorm = 1;
  private int forwardCount;
  private float lastLoss = Float.NaN;
  private long stepCount;
  boolean closed;

  /** The loss of the n-th forwardBackward call (0-based, counted over this session). */
  @FunctionalInterface
  interface LossScript {
    float loss(int call);
  }

  FakeSession(Graph graph, Weights initial, LossScript losses, IntPredicate goodEpoch) {
    this.graph = graph;
    this.losses = losses;
    this.goodEpoch = goodEpoch;
    initial.tensors().forEach((k, v) -> {
      params.put(k, v.toFloatArray());
      shapes.put(k, v.shape());
    });
  }

  void gradientNorm(double n) {
    gradientNorm = n;
  }

  @Override
  public Graph graph() {
    return graph;
  }

  @Override
  public float forwardBackward(Map<String, Tensor> batch) {
    Tensor images = batch.get(TrainerFixture.INPUT1);
    if (!images.contentEquals(batch.get(TrainerFixture.INPUT2))) {
      throw new AssertionError("the two inputs of one source must get the same tensor");
    }
    long[] labels = batch.get(TrainingGraph.LABELS).toLongArray();
    int n = (int) images.shape().dim(0);
    int per = (int) (images.size() / n);
    float[] v = images.toFloatArray();
    List<Float> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(v[i * per]);
      if (TrainerFixture.classOf(v[i * per + 1]) != labels[i]) {
        throw new AssertionError("label " + labels[i] + " does not match image " + i);
      }
    }
    if (!batch.containsKey(TrainingGraph.LOSS_WEIGHT_PREFIX + "ce")) {
      throw new AssertionError("the trainer must feed the loss term's weight");
    }
    batches.add(ids);
    calls.add("fb");
    lastLoss = losses.loss(forwardCount++);
    return lastLoss;
  }

  @Override
  public Map<String, Float> lossTerms() {
    return Map.of("ce", lastLoss);
  }

  @Override
  public Map<String, Double> lossGradientNorms() {
    throw new IllegalStateException("no gradient norms were asked for");
  }

  @Override
  public double gradientNorm() {
    calls.add("norm");
    return gradientNorm;
  }

  @Override
  public void scaleGradients(double factor) {
    calls.add(String.format(java.util.Locale.ROOT, "scale %.6f", factor));
  }

  @Override
  public void step(double learningRate) {
    calls.add("step");
    rates.add(learningRate);
    stepCount++;
    for (float[] p : params.values()) {
      for (int i = 0; i < p.length; i++) {
        p[i] += (float) learningRate;
      }
    }
  }

  @Override
  public Map<String, Tensor> gradients() {
    return Map.of();
  }

  @Override
  public Weights weights() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    params.forEach((k, v) -> m.put(k, Tensor.of(shapes.get(k), v.clone())));
    return Weights.of(m, "fake");
  }

  @Override
  public Map<String, Tensor> optimizerState() {
    return Map.of("step", Tensor.ofLongs(Shape.scalar(), stepCount));
  }

  @Override
  public void loadOptimizerState(Map<String, Tensor> state) {
    loadedOptimizerState = state;
    stepCount = state.get("step").toLongArray()[0];
  }

  @Override
  public void assignBuffers(Map<String, Tensor> buffers) {
    calls.add("assignBuffers");
    buffers.forEach((k, v) -> params.put(k, v.toFloatArray()));
  }

  @Override
  public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
    if (inputs.containsKey(TrainingGraph.LABELS)) {
      throw new AssertionError("inference needs no labels");
    }
    if (calls.isEmpty() || !calls.get(calls.size() - 1).equals("infer")) {
      validations++;
    }
    calls.add("infer");
    boolean good = goodEpoch.test(validations);
    Tensor images = inputs.get(TrainerFixture.INPUT1);
    int n = (int) images.shape().dim(0);
    int per = (int) (images.size() / n);
    float[] v = images.toFloatArray();
    float[] logits = new float[n * 3];
    for (int i = 0; i < n; i++) {
      int predicted = good ? TrainerFixture.classOf(v[i * per + 1]) : 0;
      logits[i * 3 + predicted] = 4;
    }
    return Map.of(TrainerFixture.LOGITS, Tensor.of(Shape.of(n, 3), logits));
  }

  @Override
  public void close() {
    closed = true;
  }
}
