package org.medvision.api.training;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Device;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;

/**
 * How an engine runs training.
 *
 * @param device target device
 * @param seed seed of every random draw the engine makes (dropout and drop-path masks)
 * @param threads intra-op threads; 0 lets the engine choose
 * @param precision arithmetic; engines reject mixed precision on the CPU
 * @param lossGradientNormParameters a regular expression (matched against whole parameter names) choosing the
 *     parameters at which {@link TrainingSession#lossGradientNorms()} measures each loss term's gradient, e.g. the
 *     last shared layer for GradNorm; {@code null} when no such norms are wanted (they cost one extra backward pass
 *     per loss term)
 */
public record TrainingOptions(Device device, long seed, int threads, Precision precision,
    String lossGradientNormParameters) {
  /**
   * Checks the loss-gradient pattern.
   *
   * @throws MedvisionException if it is not a valid regular expression
   */
  public TrainingOptions {
    if (lossGradientNormParameters != null) {
      try {
        Pattern.compile(lossGradientNormParameters);
      } catch (PatternSyntaxException e) {
        throw new MedvisionException("loss-gradient parameter pattern '" + lossGradientNormParameters
            + "' is not a valid regular expression: " + e.getDescription(), e);
      }
    }
  }

  /** Options without per-loss gradient norms. */
  public TrainingOptions(Device device, long seed, int threads, Precision precision) {
    this(device, seed, threads, precision, null);
  }

  /** CPU, float32, engine-chosen threads. */
  public static TrainingOptions cpu(long seed) {
    return new TrainingOptions(Device.CPU, seed, 0, Precision.FLOAT32);
  }

  /** These options measuring per-loss gradient norms at the parameters matching {@code pattern}. */
  public TrainingOptions withLossGradientNorms(String pattern) {
    return new TrainingOptions(device, seed, threads, precision, pattern);
  }

  /**
   * The parameters of {@code graph} at which {@link TrainingSession#lossGradientNorms()} measures the loss terms'
   * gradients: the trainable parameters that {@code optimizer} does not freeze and whose names match
   * {@link #lossGradientNormParameters()} as a whole, in declaration order; empty when no pattern is set.
   *
   * @throws MedvisionException if a pattern is set but matches no such parameter (a typo, or only frozen ones)
   */
  public List<ParameterSpec> lossGradientNormTargets(Graph graph, OptimizerSpec optimizer) {
    if (lossGradientNormParameters == null) {
      return List.of();
    }
    List<ParameterSpec> trained = graph.parameters().stream()
        .filter(p -> p.role().trainable() && !optimizer.settingsFor(p).frozen()).toList();
    List<ParameterSpec> matched = trained.stream()
        .filter(p -> Pattern.matches(lossGradientNormParameters, p.name())).toList();
    if (matched.isEmpty()) {
      throw new MedvisionException("loss-gradient parameter pattern '" + lossGradientNormParameters + "' matches no "
          + "trained (trainable, unfrozen) parameter of graph '" + graph.name() + "'; names look like "
          + trained.stream().limit(3).map(ParameterSpec::name).toList());
    }
    return matched;
  }
}
