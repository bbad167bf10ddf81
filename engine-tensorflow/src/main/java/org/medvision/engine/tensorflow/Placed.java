package org.medvision.engine.tensorflow;

import java.util.HashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A lowered IR value: the TensorFlow operand that holds it, the layout its axes are stored in, and its IR
 * dimensions as far as known at compile time ({@code -1} where dynamic).
 *
 * <p>A value and every copy of it in another layout (made by {@link Relayout}) share one record of those copies, so
 * a value that several ops need channels-last (a residual stream feeding a convolution and an addition) is
 * transposed once, not once per consumer. Not thread-safe: a lowering runs on one thread.
 */
final class Placed {
  private final Operand<TFloat32> operand;
  private final Layout layout;
  private final long[] dims;
  private final Map<Layout, Placed> views;

  /** A value stored in {@code layout}, with no other layouts known yet. */
  Placed(Operand<TFloat32> operand, Layout layout, long[] dims) {
    this(operand, layout, dims, new HashMap<>());
  }

  private Placed(Operand<TFloat32> operand, Layout layout, long[] dims, Map<Layout, Placed> views) {
    this.operand = operand;
    this.layout = layout;
    this.dims = dims.clone();
    this.views = views;
    views.putIfAbsent(layout, this);
  }

  /** A value stored in the IR's own axis order. */
  static Placed logical(Operand<TFloat32> operand, long[] dims) {
    return new Placed(operand, Layout.identity(dims.length), dims);
  }

  /** The TensorFlow value. */
  Operand<TFloat32> operand() {
    return operand;
  }

  /** How the operand's axes map to the IR value's axes. */
  Layout layout() {
    return layout;
  }

  /** The IR dimensions (a copy). */
  long[] dims() {
    return dims.clone();
  }

  int rank() {
    return dims.length;
  }

  /** This value already stored in {@code target}, or null. */
  Placed view(Layout target) {
    return views.get(target);
  }

  /** Records {@code moved}, the same value as {@code operand} in layout {@code target}, and returns it as a value. */
  Placed withView(Operand<TFloat32> moved, Layout target) {
    Placed known = views.get(target);
    return known != null ? known : new Placed(moved, target, dims, views);
  }
}
