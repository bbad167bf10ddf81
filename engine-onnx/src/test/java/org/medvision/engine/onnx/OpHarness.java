package org.medvision.engine.onnx;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/** Builds one-node graphs whose operands are all graph inputs, and runs them on an engine. */
final class OpHarness {
  private OpHarness() {}

  /** A graph {@code y = op(in0, in1, ...)} with input shapes taken from {@code operands}. */
  static Graph single(Op op, Attributes attributes, Tensor... operands) {
    GraphBuilder b = new GraphBuilder("single-" + op.irName());
    Value[] in = new Value[operands.length];
    for (int i = 0; i < operands.length; i++) {
      in[i] = b.input("in" + i, operands[i].dtype(), operands[i].shape());
    }
    b.output("y", b.apply(op, attributes, in));
    return b.build();
  }

  /** The inputs map {@code in0 -> operands[0], ...}. */
  static Map<String, Tensor> feeds(Tensor... operands) {
    Map<String, Tensor> m = new LinkedHashMap<>();
    for (int i = 0; i < operands.length; i++) {
      m.put("in" + i, operands[i]);
    }
    return m;
  }

  /** Runs {@code op} on {@code operands} with {@code engine} and returns its output. */
  static Tensor run(Engine engine, Op op, Attributes attributes, Tensor... operands) {
    Graph g = single(op, attributes, operands);
    try (CompiledModel m = engine.compile(g, Weights.of(Map.of(), "none"), CompileOptions.defaults())) {
      return m.run(feeds(operands)).get("y");
    }
  }
}
