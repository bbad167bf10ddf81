package org.medvision.engine.djl;

import java.util.Map;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/** Starts the engine and runs one op in a child JVM with DJL's debug log on, for {@link OfflineStartTest}. */
final class OfflineStartWorker {
  private OfflineStartWorker() {}

  public static void main(String[] args) {
    try (Engine engine = new DjlEngineProvider().create()) {
      GraphBuilder b = new GraphBuilder("relu");
      b.output("y", b.apply(Op.RELU, b.input("x", DType.FLOAT32, Shape.of(2))));
      try (CompiledModel m = engine.compile(b.build(), Weights.of(Map.of(), "none"), CompileOptions.defaults())) {
        System.out.println("result=" + m.run(Map.of("x", Tensor.ofFloats(new float[] {-1f, 2f}, 2))).get("y"));
      }
      System.out.println("offline=" + System.getProperty("ai.djl.offline") + " tracking="
          + System.getProperty("OPT_OUT_TRACKING"));
    }
  }
}
