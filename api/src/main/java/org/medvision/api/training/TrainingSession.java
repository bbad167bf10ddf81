package org.medvision.api.training;

import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * A graph being trained on one engine: it holds the parameters, buffers, gradients and optimiser state in the
 * engine's memory until closed.
 *
 * <p>The graph is a training graph ({@link TrainingGraph}): its output {@value TrainingGraph#LOSS} is the scalar
 * loss that is differentiated, and outputs named {@link TrainingGraph#LOSS_TERM_PREFIX}{@code name} are the named
 * terms it sums (each scaled by its weight input {@link TrainingGraph#LOSS_WEIGHT_PREFIX}{@code name}, fed like any
 * input, so weights may change every step). Parameters that the {@link OptimizerSpec}'s groups freeze get no
 * gradient and no update.
 * In {@link #forwardBackward} the engine runs it in <em>training mode</em>: BatchNorm normalises with the batch's
 * statistics (biased variance) and updates its running statistics as running ← momentum·running +
 * (1−momentum)·batch with the IR's ONNX-convention momentum and the unbiased batch variance (PyTorch's rule);
 * DROPOUT and DROP_PATH draw their masks from one {@code java.util.SplittableRandom(seed)} per session, seeded by
 * {@link TrainingOptions#seed()}: one {@code nextDouble()} per element (DROPOUT, row-major order) or per sample
 * (DROP_PATH, along axis 0), dropped when the draw is below the ratio and otherwise scaled by 1/(1−ratio); nodes
 * draw in graph order and forward passes consume the stream in turn, so every engine draws identical masks for one
 * seed. In {@link #infer} it runs {@link TrainingGraph#inferenceGraph}, the model part, in inference mode on the
 * current weights: it takes the model's inputs only (no targets, no loss weights) and returns the model's outputs
 * without any loss output.
 *
 * <p>Engines may hold process-wide state (thread counts; PyTorch allows one gradient recorder per process), so run
 * at most one {@code forwardBackward} at a time per process.
 *
 * <p>A step is: one or more {@code forwardBackward} calls (gradients add up, which gives gradient accumulation), then
 * optionally {@link #scaleGradients} (averaging over accumulated micro-batches, clipping by {@link #gradientNorm()}),
 * then {@link #step}, which applies the {@link OptimizerSpec} update and clears the gradients. Not thread-safe.
 */
public interface TrainingSession extends AutoCloseable {
  /** The training graph. */
  Graph graph();

  /**
   * Runs the graph forward in training mode on {@code batch} and adds the loss's gradients to the accumulated ones.
   *
   * @param batch one tensor per graph input
   * @return the loss value, which may be NaN or infinite: checking it is the caller's job
   */
  float forwardBackward(Map<String, Tensor> batch);

  /**
   * The value of every named loss term ({@link TrainingGraph#LOSS_TERM_PREFIX}{@code name} outputs of the graph) in
   * the last {@link #forwardBackward}, by term name without the prefix, in the graph's output order; empty for a graph
   * whose only loss is {@value TrainingGraph#LOSS}.
   *
   * @throws IllegalStateException before the first forwardBackward
   */
  Map<String, Float> lossTerms();

  /**
   * For each named loss term of the last {@link #forwardBackward}, the L2 norm of the gradient of that term alone
   * (unweighted) with respect to the parameters chosen by {@link TrainingOptions#lossGradientNormParameters()}, by
   * term name. These gradients are not accumulated: the step still follows the weighted total only. Loss balancers
   * such as GradNorm read them.
   *
   * @throws IllegalStateException before the first forwardBackward, or when the session was opened without
   *     {@code lossGradientNormParameters}
   */
  Map<String, Double> lossGradientNorms();

  /** The L2 norm over all accumulated gradients of trainable parameters. */
  double gradientNorm();

  /** Multiplies every accumulated gradient by {@code factor}. */
  void scaleGradients(double factor);

  /**
   * Applies one optimiser update with learning rate {@code learningRate} to every trainable parameter, then clears
   * the gradients.
   */
  void step(double learningRate);

  /** The accumulated gradients by parameter name (trainable, unfrozen parameters only), copied to the host. */
  Map<String, Tensor> gradients();

  /** The current parameters and buffers, copied to the host, in the graph's declaration order. */
  Weights weights();

  /**
   * The optimiser state copied to the host, for checkpoints: {@code step} (int64 scalar) and per parameter p
   * {@code exp_avg.p}, {@code exp_avg_sq.p} (AdamW) or {@code momentum_buffer.p} (SGD with momentum).
   */
  Map<String, Tensor> optimizerState();

  /**
   * Restores a state returned by {@link #optimizerState()}, e.g. when resuming.
   *
   * @throws org.medvision.api.MedvisionException naming missing or mis-shaped entries
   */
  void loadOptimizerState(Map<String, Tensor> state);

  /**
   * Overwrites buffers (parameters whose role is not trainable, such as BatchNorm running statistics) with the given
   * values, e.g. statistics recalibrated on training batches before validation. Trainable parameters, gradients and
   * the optimiser state are untouched.
   *
   * @param buffers host tensors by buffer name, each of its buffer's shape; may name only some buffers
   * @throws org.medvision.api.MedvisionException naming an unknown name, a trainable parameter or a shape that differs
   *     ({@link BufferValues#check}); nothing is assigned then
   */
  void assignBuffers(Map<String, Tensor> buffers);

  /**
   * Runs the model part in inference mode on the current weights; the inputs only losses read need not be given, and
   * are ignored when they are.
   */
  Map<String, Tensor> infer(Map<String, Tensor> inputs);

  /** Releases the engine memory; idempotent. */
  @Override
  void close();
}
