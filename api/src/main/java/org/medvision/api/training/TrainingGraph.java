package org.medvision.api.training;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;

/**
 * Builds training graphs: a model graph plus a loss node whose scalar output is named {@value #LOSS}. The model's
 * own outputs stay outputs, so one training step also yields the predictions.
 */
public final class TrainingGraph {
  /** Name of the scalar loss output of every training graph. */
  public static final String LOSS = "loss";
  /** Name of the int64 [N] class-index input of classification training graphs. */
  public static final String LABELS = "labels";

  private TrainingGraph() {}

  /**
   * {@code model} with a {@link Op#CROSS_ENTROPY} loss on its output {@code logits} against a new int64 input
   * {@value #LABELS} [N].
   *
   * @param labelSmoothing ε in [0, 1)
   * @param classWeights per-class weights, or {@code null} for none
   * @throws MedvisionException if {@code logits} is not a [N, C] output of the model
   * @throws org.medvision.api.graph.GraphValidationException if the result is not a valid graph
   */
  public static Graph classification(Graph model, String logits, float labelSmoothing, float[] classWeights) {
    ValueInfo out = model.outputs().stream().filter(o -> o.name().equals(logits)).findFirst().orElseThrow(
        () -> new MedvisionException("graph '" + model.name() + "' has no output '" + logits + "'; outputs: "
            + model.outputs().stream().map(ValueInfo::name).toList()));
    if (out.shape().rank() != 2) {
      throw new MedvisionException("classification training needs logits [N, C], but output '" + logits + "' is "
          + out.shape());
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new MedvisionException("label smoothing must be in [0, 1), got " + labelSmoothing);
    }
    Attributes.Builder attrs = Attributes.builder().set("label_smoothing", labelSmoothing);
    if (classWeights != null) {
      attrs.set("class_weights", classWeights);
    }
    List<ValueInfo> inputs = new ArrayList<>(model.inputs());
    inputs.add(new ValueInfo(LABELS, DType.INT64, Shape.of(out.shape().dim(0))));
    List<Node> nodes = new ArrayList<>(model.nodes());
    nodes.add(new Node(LOSS, Op.CROSS_ENTROPY, List.of(logits, LABELS), List.of(LOSS), attrs.build()));
    List<ValueInfo> outputs = new ArrayList<>();
    outputs.add(new ValueInfo(LOSS, DType.FLOAT32, Shape.scalar()));
    outputs.addAll(model.outputs());
    return new Graph(model.name() + "-train", model.irVersion(), inputs, model.parameters(), nodes, outputs,
        model.metadata()).validate();
  }
}
