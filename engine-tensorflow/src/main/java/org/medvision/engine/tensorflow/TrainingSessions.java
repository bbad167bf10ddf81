package org.medvision.engine.tensorflow;

import java.util.List;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingOptions;
import org.medvision.api.training.TrainingSession;
import org.medvision.api.weights.Weights;

/** Checks a training request and opens a {@link TensorFlowTrainingSession}: the engine's {@code train}. */
final class TrainingSessions {
  private TrainingSessions() {}

  /**
   * Opens a session on {@code trainingGraph}, which must have the float32 scalar output {@value TrainingGraph#LOSS}.
   *
   * @throws EngineException for mixed precision, negative threads, an unavailable device, a graph without a scalar
   *     loss, an input that is neither float32 nor int64 indices read only by index operands, or a parameter that is
   *     not float32
   * @throws org.medvision.api.engine.UnsupportedOpException for an op the lowering lacks
   * @throws org.medvision.api.weights.WeightMismatchException if the weights do not fit the graph
   * @throws org.medvision.api.MedvisionException for a parameter group that matches no trainable parameter or
   *     freezes them all, or a loss-gradient pattern that matches no trained parameter
   */
  static TrainingSession open(TfRuntime runtime, Graph trainingGraph, Weights initial, OptimizerSpec optimizer,
      TrainingOptions options) {
    if (options.precision() != Precision.FLOAT32) {
      throw new EngineException("precision " + options.precision() + " (automatic mixed precision) is not "
          + "implemented by the tensorflow engine" + (options.device().kind() == Device.Kind.CUDA ? "" : " and needs "
          + "a CUDA device; on " + options.device() + " train in FLOAT32"));
    }
    if (options.threads() < 0) {
      throw new EngineException("threads must be 0 (let the engine choose) or positive, got " + options.threads());
    }
    checkGraph(trainingGraph);
    optimizer.checkGroups(trainingGraph);
    List<ParameterSpec> normTargets = options.lossGradientNormTargets(trainingGraph, optimizer);
    Weights fitted = initial.fitTo(trainingGraph);
    Device device = runtime.resolve(options.device());
    CompileOptions compile = new CompileOptions(device, options.threads(), true);
    return new TensorFlowTrainingSession(trainingGraph, fitted, optimizer, options.seed(), normTargets, device,
        SessionConfig.of(compile, device));
  }

  private static void checkGraph(Graph g) {
    ValueInfo loss = g.outputs().stream().filter(o -> o.name().equals(TrainingGraph.LOSS)).findFirst()
        .orElseThrow(() -> new EngineException("graph '" + g.name() + "' has no output '" + TrainingGraph.LOSS
            + "'; build training graphs with TrainingGraph"));
    if (loss.shape().rank() != 0 || loss.dtype() != DType.FLOAT32) {
      throw new EngineException("output '" + TrainingGraph.LOSS + "' of graph '" + g.name()
          + "' must be a float32 scalar, got " + loss.dtype() + loss.shape());
    }
    java.util.Map<org.medvision.api.graph.Op, String> lacking = new java.util.LinkedHashMap<>();
    for (Node n : g.nodes()) {
      if (!n.op().isLoss() && !GraphLowering.INFERENCE_OPS.contains(n.op())) {
        lacking.putIfAbsent(n.op(), n.name());
      }
    }
    if (!lacking.isEmpty()) {
      java.util.List<String> described = new java.util.ArrayList<>();
      lacking.forEach((op, node) -> described.add(
          org.medvision.api.engine.UnsupportedOpException.describe(op, node)));
      throw new org.medvision.api.engine.UnsupportedOpException(TensorFlowEngineProvider.NAME, described);
    }
    GraphLowering.checkDtypes(g);
  }
}
