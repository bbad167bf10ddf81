package org.medvision.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.GraphRunner;
import org.medvision.api.training.ParameterComputation;
import org.medvision.api.weights.Weights;
import org.medvision.engine.onnx.OnnxEngineProvider;

/** Parameter computations run on the engine, replace their parameters, and are checked against the graph. */
class ComputedParametersTest {
  /** A model whose parameter {@code table} [2] is filled by doubling an input through a helper graph. */
  private static Graph model() {
    GraphBuilder b = new GraphBuilder("model");
    Value x = b.input("x", DType.FLOAT32, Shape.of(Shape.DYNAMIC, 2));
    Value table = b.parameter("table", Shape.of(2), ParamRole.WEIGHT, (out, shape, random) -> { });
    b.output("y", b.apply(Op.ADD, x, table));
    return b.build();
  }

  private static ParameterComputation doubling(String parameter, int size) {
    return new ParameterComputation() {
      @Override
      public String description() {
        return "twice the helper's input";
      }

      @Override
      public Map<String, Tensor> compute(GraphRunner runner, List<String> notes) {
        GraphBuilder b = new GraphBuilder("helper");
        Value in = b.input("in", DType.FLOAT32, Shape.of(size));
        b.output("out", b.apply(Op.ADD, in, in));
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
          values[i] = i + 1;
        }
        Map<String, Tensor> out = runner.run(b.build(), Weights.of(Map.of(), "none"),
            Map.of("in", Tensor.of(Shape.of(size), values)));
        notes.add("helper ran");
        return Map.of(parameter, out.get("out"));
      }
    };
  }

  @Test
  void theComputedValueReplacesTheParameterAndIsNoted() {
    Weights initial = Weights.of(Map.of("table", Tensor.of(Shape.of(2), 0f, 0f)), "random");
    List<String> notes = new ArrayList<>();
    try (Engine engine = new OnnxEngineProvider().create()) {
      Weights out = ComputedParameters.apply(List.of(doubling("table", 2)), initial, model(), engine,
          CompileOptions.defaults(), notes);
      assertArrayEquals(new float[] {2, 4}, out.tensors().get("table").toFloatArray());
    }
    assertEquals(2, notes.size(), notes.toString());
    assertTrue(notes.get(0).startsWith("computed table [2]: twice the helper's input on onnx in"), notes.get(0));
    assertEquals("helper ran", notes.get(1));
  }

  @Test
  void aWrongShapeOrAnUnknownParameterIsNamed() {
    Weights initial = Weights.of(Map.of("table", Tensor.of(Shape.of(2), 0f, 0f)), "random");
    try (Engine engine = new OnnxEngineProvider().create()) {
      MedvisionException shape = assertThrows(MedvisionException.class, () -> ComputedParameters.apply(
          List.of(doubling("table", 3)), initial, model(), engine, CompileOptions.defaults(), new ArrayList<>()));
      assertTrue(shape.getMessage().contains("'table' of shape [3] for a parameter of shape [2]"),
          shape.getMessage());
      MedvisionException name = assertThrows(MedvisionException.class, () -> ComputedParameters.apply(
          List.of(doubling("tabel", 2)), initial, model(), engine, CompileOptions.defaults(), new ArrayList<>()));
      assertTrue(name.getMessage().contains("'tabel', which is not a parameter of graph 'model'"),
          name.getMessage());
    }
  }
}
