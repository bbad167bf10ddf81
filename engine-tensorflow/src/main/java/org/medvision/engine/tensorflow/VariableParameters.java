package org.medvision.engine.tensorflow;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Inference parameters held in resource variables ({@link ResourceVariables}), each in the layout its readers want,
 * and assigned once from the host when the model is compiled ({@link #initialise}).
 *
 * <p>Why not constants: a constant's data lives in the graph, and TensorFlow copies the graph (into the session, and
 * again in each Grappler pass that rewrites it), so a 230 MB model peaked above 4 GB. A variable's data lives once,
 * in the session's resource manager. Constant folding no longer sees the weights, so what it used to precompute is
 * done here instead: a weight is stored already permuted for its reader (a filter as [k..., C/group, M], a
 * transposed Linear weight as [in, out]), and only tiny per-channel vectors are still combined in each run.
 */
final class VariableParameters implements ParameterSource {
  /** Bytes fed per session call while assigning, which bounds the native host copies alive at once. */
  private static final long CHUNK_BYTES = 64L << 20;

  private final ResourceVariables variables;
  private final Map<String, Operand<TFloat32>> reads = new HashMap<>();
  /** Variables declared and not yet assigned, by variable key. */
  private final Map<String, Slot> unassigned = new LinkedHashMap<>();
  /** The fitted weights until {@link #initialise} has copied them; then null, so the model does not pin them. */
  private Weights weights;

  /** What one variable holds: a parameter in a layout. */
  private record Slot(String parameter, Layout layout) {}

  /**
   * Parameters of {@code fitted} (weights already fitted to the graph, so every parameter is present as float32),
   * with their variables in {@code tf}'s graph.
   */
  VariableParameters(Ops tf, Weights fitted) {
    this.variables = new ResourceVariables(tf, "inference");
    this.weights = fitted;
  }

  @Override
  public Operand<TFloat32> value(Ops tf, ParameterSpec spec) {
    return value(tf, spec, Layout.identity(spec.shape().rank()));
  }

  @Override
  public boolean storesAnyLayout() {
    return true;
  }

  @Override
  public Operand<TFloat32> value(Ops tf, ParameterSpec spec, Layout layout) {
    String key = layout.isIdentity() ? spec.name() : spec.name() + "@" + Arrays.toString(layout.permutation());
    Operand<TFloat32> read = reads.get(key);
    if (read == null) {
      if (weights == null) {
        throw new IllegalStateException("parameter '" + spec.name() + "' was asked for after initialise");
      }
      Tensor t = weights.find(spec.name()).orElseThrow(() -> new EngineException("parameter '" + spec.name()
          + "' has no value in weights " + weights.source()));
      variables.declare(key, Shape.of(layout.physicalDims(t.shape().dims())));
      read = variables.read(tf, key);
      reads.put(key, read);
      unassigned.put(key, new Slot(spec.name(), layout));
    }
    return read;
  }

  /**
   * Assigns every declared variable its value (laid out on the host) in a few session calls, then drops the
   * weights. Call once, after the lowering and before the first run.
   *
   * @throws EngineException if TensorFlow rejects an assignment
   */
  void initialise(Session session) {
    if (weights == null) {
      throw new IllegalStateException("the parameters are initialised already");
    }
    Map<String, TFloat32> chunk = new LinkedHashMap<>();
    try {
      long bytes = 0;
      for (Map.Entry<String, Slot> e : unassigned.entrySet()) {
        Tensor t = weights.find(e.getValue().parameter()).orElseThrow().to(DType.FLOAT32);
        TFloat32 laidOut = HostTensors.toTensorFlow(t, e.getValue().layout());
        chunk.put(e.getKey(), laidOut);
        bytes += laidOut.numBytes();
        if (bytes >= CHUNK_BYTES) {
          assign(session, chunk);
          bytes = 0;
        }
      }
      assign(session, chunk);
    } finally {
      chunk.values().forEach(TFloat32::close);
    }
    unassigned.clear();
    weights = null;
  }

  private void assign(Session session, Map<String, TFloat32> chunk) {
    try {
      variables.assignTensors(session, chunk);
    } catch (org.tensorflow.exceptions.TensorFlowException e) {
      throw new EngineException("TensorFlow could not load parameters " + chunk.keySet() + " into their variables: "
          + e.getMessage(), e);
    } finally {
      chunk.values().forEach(TFloat32::close);
      chunk.clear();
    }
  }
}
