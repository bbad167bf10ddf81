package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.medvision.tasks.common.TestNumerics.assertClose;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Fusion;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;

class FusionTest {
  private static final int N = 3;
  private static final int D = 5;

  private static Graph fusionGraph(Fusion fusion) {
    GraphBuilder b = new GraphBuilder("fusion");
    Value f1 = b.input("f1", DType.FLOAT32, Shape.of(-1, D));
    Value f2 = b.input("f2", DType.FLOAT32, Shape.of(-1, D));
    b.output("y", b.within("fusion", () -> fusion.fuse(b, List.of(f1, f2))));
    return b.build();
  }

  private static float[] p(Weights w, String name) {
    return w.find("fusion." + name).orElseThrow().toFloatArray();
  }

  /** W x for W [out, in, 1] or one kernel tap t of W [out, in, k]. */
  private static double[] tap(float[] w, int out, int in, int k, int t, double[] x) {
    double[] y = new double[out];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        y[o] += w[(o * in + i) * k + t] * x[i];
      }
    }
    return y;
  }

  private static double[] bnGelu(Weights w, String bn, double[] x) {
    float[] g = p(w, bn + ".weight");
    float[] b = p(w, bn + ".bias");
    float[] m = p(w, bn + ".running_mean");
    float[] v = p(w, bn + ".running_var");
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = TestNumerics.gelu((x[i] - m[i]) / Math.sqrt(v[i] + 1e-5) * g[i] + b[i]);
    }
    return y;
  }

  private static double[] row(float[] m, int r) {
    double[] out = new double[D];
    for (int i = 0; i < D; i++) {
      out[i] = m[r * D + i];
    }
    return out;
  }

  @Test
  void conv1dFusionDeclaresTheAuthorsParameters() {
    Graph g = fusionGraph(new Conv1dFusion());
    List<String> names = new ArrayList<>();
    g.parameters().forEach(p -> names.add(p.name() + p.shape()));
    String bnR = "fusion.bn_reduce.";
    String bnP = "fusion.bn_point.";
    assertEquals(List.of("fusion.conv_reduce.weight[5, 5, 2]", bnR + "weight[5]", bnR + "bias[5]",
        bnR + "running_mean[5]", bnR + "running_var[5]", "fusion.conv_point.weight[5, 5, 1]", bnP + "weight[5]",
        bnP + "bias[5]", bnP + "running_mean[5]", bnP + "running_var[5]"), names);
    // 3d² + 4d trainable, 4d buffers (papers.md §1.3 fusion budget).
    GraphStats s = GraphStats.of(g, 1);
    assertEquals(3L * D * D + 4 * D, s.parameters());
    assertEquals(4L * D, s.buffers());
    Graph expand = fusionGraph(new Conv1dFusion(3, 0.5f));
    assertEquals(Shape.of(3, D, 1), expand.parameter("fusion.conv_point.weight").orElseThrow().shape());
    assertEquals(Shape.of(D, 3, 1), expand.parameter("fusion.conv_expand.weight").orElseThrow().shape());
    assertTrue(expand.parameter("fusion.bn_expand.running_var").isPresent());
  }

  @Test
  void conv1dReduceIsALinearMapOfBothFeatures() {
    Graph g = fusionGraph(new Conv1dFusion());
    Graph exposed = TestNumerics.exposing(g, TestNumerics.nodeReading(g, "fusion.conv_reduce.weight"));
    String preBn = exposed.outputs().get(1).name();
    Weights w = TestNumerics.randomWeights(g, 21, 0.6);
    SplittableRandom r = new SplittableRandom(22);
    float[] f1 = TestNumerics.uniform(r, N * D, 2);
    float[] f2 = TestNumerics.uniform(r, N * D, 2);
    Map<String, Tensor> out = ReferenceInterpreter.run(exposed, w,
        Map.of("f1", Tensor.of(Shape.of(N, D), f1), "f2", Tensor.of(Shape.of(N, D), f2)));
    float[] wr = p(w, "conv_reduce.weight");
    double[] pre = new double[N * D];
    double[] fused = new double[N * D];
    for (int n = 0; n < N; n++) {
      double[] a = tap(wr, D, D, 2, 0, row(f1, n));
      double[] c = tap(wr, D, D, 2, 1, row(f2, n));
      double[] y = new double[D];
      for (int i = 0; i < D; i++) {
        y[i] = a[i] + c[i];
      }
      System.arraycopy(y, 0, pre, n * D, D);
      double[] h = bnGelu(w, "bn_reduce", y);
      h = bnGelu(w, "bn_point", tap(p(w, "conv_point.weight"), D, D, 1, 0, h));
      System.arraycopy(h, 0, fused, n * D, D);
    }
    assertEquals(Shape.of(N, D, 1), out.get(preBn).shape(), "conv_reduce output before the squeeze");
    assertClose(pre, out.get(preBn).toFloatArray(), 1e-5, "W[:,:,0]·f1 + W[:,:,1]·f2");
    assertClose(fused, out.get("y").toFloatArray(), 2e-5, "whole fusion (dropout is the identity)");
  }

  @Test
  void concatAndSumFusions() {
    SplittableRandom r = new SplittableRandom(31);
    float[] f1 = TestNumerics.uniform(r, N * D, 1);
    float[] f2 = TestNumerics.uniform(r, N * D, 1);
    Map<String, Tensor> in = Map.of("f1", Tensor.of(Shape.of(N, D), f1), "f2", Tensor.of(Shape.of(N, D), f2));
    Weights none = Weights.of(Map.of(), "none");
    Graph concat = fusionGraph(new ConcatFusion());
    Graph sum = fusionGraph(new SumFusion());
    assertTrue(concat.parameters().isEmpty() && sum.parameters().isEmpty());
    assertEquals(Shape.of(-1, 2 * D), concat.outputs().get(0).shape());
    double[] cat = new double[2 * N * D];
    double[] add = new double[N * D];
    for (int n = 0; n < N; n++) {
      for (int i = 0; i < D; i++) {
        cat[n * 2 * D + i] = f1[n * D + i];
        cat[n * 2 * D + D + i] = f2[n * D + i];
        add[n * D + i] = (double) f1[n * D + i] + f2[n * D + i];
      }
    }
    assertClose(cat, ReferenceInterpreter.run(concat, none, in).get("y").toFloatArray(), 0, "concat");
    assertClose(add, ReferenceInterpreter.run(sum, none, in).get("y").toFloatArray(), 1e-7, "sum");
    assertEquals(2 * D, new ConcatFusion().outputDim(D, 2));
    assertEquals(D, new SumFusion().outputDim(D, 2));
  }

  @Test
  void fusionsAreDiscoverableAndCheckTheirInputs() {
    List<String> names = new ArrayList<>();
    for (Fusion f : ServiceLoader.load(Fusion.class)) {
      names.add(f.name());
    }
    assertTrue(names.containsAll(List.of("conv1d", "concat", "sum")), names.toString());
    GraphBuilder b = new GraphBuilder("bad");
    Value a = b.input("a", DType.FLOAT32, Shape.of(-1, D));
    Value c = b.input("c", DType.FLOAT32, Shape.of(-1, D + 1));
    MedvisionException one = assertThrows(MedvisionException.class,
        () -> new Conv1dFusion().fuse(b, List.of(a)));
    assertTrue(one.getMessage().contains("at least 2"), one.getMessage());
    MedvisionException mixed = assertThrows(MedvisionException.class, () -> new SumFusion().fuse(b, List.of(a, c)));
    assertTrue(mixed.getMessage().contains("'c'") && mixed.getMessage().contains("[N, 6]"), mixed.getMessage());
  }
}
