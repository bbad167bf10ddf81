package org.medvision.engine.onnx.importer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.tensor.Tensor;

/**
 * How {@link OnnxImporter} treats the parts of a model the IR expresses differently.
 *
 * @param inputValues values offered for graph inputs. An input that an operator needs as a constant (Reshape's
 *     shape, Squeeze/Unsqueeze axes, Dropout's ratio, SoftmaxCrossEntropyLoss's weights) is folded into the
 *     node's attributes with its offered value and leaves the graph's inputs; offered inputs used as ordinary data
 *     stay inputs. ONNX's node tests pass such constants as inputs, which is why this exists.
 * @param dropAuxiliaryOutputs whether graph outputs that are auxiliary outputs the IR ops lack (LayerNormalization's
 *     Mean and InvStdDev, Dropout's mask, MaxPool's Indices, SoftmaxCrossEntropyLoss's log_prob) are dropped from
 *     the graph, each dropped name listed in {@link ImportedModel#droppedOutputs()}; when false such a model is
 *     rejected
 */
public record ImportOptions(Map<String, Tensor> inputValues, boolean dropAuxiliaryOutputs) {
  /** Copies the map. */
  public ImportOptions {
    inputValues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputValues));
  }

  /** No offered input values; auxiliary outputs are an error. */
  public static ImportOptions defaults() {
    return new ImportOptions(Map.of(), false);
  }

  /** These options with {@code values} offered for graph inputs. */
  public ImportOptions withInputValues(Map<String, Tensor> values) {
    return new ImportOptions(values, dropAuxiliaryOutputs);
  }

  /** These options with auxiliary outputs dropped instead of rejected. */
  public ImportOptions withAuxiliaryOutputsDropped() {
    return new ImportOptions(inputValues, true);
  }
}
