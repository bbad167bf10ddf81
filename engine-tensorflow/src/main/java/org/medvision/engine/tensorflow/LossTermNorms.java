package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The per-term gradient norms of {@link org.medvision.api.training.TrainingSession#lossGradientNorms()} as graph ops:
 * for each loss term, gradients of that term alone with respect to the target parameters' reads, added with
 * {@code Graph.addGradients} next to the loss's own and never accumulated, and the L2 norm over all of them. Fetched
 * in the training step's own call, they read the same forward pass (and the same masks) as the loss.
 */
final class LossTermNorms {
  private LossTermNorms() {}

  /**
   * One scalar norm per term, in the order of {@code terms}.
   *
   * @param reads the reads of the target parameters that the loss's lowering made
   */
  static List<Operand<TFloat32>> lower(org.tensorflow.Graph graph, Ops scope, Map<String, Operand<TFloat32>> terms,
      List<Operand<TFloat32>> reads) {
    Output<?>[] xs = reads.stream().map(Operand::asOutput).toArray(Output<?>[]::new);
    List<Operand<TFloat32>> norms = new ArrayList<>();
    for (Map.Entry<String, Operand<TFloat32>> term : terms.entrySet()) {
      Operand<TFloat32> squares = scope.constant(0f);
      for (Output<?> g : xs.length == 0 ? xs : graph.addGradients(term.getValue().asOutput(), xs)) {
        // A term that does not reach a target (or only through a stop-gradient) adds 0 for it.
        if (!MissingGradients.isMissing(g)) {
          @SuppressWarnings("unchecked")
          Operand<TFloat32> square = scope.math.square((Operand<TFloat32>) g);
          squares = scope.math.add(squares, scope.reduceSum(square,
              scope.range(scope.constant(0), scope.rank(square), scope.constant(1))));
        }
      }
      norms.add(scope.withName(GraphLowering.opName("norm", term.getKey())).math.sqrt(squares));
    }
    return norms;
  }
}
