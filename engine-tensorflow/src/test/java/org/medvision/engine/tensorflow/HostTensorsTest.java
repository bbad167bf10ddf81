package org.medvision.engine.tensorflow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.testkit.engine.EngineTestModels;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** The host-side layout of stored parameters, checked against TensorFlow's own Transpose kernel. */
class HostTensorsTest {
  @Test
  void layingOutOnTheHostEqualsTensorFlowsTranspose() {
    Tensor t = EngineTestModels.uniform(Shape.of(2, 3, 4, 5), new SplittableRandom(3));
    for (Layout layout : List.of(Layout.channelsLast(4), Layout.of(2, 3, 1, 0), Layout.of(3, 1, 0, 2),
        Layout.identity(4))) {
      assertLaidOutLikeTranspose(t, layout);
    }
    assertLaidOutLikeTranspose(EngineTestModels.uniform(Shape.of(6, 7), new SplittableRandom(4)), Layout.of(1, 0));
    assertLaidOutLikeTranspose(EngineTestModels.uniform(Shape.of(4, 2, 3, 3, 3), new SplittableRandom(5)),
        Layout.of(2, 3, 4, 1, 0));
  }

  private static void assertLaidOutLikeTranspose(Tensor t, Layout layout) {
    try (Graph g = new Graph(); TFloat32 declared = HostTensors.toTensorFlow(t);
        TFloat32 host = HostTensors.toTensorFlow(t, layout)) {
      Ops tf = Ops.create(g);
      int[] perm = layout.permutation();
      try (Session s = new Session(g);
          Result r = s.runner().fetch(tf.linalg.transpose(tf.constantOf(declared), tf.constant(perm))).run()) {
        Tensor expected = HostTensors.toHost(r.get(0));
        Tensor actual = HostTensors.toHost(host);
        assertArrayEquals(expected.shape().dims(), actual.shape().dims(), layout.toString());
        assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 0f, layout.toString());
      }
    }
  }
}
