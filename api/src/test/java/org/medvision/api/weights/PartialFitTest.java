package org.medvision.api.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** {@link Weights#fitPartially}: a backbone checkpoint starts a graph whose head is new. */
class PartialFitTest {
  private static final String BACKBONE = "backbone\\..*";

  /** Two linear layers on x [N, 4]: backbone.conv.weight [4, 4] and bias [4], head.weight [2, 4] and bias [2]. */
  private static Graph graph() {
    GraphBuilder b = new GraphBuilder("net");
    Attributes transB = Attributes.builder().set("transB", 1L).build();
    Value x = b.input("x", DType.FLOAT32, Shape.of(-1, 4));
    x = b.apply(Op.GEMM, transB, x, b.parameter("backbone.conv.weight", Shape.of(4, 4), ParamRole.WEIGHT,
        Initializers.kaimingUniform()), b.parameter("backbone.conv.bias", Shape.of(4), ParamRole.BIAS,
        Initializers.zeros()));
    x = b.apply(Op.GEMM, transB, x, b.parameter("head.weight", Shape.of(2, 4), ParamRole.WEIGHT,
        Initializers.kaimingUniform()), b.parameter("head.bias", Shape.of(2), ParamRole.BIAS, Initializers.ones()));
    b.output("y", x);
    return b.build();
  }

  private static Tensor ramp(long... dims) {
    Shape s = Shape.of(dims);
    float[] v = new float[(int) s.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = i + 1;
    }
    return Tensor.of(s, v);
  }

  private static Weights checkpoint(Map<String, Tensor> tensors) {
    return Weights.of(tensors, "imagenet.safetensors");
  }

  @Test
  void matchingTensorsAreLoadedTheRestInitialisedAndExtrasDropped() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("backbone.conv.weight", ramp(4, 4));
    // A half-precision tensor is converted to the parameter's float32.
    t.put("backbone.conv.bias", Tensor.fromFloats(DType.FLOAT16, Shape.of(4), new float[] {0.5f, -1.25f, 0, 2}));
    t.put("fc.weight", Tensor.of(Shape.of(10, 4), new float[40]));
    PartialFit fit = checkpoint(t).fitPartially(graph(), 7, BACKBONE);
    Weights w = fit.weights();
    assertEquals(List.of("backbone.conv.weight", "backbone.conv.bias", "head.weight", "head.bias"),
        List.copyOf(w.tensors().keySet()));
    assertTrue(ramp(4, 4).contentEquals(w.tensors().get("backbone.conv.weight")));
    assertEquals(DType.FLOAT32, w.tensors().get("backbone.conv.bias").dtype());
    assertArrayEquals(new float[] {0.5f, -1.25f, 0, 2}, w.tensors().get("backbone.conv.bias").toFloatArray());
    // The head is what seeded random initialisation gives it.
    Weights random = RandomWeights.initialize(graph(), 7);
    assertTrue(random.tensors().get("head.weight").contentEquals(w.tensors().get("head.weight")));
    assertArrayEquals(new float[] {1, 1}, w.tensors().get("head.bias").toFloatArray());
    FitReport r = fit.report();
    assertEquals("imagenet.safetensors", r.source());
    assertEquals(List.of("backbone.conv.weight", "backbone.conv.bias"), r.loaded());
    assertEquals(List.of("head.weight", "head.bias"), r.initialized());
    assertEquals(List.of("fc.weight"), r.dropped());
    assertEquals("from imagenet.safetensors: 2 tensor(s) loaded, 2 initialised at random (head.weight, head.bias), "
        + "1 dropped (fc.weight)", r.summary());
    assertEquals("imagenet.safetensors + random(seed=7)", w.source());
    // The result fits the graph exactly.
    w.fitTo(graph());
  }

  @Test
  void aTensorOfAnotherShapeIsAnErrorNotAReinitialisation() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("backbone.conv.weight", ramp(4, 4));
    t.put("head.weight", ramp(4, 2));
    WeightMismatchException e = assertThrows(WeightMismatchException.class,
        () -> checkpoint(t).fitPartially(graph(), 7, null));
    assertEquals(List.of("head.weight: expected float32[2, 4], got float32[4, 2]"), e.misshaped());
    assertTrue(e.getMessage().startsWith("weights imagenet.safetensors do not fit the graph; 1 with the wrong shape"),
        e.getMessage());
  }

  @Test
  void aCheckpointWithNothingInCommonIsAnError() {
    Map<String, Tensor> t = Map.of("module.encoder.weight", ramp(4, 4));
    MedvisionException e = assertThrows(MedvisionException.class, () -> checkpoint(t).fitPartially(graph(), 1, null));
    assertTrue(e.getMessage().startsWith("checkpoint imagenet.safetensors has none of the parameters of graph 'net' "
        + "(its names look like [module.encoder.weight], the graph's like [backbone.conv.weight, backbone.conv.bias, "
        + "head.weight]); a key map may be needed"), e.getMessage());
  }

  @Test
  void aRequiredBackboneParameterMissingIsAnError() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("backbone.conv.weight", ramp(4, 4));
    t.put("head.bias", ramp(2));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> checkpoint(t).fitPartially(graph(), 1, BACKBONE));
    assertEquals("checkpoint imagenet.safetensors lacks 1 parameter(s) of the backbone it should initialise, e.g. "
        + "[backbone.conv.bias]; is it the right checkpoint (or does it need a key map)?", e.getMessage());
    // Without a required pattern the same checkpoint loads what it has.
    assertEquals(List.of("backbone.conv.weight", "head.bias"), checkpoint(t).fitPartially(graph(), 1, null).report()
        .loaded());
  }
}
