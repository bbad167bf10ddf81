package org.medvision.engine.onnx.nodetest;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;
import org.medvision.engine.onnx.importer.OnnxImporter;

/**
 * Finds node-test cases in a folder and sorts them into those that test an operator the IR mirrors and the rest,
 * each of the rest with the reason it is not one.
 *
 * @param selected single-node cases whose operator maps to an IR op, by name
 * @param excluded every other case folder, by name, with the reason (another operator, several nodes, unreadable)
 */
public record NodeTestCases(List<NodeTestCase> selected, Map<String, String> excluded) {
  /** Copies the collections. */
  public NodeTestCases {
    selected = List.copyOf(selected);
    excluded = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(excluded));
  }

  /**
   * Scans the case folders directly under {@code folder} (e.g. libonnx-testdata's {@code data/node}), in name order.
   *
   * @throws MedvisionException naming the folder when it cannot be listed
   */
  public static NodeTestCases discover(Path folder) {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(folder)) {
      dirs = s.filter(Files::isDirectory).sorted().toList();
    } catch (IOException e) {
      throw new MedvisionException("cannot list the ONNX node-test folder " + folder + ": " + e, e);
    }
    List<NodeTestCase> selected = new ArrayList<>();
    Map<String, String> excluded = new LinkedHashMap<>();
    for (Path dir : dirs) {
      String name = dir.getFileName().toString();
      Path model = dir.resolve("model.onnx");
      if (!Files.isRegularFile(model)) {
        excluded.put(name, "no model.onnx");
        continue;
      }
      GraphProto g;
      try {
        g = ModelProto.parseFrom(Files.readAllBytes(model)).getGraph();
      } catch (IOException e) {
        excluded.put(name, "model.onnx cannot be read: " + e.getMessage());
        continue;
      }
      if (g.getNodeCount() != 1) {
        excluded.put(name, g.getNodeCount() + " nodes (a composite or expanded test, not a single operator)");
        continue;
      }
      NodeProto node = g.getNode(0);
      boolean onnxDomain = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
      if (!onnxDomain || !OnnxImporter.supportedOperators().contains(node.getOpType())) {
        excluded.put(name, "operator " + (onnxDomain ? "" : node.getDomain() + ":") + node.getOpType()
            + " has no IR counterpart");
        continue;
      }
      selected.add(new NodeTestCase(name, dir, node.getOpType(), dataSets(dir)));
    }
    return new NodeTestCases(selected, excluded);
  }

  private static List<Path> dataSets(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("test_data_set_"))
          .sorted().toList();
    } catch (IOException e) {
      throw new MedvisionException("cannot list the node-test case " + dir + ": " + e, e);
    }
  }
}
