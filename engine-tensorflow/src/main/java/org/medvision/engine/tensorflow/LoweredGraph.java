package org.medvision.engine.tensorflow;

import java.util.List;
import org.medvision.api.tensor.DType;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * An IR graph lowered into a TensorFlow graph: the placeholder of each graph input and the operand of each output,
 * in the IR graph's declaration order.
 *
 * @param inputNames IR input names
 * @param inputs their placeholders (float32, or int64 for class indices)
 * @param inputTypes the dtype each placeholder takes
 * @param outputNames IR output names
 * @param outputs their operands, in the IR's axis order
 */
record LoweredGraph(List<String> inputNames, List<Operand<?>> inputs, List<DType> inputTypes, List<String> outputNames,
    List<Operand<TFloat32>> outputs) {
  /** Copies the lists. */
  LoweredGraph {
    inputNames = List.copyOf(inputNames);
    inputs = List.copyOf(inputs);
    inputTypes = List.copyOf(inputTypes);
    outputNames = List.copyOf(outputNames);
    outputs = List.copyOf(outputs);
  }
}
