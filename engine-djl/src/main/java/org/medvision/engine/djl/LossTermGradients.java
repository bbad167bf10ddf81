package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.training.TrainingGraph;

/**
 * The per-term gradient norms of {@link org.medvision.api.training.TrainingSession#lossGradientNorms()}: after a
 * training forward, each loss term gets its own backward pass with the autograd graph kept (DJL's collector always
 * frees it, so libtorch's backward is called directly), the norm of libtorch's gradients at the target parameters is
 * read, and every trained parameter's libtorch gradient is zeroed again. The caller's backward of the loss then
 * starts from zero and accumulates exactly what it would without this.
 */
final class LossTermGradients {
  private final List<ParameterSpec> targets;
  private final List<ParameterSpec> trained;
  private Map<String, Double> norms;

  /**
   * @param targets the parameters whose gradient norm is measured
   * @param trained every parameter that requires a gradient, all zeroed after each term
   */
  LossTermGradients(List<ParameterSpec> targets, List<ParameterSpec> trained) {
    this.targets = List.copyOf(targets);
    this.trained = List.copyOf(trained);
  }

  /**
   * Measures every term of the forward pass whose values are {@code values}.
   *
   * @param parameters the parameter arrays by name
   * @param scale the loss scale of float16 training (1 otherwise): backward runs on scale·term, as the loss's does,
   *     and the norm is divided by it
   */
  void measure(Map<String, NDArray> values, List<String> terms, Map<String, NDArray> parameters, float scale) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String term : terms) {
      NDArray value = values.get(TrainingGraph.LOSS_TERM_PREFIX + term);
      // The seed gradient d(scale·term)/d(term), in memory libtorch owns (see Scalars).
      NDArray seed = value.getManager().full(new Shape(), scale, value.getDataType());
      JniUtils.backward((PtNDArray) value, (PtNDArray) seed, true, false);
      double squares = 0;
      for (ParameterSpec p : targets) {
        PtNDArray g = JniUtils.getGradient((PtNDArray) parameters.get(p.name()));
        if (g != null) {
          squares += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
        }
      }
      out.put(term, Math.sqrt(squares) / scale);
      for (ParameterSpec p : trained) {
        PtNDArray param = (PtNDArray) parameters.get(p.name());
        // A parameter this term does not reach has no libtorch gradient yet, and zeroing none is an error.
        if (JniUtils.getGradient(param) != null) {
          JniUtils.zeroGrad(param);
        }
      }
    }
    norms = Collections.unmodifiableMap(out);
  }

  /**
   * The norms of the last measured forward pass, by term.
   *
   * @throws IllegalStateException before the first
   */
  Map<String, Double> norms() {
    if (norms == null) {
      throw new IllegalStateException("lossGradientNorms() before the first forwardBackward");
    }
    return norms;
  }
}
