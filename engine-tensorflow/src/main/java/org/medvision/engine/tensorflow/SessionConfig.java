package org.medvision.engine.tensorflow;

import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Device;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;

/** Translates compile options into TensorFlow's session configuration. */
final class SessionConfig {
  private SessionConfig() {}

  /**
   * The session configuration for {@code device} (already resolved: {@code cpu} or {@code cuda:N}).
   *
   * <p>Threads: a positive {@code threads} bounds both the intra-op pool (the threads one kernel uses) and the
   * inter-op pool (kernels run side by side, e.g. StrokeNeXt's two encoders), so a model never runs more than
   * {@code threads} compute threads at once; 0 leaves both to TensorFlow (one per core). Optimisation: off disables
   * Grappler and the classic graph optimiser (no constant folding, no fusions), which changes no output beyond float
   * rounding. Device: the CPU hides every GPU; {@code cuda:N} makes GPU N the only visible one, so TensorFlow places
   * every op that has a GPU kernel there (ops without one run on the CPU, as TensorFlow always does).
   */
  static ConfigProto of(CompileOptions options, Device device) {
    ConfigProto.Builder config = ConfigProto.newBuilder();
    if (options.threads() > 0) {
      config.setIntraOpParallelismThreads(options.threads()).setInterOpParallelismThreads(options.threads());
    }
    if (!options.optimize()) {
      config.setGraphOptions(GraphOptions.newBuilder()
          .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)
              .setDoConstantFolding(false).setDoCommonSubexpressionElimination(false).setDoFunctionInlining(false))
          .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true)));
    }
    if (device.kind() == Device.Kind.CUDA) {
      config.setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList(Integer.toString(device.index()))
          .setAllowGrowth(true)).setAllowSoftPlacement(true);
    } else {
      config.putDeviceCount("GPU", 0);
    }
    return config.build();
  }
}
