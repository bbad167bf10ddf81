package org.medvision.engine.onnx.nodetest;

import java.nio.file.Path;
import java.util.List;

/**
 * One ONNX node-test case: a folder with {@code model.onnx} (a single node) and one or more
 * {@code test_data_set_N} folders of {@code input_K.pb} / {@code output_K.pb} tensors.
 *
 * @param name the folder's name
 * @param folder the folder
 * @param operator the ONNX operator of the model's single node
 * @param dataSets the {@code test_data_set_N} folders, in order
 */
public record NodeTestCase(String name, Path folder, String operator, List<Path> dataSets) {
  /** Copies the list. */
  public NodeTestCase {
    dataSets = List.copyOf(dataSets);
  }

  /** The case's model file. */
  public Path model() {
    return folder.resolve("model.onnx");
  }
}
