package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * The DROPOUT and DROP_PATH masks of training forwards, drawn on the host exactly as
 * {@link org.medvision.api.training.TrainingSession} specifies, so that every engine draws the same masks for one
 * seed: one {@link SplittableRandom} per session; per forward, the mask nodes in graph order (every one, whether or
 * not the loss needs it), one {@code nextDouble()} per element (dropout, row-major IR order) or per sample
 * (drop-path, axis 0); a draw below the ratio drops, the rest are scaled by 1/(1−ratio). A ratio of 0 draws nothing.
 * The masks are fed to the graph as placeholders.
 */
final class TrainingMasks {
  private final SplittableRandom random;
  private final List<Node> nodes = new ArrayList<>();

  /** The mask nodes of {@code graph} with a positive ratio; checks every ratio is in [0, 1]. */
  TrainingMasks(Graph graph, long seed) {
    this.random = new SplittableRandom(seed);
    for (Node n : graph.nodes()) {
      if (n.op() == Op.DROPOUT || n.op() == Op.DROP_PATH) {
        float ratio = ratio(n);
        if (!(ratio >= 0f && ratio <= 1f)) {
          throw new EngineException("node '" + n.name() + "' (" + n.op().irName() + "): ratio must be in [0, 1], got "
              + ratio);
        }
        if (ratio > 0f) {
          nodes.add(n);
        }
      }
    }
  }

  /** The nodes that take a mask, in graph order. */
  List<Node> nodes() {
    return nodes;
  }

  /** The node's drop probability. */
  static float ratio(Node n) {
    return n.attributes().getFloat("ratio");
  }

  /**
   * The next forward's masks, one per {@link #nodes()} entry in order: the input's shape for dropout, [N, 1, ...] for
   * drop-path.
   *
   * @param infos every value's type for this batch's input shapes
   */
  List<Tensor> draw(Map<String, ValueInfo> infos) {
    List<Tensor> masks = new ArrayList<>();
    for (Node n : nodes) {
      Shape in = infos.get(n.inputs().get(0)).shape();
      long[] dims = in.dims().clone();
      if (n.op() == Op.DROP_PATH) {
        if (dims.length == 0) {
          throw new EngineException("node '" + n.name() + "' (drop_path) needs an input with a sample axis 0");
        }
        for (int i = 1; i < dims.length; i++) {
          dims[i] = 1;
        }
      }
      Shape shape = Shape.of(dims);
      masks.add(Tensor.of(shape, values(Math.toIntExact(shape.size()), ratio(n))));
    }
    return masks;
  }

  private float[] values(int count, float ratio) {
    float[] mask = new float[count];
    float keep = ratio >= 1f ? 0f : 1f / (1f - ratio);
    for (int i = 0; i < count; i++) {
      mask[i] = random.nextDouble() < ratio ? 0f : keep;
    }
    return mask;
  }
}
