package org.medvision.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/** Runs one node through the reference interpreter with every operand fed as a graph input. */
final class OneNodeGraphs {
  private OneNodeGraphs() {}

  /** The single output of {@code op} with {@code attributes} applied to {@code operands}. */
  static Tensor run(Op op, Attributes attributes, Tensor... operands) {
    GraphBuilder b = new GraphBuilder("one-" + op.irName());
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    Value[] values = new Value[operands.length];
    for (int i = 0; i < operands.length; i++) {
      String name = "in" + i;
      inputs.put(name, operands[i]);
      values[i] = b.input(name, DType.FLOAT32, operands[i].shape());
    }
    Value out = b.apply(op, attributes, values);
    b.output(out.name(), out);
    return ReferenceInterpreter.run(b.build(), Weights.of(Map.of(), "none"), inputs).get(out.name());
  }

  /** {@link #run(Op, Attributes, Tensor...)} with default attributes. */
  static Tensor run(Op op, Tensor... operands) {
    return run(op, Attributes.empty(), operands);
  }

  /** A float32 tensor of the given dimensions. */
  static Tensor t(float[] values, long... dims) {
    return Tensor.ofFloats(values, dims);
  }

  /** The float array 1, 2, ..., n. */
  static float[] count(int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = i + 1;
    }
    return v;
  }
}
