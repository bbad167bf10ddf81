package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.fixtures.RandomTensors;
import org.medvision.train.TrainerConfig;
import org.medvision.train.schedule.WarmupCosineSchedule;

/**
 * Training parity between DJL (PyTorch) and TensorFlow on StrokeNeXt-atto (issue 4, part 3): from identical initial
 * weights, with dropout and drop-path switched off (ratio 0, so no mask is drawn), both engines give the same loss and
 * the same gradient for every trainable parameter, and after 20 identical AdamW updates the same weights.
 *
 * <p>The two engines share no code below the IR: DJL evaluates the graph eagerly with libtorch kernels and autograd;
 * TensorFlow lowers it (channels-last) to a graph and differentiates it symbolically. So agreement is evidence that
 * both follow the IR's training semantics, not that one copies the other.
 */
class TensorFlowDjlTrainingParityTest {
  private static final int SIZE = 32;
  /** Images in the batch of the single-step check. */
  private static final int GRADIENT_BATCH = 4;
  /**
   * Images per batch of the 20-step check: 32, not 4 or 8, because with so few samples the head's BatchNorm1d makes
   * the trajectory chaotic (see {@link #weightsAgreeAfterTwentyAdamWSteps()}).
   */
  private static final int TRAJECTORY_BATCH = 32;
  private static final int STEPS = 20;
  /**
   * The trainer's defaults (AdamW, its weight decay, one warm-up epoch, cosine to 0 over its epochs) with the
   * fine-tuning base rate 1e-4; see {@link #weightsAgreeAfterTwentyAdamWSteps()} for why. The gradient check uses
   * only its optimiser, which does not affect gradients.
   */
  private static final TrainerConfig CONFIG = TrainerConfig.builder().learningRate(1e-4).build();
  /** The trainer's schedule for {@link #CONFIG} when an epoch is {@value #STEPS} updates; the test runs the first. */
  private static final WarmupCosineSchedule SCHEDULE = new WarmupCosineSchedule(CONFIG.learningRate(),
      CONFIG.finalLearningRate(), Math.round(CONFIG.warmupEpochs() * STEPS), (long) CONFIG.epochs() * STEPS);
  /** The bars. */
  private static final double LOSS_TOLERANCE = 1e-4;
  private static final double GRADIENT_TOLERANCE = 1e-3;
  private static final double WEIGHT_TOLERANCE = 1e-3;
  /** Outputs (logits) on a held-out batch after training: relative, as for the weights. */
  private static final double OUTPUT_TOLERANCE = 1e-3;
  /** Largest change of the training-mode loss that counts as none (float32 rounding of a loss near 1). */
  private static final double INVARIANCE_TOLERANCE = 1e-5;
  /** Guards the relative error's denominator against a zero norm. */
  private static final double TINY = 1e-30;
  /** BatchNorm's epsilon in StrokeNeXt (PyTorch's default). */
  private static final double BATCH_NORM_EPS = 1e-5;
  /**
   * Gradients below this fraction of the model's gradient norm, in both engines, count as vanishing: the ones
   * {@link #batchNormInvariantBiases} proves zero up to the layer scale, where what the engines report is float32
   * rounding amplified by the BatchNorm backward (about 4e-6 of the global norm), which no relative comparison can
   * judge. They are compared in absolute terms at this level instead, and the others, down to norms of 1e-8,
   * relatively.
   */
  private static final double VANISHING = 1e-5;

  /**
   * One forward-backward from identical weights: the same loss and the same gradient for every parameter.
   *
   * <p>A batch can sit on a kink, and then no two float32 engines need agree: on seed 31 with 32 images, one unit of
   * {@code classifier.0} has a pre-activation at ReLU's kink feeding a BatchNorm1d channel of almost no variance, so
   * rounding decides whether that sample passes, and the gradients of both engines differ by 4-8% everywhere upstream
   * while the losses agree to 1e-7 (a central difference there, 0.021, lies between DJL's 0.026 and TensorFlow's
   * 0.010, and DJL started from weights one ulp away agrees with DJL). Five other seeds at 32 images agree to 1e-5.
   */
  @Test
  void lossAndGradientsAgree() {
    try (Pair p = new Pair()) {
      float lossDjl = p.djl.forwardBackward(p.batch);
      float lossTf = p.tf.forwardBackward(p.batch);
      assertTrue(Float.isFinite(lossDjl) && lossDjl > 0.1, "DJL loss " + lossDjl);
      assertTrue(Math.abs(lossDjl - lossTf) <= LOSS_TOLERANCE, "loss: djl " + lossDjl + ", tensorflow " + lossTf);
      Map<String, Tensor> gradDjl = p.djl.gradients();
      Map<String, Tensor> gradTf = p.tf.gradients();
      assertEquals(gradDjl.keySet(), gradTf.keySet(), "both engines report every trainable parameter");
      assertTrue(gradDjl.size() > 50, "StrokeNeXt-atto has many trainable tensors, got " + gradDjl.size());
      List<String> vanishing = new ArrayList<>();
      List<String> problems = compare(gradDjl, gradTf, GRADIENT_TOLERANCE, vanishing);
      assertTrue(problems.isEmpty(), "gradients differ: " + problems);
      assertTrue(vanishing.size() <= gradDjl.size() / 20, "only a few gradients may vanish, got " + vanishing);
      assertEquals(p.djl.gradientNorm(), p.tf.gradientNorm(), 1e-3 * p.djl.gradientNorm(), "global gradient norm");
    }
  }

  /**
   * 20 identical AdamW updates, each on a different seeded batch, from identical weights: at every step the two losses
   * agree within {@value #LOSS_TOLERANCE}, and afterwards every parameter and BatchNorm statistic agrees within
   * {@value #WEIGHT_TOLERANCE} relative (per tensor ||w_djl − w_tf|| / ||w_djl||, see {@link #compare}; the worst
   * tensor is printed), except at most the 8 tensors proven to have no gradient at initialisation
   * ({@link #batchNormInvariantBiases}), for which what is defined is checked instead: the model's outputs, and their
   * invariance in training mode ({@link #assertExemptDisagreementImmaterial}).
   *
   * <p>The regime is the trainer's ({@link #CONFIG}): AdamW with {@code TrainerConfig}'s default weight decay on
   * convolution and linear weights only, a linear warm-up of one epoch (here the 20 updates, so the rate climbs from
   * lr/20 to lr) and the fine-tuning base rate 1e-4. The warm-up matters because AdamW's first update is lr·g/|g| per
   * element: an element whose gradient is near zero, where the two float32 values can differ by O(1) in relative
   * terms, moves by up to ±lr differently in the two engines however well the tensors agree, and a zero-initialised
   * bias consists of only 20 updates (at a constant 1e-4 without warm-up dozens of them differed by 3.6e-3 to
   * 5.7e-3). A BatchNorm running mean is measured against the norm of its channels' standard deviation, not its own
   * norm (see {@link #scale}).
   *
   * <p>The batch size decides whether the comparison means anything. With batches of 4 or 8 the trajectory of
   * StrokeNeXt-atto is chaotic: DJL against DJL itself started from weights moved by one ulp per element diverged by
   * as much as DJL against TensorFlow (batch 4, seeds 1000/17: loss difference up to 1e-2 after step 6, 212 tensors
   * over 1e-3; batch 8, seeds 5000/41: 213 tensors over 1e-3 for both), so a pass on one seed pair proved no more than
   * a failure on another. The amplifier is the head's BatchNorm1d after ReLU, where a unit with almost no variance over
   * so few samples scales differences by up to 1/sqrt(eps). With batches of 32 the statistics are stable: on three
   * seed pairs (batches/weights 1000/17, 5000/41, 7000/3) the first gradients agree within 1.4e-5 and, after the 20
   * updates, every compared tensor within the bar (worst: a BatchNorm running mean, then zero-initialised biases) and
   * the held-out logits within 6e-5.
   */
  @Test
  void weightsAgreeAfterTwentyAdamWSteps() {
    try (Pair p = new Pair()) {
      Set<String> proven = batchNormInvariantBiases(p.graph);
      assertEquals(8, proven.size(), "StrokeNeXt-atto: 2 encoders x (2 downsample biases + 2 last-stage blocks), got "
          + proven);
      List<String> exempt = new ArrayList<>();
      for (int step = 0; step < STEPS; step++) {
        Map<String, Tensor> batch = batch(p.graph, 1000 + 10L * step, TRAJECTORY_BATCH);
        float lossDjl = p.djl.forwardBackward(batch);
        float lossTf = p.tf.forwardBackward(batch);
        assertTrue(Float.isFinite(lossDjl) && Math.abs(lossDjl - lossTf) <= LOSS_TOLERANCE,
            "step " + step + ": loss djl " + lossDjl + ", tensorflow " + lossTf);
        if (step == 0) {
          List<String> problems = compare(p.djl.gradients(), p.tf.gradients(), GRADIENT_TOLERANCE, exempt);
          assertTrue(problems.isEmpty(), "first gradients differ: " + problems);
        }
        double rate = SCHEDULE.rate(step);
        p.djl.step(rate);
        p.tf.step(rate);
      }
      assertTrue(proven.containsAll(exempt), "only the BatchNorm-invariant biases " + proven + " may vanish, got "
          + exempt);
      Map<String, Tensor> weightsDjl = p.djl.weights().tensors();
      Map<String, Tensor> weightsTf = p.tf.weights().tensors();
      assertEquals(List.copyOf(weightsDjl.keySet()), List.copyOf(weightsTf.keySet()), "parameter names and order");
      assertMoved(p.graph, p.initial.fitTo(p.graph).tensors(), weightsDjl);
      Map<String, Tensor> comparedDjl = new LinkedHashMap<>(weightsDjl);
      Map<String, Tensor> comparedTf = new LinkedHashMap<>(weightsTf);
      for (String name : exempt) {
        comparedDjl.remove(name);
        comparedTf.remove(name);
        System.out.printf("exempt %s: relative difference %.3g%n", name,
            relativeError(weightsDjl.get(name), weightsTf.get(name)));
      }
      List<String> problems = compare(comparedDjl, comparedTf, WEIGHT_TOLERANCE, null);
      assertTrue(problems.isEmpty(), "weights after " + STEPS + " AdamW steps differ: " + problems);
      assertEquals(p.djl.optimizerState().keySet(), p.tf.optimizerState().keySet(), "optimiser state entries");
      assertEquals((long) STEPS, p.tf.optimizerState().get("step").toLongArray()[0], "step count");

      Map<String, Tensor> heldOut = batch(p.graph, 9000, TRAJECTORY_BATCH);
      Map<String, Tensor> images = new LinkedHashMap<>(heldOut);
      images.remove(TrainingGraph.LABELS);
      List<String> outputs = compare(p.djl.infer(images), p.tf.infer(images), OUTPUT_TOLERANCE, null);
      assertTrue(outputs.isEmpty(), "held-out outputs in inference mode differ: " + outputs);
      assertExemptDisagreementImmaterial(p, weightsDjl, weightsTf, exempt, heldOut);
    }
  }

  /**
   * Checks numerically what {@link #batchNormInvariantBiases} proves and what is defined for the exempt tensors, on
   * DJL: (1) in training mode, magnifying the engines' disagreement on them a hundredfold moves the held-out loss by at
   * most {@value #INVARIANCE_TOLERANCE}, while a change of the same total size placed on {@code fusion.bn_reduce.bias},
   * just past the BatchNorm, moves it by more than ten times that (measured: 3.5e-7 against 9.4e-4), so the check can
   * see a change of this size; (2) in inference mode BatchNorm normalises with its running mean instead, which tracked
   * each engine's own biases, so there the disagreement is not cancelled exactly: putting TensorFlow's values of the
   * exempt tensors into DJL's weights must move the held-out logits by at most {@value #OUTPUT_TOLERANCE} relative
   * (measured 1.6e-4).
   */
  private static void assertExemptDisagreementImmaterial(Pair p, Map<String, Tensor> djl, Map<String, Tensor> tf,
      List<String> exempt, Map<String, Tensor> heldOut) {
    if (exempt.isEmpty()) {
      return;
    }
    String control = "fusion.bn_reduce.bias";
    String source = exempt.stream().filter(n -> tf.get(n).shape().equals(djl.get(control).shape())).findFirst()
        .orElseThrow(() -> new AssertionError("no exempt tensor shaped like " + control + " among " + exempt));
    Map<String, Tensor> magnified = new LinkedHashMap<>(djl);
    for (String name : exempt) {
      magnified.put(name, plusScaledDifference(djl.get(name), djl.get(name), tf.get(name), 100));
    }
    // The control carries as much change as all exempt tensors together (their disagreement's L2 norm, magnified
    // alike), laid out as the source tensor's disagreement: how large the engines' rounding differences are depends
    // on the CPU's instruction set, so a control built from one tensor's alone can be too small to see on one host.
    double total = 0;
    for (String name : exempt) {
      total += squaredDifference(djl.get(name), tf.get(name));
    }
    double scale = 100 * Math.sqrt(total / squaredDifference(djl.get(source), tf.get(source)));
    Map<String, Tensor> controlled = new LinkedHashMap<>(djl);
    controlled.put(control, plusScaledDifference(djl.get(control), djl.get(source), tf.get(source), scale));
    float base = trainingLoss(p, djl, heldOut);
    double invariant = Math.abs(trainingLoss(p, magnified, heldOut) - base);
    double visible = Math.abs(trainingLoss(p, controlled, heldOut) - base);
    System.out.printf("held-out training-mode loss moved %.3g by 100x the exempt disagreement, %.3g by the control%n",
        invariant, visible);
    assertTrue(invariant <= INVARIANCE_TOLERANCE, "the exempt tensors " + exempt + " change the training-mode loss by "
        + invariant);
    assertTrue(visible > 10 * INVARIANCE_TOLERANCE, "control: " + control + " shifted by 100x the " + source
        + " disagreement moves the loss by only " + visible);

    Map<String, Tensor> mixed = new LinkedHashMap<>(djl);
    for (String name : exempt) {
      mixed.put(name, tf.get(name));
    }
    Map<String, Tensor> images = new LinkedHashMap<>(heldOut);
    images.remove(TrainingGraph.LABELS);
    Graph model = p.task.graph();
    try (CompiledModel own = p.djlEngine.compile(model, Weights.of(djl, "djl").fitTo(model), CompileOptions.defaults());
        CompiledModel swapped = p.djlEngine.compile(model, Weights.of(mixed, "djl with tensorflow's exempt tensors")
            .fitTo(model), CompileOptions.defaults())) {
      List<String> problems = compare(own.run(images), swapped.run(images), OUTPUT_TOLERANCE, null);
      assertTrue(problems.isEmpty(), "the exempt tensors " + exempt + " change the inference outputs: " + problems);
    }
  }

  /** The loss of one training-mode forward pass of a fresh DJL session on {@code weights}. */
  private static float trainingLoss(Pair p, Map<String, Tensor> weights, Map<String, Tensor> batch) {
    try (TrainingSession s = p.djlEngine.train(p.graph, Weights.of(weights, "probe"), CONFIG.optimizerSpec(),
        TrainingOptions.cpu(23))) {
      return s.forwardBackward(batch);
    }
  }

  /** {@code base + k·(b − a)}, elementwise. */
  private static double squaredDifference(Tensor a, Tensor b) {
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      sum += ((double) y[i] - x[i]) * ((double) y[i] - x[i]);
    }
    return sum;
  }

  private static Tensor plusScaledDifference(Tensor base, Tensor a, Tensor b, double k) {
    float[] out = base.toFloatArray();
    float[] x = a.toFloatArray();
    float[] y = b.toFloatArray();
    for (int i = 0; i < out.length; i++) {
      out[i] += (float) (k * ((double) y[i] - x[i]));
    }
    return Tensor.of(base.shape(), out);
  }

  /**
   * The biases whose loss gradient, in exact arithmetic, is zero or a layer-scale factor (1e-6 at initialisation) away
   * from zero, so that float32 engines disagree on them only by rounding: in each encoder's last stage,
   * {@code downsample.0.bias}, {@code downsample.1.bias} and every block's {@code mlp.fc2.bias}.
   *
   * <p>Proof. Each of them adds a per-channel constant c, the same for every sample and pixel, to the last stage's
   * residual stream: {@code downsample.1.bias} directly; {@code downsample.0.bias} (the LayerNorm2d's shift) through
   * the 2x2 stride-2 convolution without padding, which maps a constant to a constant; block j's {@code fc2.bias}
   * through the layer scale, as γ_j⊙c. From there the stream passes the stage's later blocks x ↦ x + γ_k⊙F_k(x),
   * global average pooling, flatten, the fusion's unsqueeze and concat, the bias-free {@code conv_reduce} and squeeze:
   * apart from the terms γ_k⊙F_k, a chain of linear maps, so c arrives at {@code bn_reduce} as a vector A·c added to
   * every sample alike. BatchNorm in training mode subtracts the batch mean, which removes A·c exactly, so the loss
   * depends on c only through γ_k⊙F_k(x + c) of later blocks: not at all for the last block's {@code fc2.bias}, and
   * with a factor of the layer scale, 1e-6 at initialisation (timm's), for the others. Their gradients are therefore
   * at float32 rounding level (measured about 4e-6 of the global norm, under {@link #VANISHING}), which AdamW turns
   * into full-size updates of arbitrary sign, so their values after training are not comparable between engines.
   * Earlier stages are not affected: the next stage's {@code downsample.0} LayerNorm normalises over channels, not over
   * the batch, and does not cancel a per-channel constant.
   */
  static Set<String> batchNormInvariantBiases(Graph graph) {
    Pattern pattern =
        Pattern.compile("(encoder\\d+)\\.stages\\.(\\d+)\\.(downsample\\.[01]|blocks\\.\\d+\\.mlp\\.fc2)\\.bias");
    Map<String, Integer> lastStage = new LinkedHashMap<>();
    for (ParameterSpec spec : graph.parameters()) {
      Matcher m = pattern.matcher(spec.name());
      if (m.matches()) {
        lastStage.merge(m.group(1), Integer.parseInt(m.group(2)), Math::max);
      }
    }
    Set<String> names = new TreeSet<>();
    for (ParameterSpec spec : graph.parameters()) {
      Matcher m = pattern.matcher(spec.name());
      if (m.matches() && Integer.parseInt(m.group(2)) == lastStage.get(m.group(1))) {
        names.add(spec.name());
      }
    }
    return names;
  }

  /** StrokeNeXt-atto without random masks, one seeded batch, and an AdamW session as the trainer's on each engine. */
  private static final class Pair implements AutoCloseable {
    final Task task = TestImages.atto(SIZE);
    final Graph graph;
    final Weights initial;
    final Map<String, Tensor> batch;
    final Engine djlEngine = TestImages.MEDVISION.engine("djl");
    final Engine tfEngine = TestImages.MEDVISION.engine("tensorflow");
    final TrainingSession djl;
    final TrainingSession tf;

    Pair() {
      graph = withoutRandomMasks(TrainingGraph.classification(task.graph(), task.outputs().get(0).name(), 0f, null));
      initial = RandomWeights.initialize(graph, 17);
      batch = batch(graph, 31, GRADIENT_BATCH);
      TrainingOptions options = TrainingOptions.cpu(23);
      djl = djlEngine.train(graph, initial, CONFIG.optimizerSpec(), options);
      tf = tfEngine.train(graph, initial, CONFIG.optimizerSpec(), options);
    }

    @Override
    public void close() {
      try (djlEngine; tfEngine; TrainingSession a = djl; TrainingSession b = tf) {
        // closes the sessions, then the engines
      }
    }
  }

  /** The graph with every DROPOUT and DROP_PATH ratio set to 0, which makes both ops the identity in training. */
  private static Graph withoutRandomMasks(Graph g) {
    List<Node> nodes = new ArrayList<>();
    int changed = 0;
    for (Node n : g.nodes()) {
      if (n.op() == Op.DROPOUT || n.op() == Op.DROP_PATH) {
        nodes.add(new Node(n.name(), n.op(), n.inputs(), n.outputs(), Attributes.builder().set("ratio", 0f).build()));
        changed++;
      } else {
        nodes.add(n);
      }
    }
    assertTrue(changed > 0, "StrokeNeXt has dropout in its head and fusion");
    return new Graph(g.name(), g.irVersion(), g.inputs(), g.parameters(), nodes, g.outputs(), g.metadata())
        .validate();
  }

  /** Seeded standard-normal images for every float input and seeded labels of 3 classes, {@code size} of each. */
  private static Map<String, Tensor> batch(Graph graph, long seed, int size) {
    Map<String, Tensor> batch = new LinkedHashMap<>();
    SplittableRandom labels = new SplittableRandom(seed);
    long imageSeed = seed;
    for (ValueInfo in : graph.inputs()) {
      if (in.dtype() == DType.INT64) {
        long[] classes = new long[size];
        for (int i = 0; i < size; i++) {
          classes[i] = labels.nextInt(TestImages.CLASSES.size());
        }
        batch.put(in.name(), Tensor.ofLongs(Shape.of(size), classes));
      } else {
        Shape shape = in.shape().withDim(0, size);
        assertTrue(shape.isFullyKnown(), "input " + in + " has a known shape apart from the batch");
        batch.put(in.name(), RandomTensors.normal(shape, 0f, 1f, ++imageSeed));
      }
    }
    return batch;
  }

  /**
   * Per tensor, the relative error ||x − y|| / max(||x||, {@value #TINY}), which must be at most {@code tolerance};
   * the only exception is a gradient that vanishes in both engines (see {@link #VANISHING}), whose difference must
   * then be at most {@code VANISHING}·||X||, X being all of {@code x}. Returns the problems; adds the names of the
   * vanishing tensors to {@code vanishing}.
   */
  private static List<String> compare(Map<String, Tensor> x, Map<String, Tensor> y, double tolerance,
      List<String> vanishing) {
    double total = 0;
    for (Tensor t : x.values()) {
      double n = norm(t.toFloatArray());
      total += n * n;
    }
    double bound = VANISHING * Math.sqrt(total);
    List<String> problems = new ArrayList<>();
    double worst = 0;
    String worstName = "";
    for (Map.Entry<String, Tensor> e : x.entrySet()) {
      float[] a = e.getValue().toFloatArray();
      Tensor other = y.get(e.getKey());
      if (other == null || !other.shape().equals(e.getValue().shape())) {
        problems.add(e.getKey() + ": shape " + e.getValue().shape() + " vs " + (other == null ? "absent"
            : other.shape()));
        continue;
      }
      float[] b = other.toFloatArray();
      double diff = distance(a, b);
      double own = scale(e.getKey(), a, x);
      double rel = diff / Math.max(own, TINY);
      if (rel <= tolerance) {
        if (rel > worst) {
          worst = rel;
          worstName = e.getKey();
        }
      } else if (vanishing != null && Math.max(own, norm(b)) <= bound && diff <= bound) {
        vanishing.add(e.getKey());
      } else {
        problems.add(e.getKey() + ": relative error " + rel + " (norm " + own + ")");
      }
    }
    System.out.printf("largest relative difference %.3g at %s over %d tensors%s%n", worst, worstName, x.size(),
        vanishing == null ? "" : "; vanishing: " + vanishing);
    return problems;
  }

  /** ||x − y|| / max(||x||, {@value #TINY}) over all elements. */
  /**
   * The size a tensor's error is measured against: its own norm, except for a BatchNorm running mean, whose entries
   * are batch means of features centred near zero (so its own norm can be tiny) and which acts only through
   * {@code (x - mean) / sqrt(var + eps)}: there the norm of the per-channel standard deviation is the scale that
   * decides what a difference does to the normalised output.
   */
  private static double scale(String name, float[] values, Map<String, Tensor> all) {
    if (name.endsWith(".running_mean")) {
      Tensor variance = all.get(name.substring(0, name.length() - "running_mean".length()) + "running_var");
      if (variance != null) {
        double s = 0;
        for (float v : variance.toFloatArray()) {
          s += v + BATCH_NORM_EPS;
        }
        return Math.sqrt(s);
      }
    }
    return norm(values);
  }

  private static double relativeError(Tensor x, Tensor y) {
    float[] a = x.toFloatArray();
    return distance(a, y.toFloatArray()) / Math.max(norm(a), TINY);
  }

  private static double distance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = (double) a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  private static double norm(float[] v) {
    double s = 0;
    for (float f : v) {
      s += (double) f * f;
    }
    return Math.sqrt(s);
  }

  /** Training really changed the model: every trainable tensor and every BatchNorm statistic moved. */
  private static void assertMoved(Graph graph, Map<String, Tensor> before, Map<String, Tensor> after) {
    for (ParameterSpec p : graph.parameters()) {
      float[] x = before.get(p.name()).toFloatArray();
      float[] y = after.get(p.name()).toFloatArray();
      double change = 0;
      for (int i = 0; i < x.length; i++) {
        change = Math.max(change, Math.abs(x[i] - y[i]));
      }
      boolean buffer = p.role() == ParamRole.RUNNING_MEAN || p.role() == ParamRole.RUNNING_VAR;
      assertTrue(change > (buffer ? 1e-4 : 0), (buffer ? "BatchNorm buffer " : "parameter ") + p.name()
          + " did not move");
    }
  }
}
