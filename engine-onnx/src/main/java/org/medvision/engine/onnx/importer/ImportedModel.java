package org.medvision.engine.onnx.importer;

import java.util.List;
import java.util.Map;
import org.medvision.api.graph.Graph;
import org.medvision.api.weights.Weights;

/**
 * The result of importing an ONNX model: a validated graph and the weights that fit it.
 *
 * @param graph the IR graph; node, value and parameter names are the model's, except parameters renamed as listed
 * @param weights one tensor per graph parameter, from the model's initializers and Constant nodes
 * @param renamedParameters IR parameter name to the ONNX name it came from, for initializers whose names are not
 *     the IR's dotted names (e.g. {@code onnx::Conv_12} becomes {@code onnx__Conv_12})
 * @param droppedOutputs graph outputs left out because they are auxiliary outputs the IR ops lack (only with
 *     {@link ImportOptions#dropAuxiliaryOutputs()})
 * @param notes other facts worth telling the user, e.g. initializers nothing reads, which were left out
 */
public record ImportedModel(Graph graph, Weights weights, Map<String, String> renamedParameters,
    List<String> droppedOutputs, List<String> notes) {
  /** Copies the collections. */
  public ImportedModel {
    renamedParameters = Map.copyOf(renamedParameters);
    droppedOutputs = List.copyOf(droppedOutputs);
    notes = List.copyOf(notes);
  }
}
