package org.medvision.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.reference.GraphEvaluator;

/**
 * The reference interpreter: plain Java that runs any IR graph with the ONNX semantics (opset 20) documented on each
 * {@link org.medvision.api.graph.Op}. It defines the numerics every engine must match.
 *
 * <p>It computes in float32 values with higher-precision intermediates: dot products (convolution, matrix products)
 * sum exact float×float products in double and round once; normalisations, softmax, pooling means and
 * transcendental functions are evaluated in double and rounded once; add, subtract, multiply and divide are plain
 * IEEE float32 operations. So its result is at least as accurate as any float32 engine's, and differences from an
 * engine measure the engine's rounding.
 *
 * <p>Losses are accumulated in double and rounded once. {@link #runTraining} runs the deterministic part of training
 * mode (BatchNorm with batch statistics), so finite differences of a training graph's loss can check an engine's
 * gradients.
 *
 * <p>It is single-threaded and unoptimised, fast enough for small models in tests. Values are float32: every
 * parameter and graph input must be declared float32, except int64 graph inputs that only index operands
 * ({@link org.medvision.api.graph.Op#isIndexOperand}, e.g. the class targets of cross-entropy) read.
 */
public final class ReferenceInterpreter {
  private ReferenceInterpreter() {}

  /**
   * Runs {@code graph} on {@code inputs} with {@code weights}.
   *
   * @param inputs one tensor per graph input, by name, with the declared dtype and a shape compatible with the
   *     declared one (dynamic dimensions take any extent)
   * @return one tensor per graph output, by name, in declaration order
   * @throws MedvisionException naming the input that is missing, unexpected, or of the wrong dtype or shape, a
   *     graph value that is not float32, or an int64 input that something other than an index operand reads
   * @throws org.medvision.api.weights.WeightMismatchException if the weights do not fit the graph's parameters
   */
  public static Map<String, Tensor> run(Graph graph, Weights weights, Map<String, Tensor> inputs) {
    return evaluate(graph, weights, inputs, false);
  }

  /**
   * Runs {@code graph} in training mode without randomness: BatchNorm normalises with the batch's mean and biased
   * variance instead of its running statistics (which it neither reads nor updates), and every DROPOUT and DROP_PATH
   * node must have ratio 0. This is the loss an engine's {@code forwardBackward} computes and differentiates for such
   * a graph, so its finite differences check the engine's gradients.
   *
   * @return one tensor per graph output, by name, in declaration order
   * @throws MedvisionException as {@link #run}, and naming a dropout or drop-path node whose ratio is not 0
   * @throws org.medvision.api.weights.WeightMismatchException if the weights do not fit the graph's parameters
   */
  public static Map<String, Tensor> runTraining(Graph graph, Weights weights, Map<String, Tensor> inputs) {
    return evaluate(graph, weights, inputs, true);
  }

  private static Map<String, Tensor> evaluate(Graph graph, Weights weights, Map<String, Tensor> inputs,
      boolean training) {
    checkDtypes(graph);
    checkInputs(graph, inputs);
    Weights fitted = weights.fitTo(graph);
    return GraphEvaluator.evaluate(graph, fitted.tensors(), inputs, training);
  }

  private static void checkDtypes(Graph graph) {
    for (ValueInfo in : graph.inputs()) {
      if (in.dtype() != DType.FLOAT32 && in.dtype() != DType.INT64) {
        throw new MedvisionException("the reference interpreter computes float32 only (int64 is accepted only for "
            + "inputs that index operands read, such as cross_entropy targets); graph '" + graph.name()
            + "' declares input '" + in.name() + "' as " + in.dtype());
      }
    }
    for (ParameterSpec p : graph.parameters()) {
      if (p.dtype() != DType.FLOAT32) {
        throw new MedvisionException("the reference interpreter computes float32 only; graph '" + graph.name()
            + "' declares parameter '" + p.name() + "' as " + p.dtype());
      }
    }
  }

  private static void checkInputs(Graph graph, Map<String, Tensor> inputs) {
    List<String> problems = new ArrayList<>();
    Set<String> declared = new TreeSet<>();
    for (ValueInfo in : graph.inputs()) {
      declared.add(in.name());
      Tensor t = inputs.get(in.name());
      if (t == null) {
        problems.add("input '" + in.name() + "' (" + in.dtype() + in.shape() + ") is missing");
      } else if (t.dtype() != in.dtype()) {
        problems.add("input '" + in.name() + "' is " + t.dtype() + t.shape() + ", declared " + in.dtype()
            + in.shape());
      } else if (!t.shape().isCompatibleWith(in.shape())) {
        problems.add("input '" + in.name() + "' has shape " + t.shape() + ", declared " + in.shape());
      }
    }
    for (String name : new TreeSet<>(inputs.keySet())) {
      if (!declared.contains(name)) {
        problems.add("input '" + name + "' is not a graph input");
      }
    }
    if (!problems.isEmpty()) {
      throw new MedvisionException("graph '" + graph.name() + "': " + String.join("; ", problems)
          + " (graph inputs: " + graph.inputs() + ")");
    }
  }
}
