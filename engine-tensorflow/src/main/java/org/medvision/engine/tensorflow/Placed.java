package org.medvision.engine.tensorflow;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/**
 * A lowered IR value: the TensorFlow operand that holds it, the layout its axes are stored in, and its IR
 * dimensions as far as known at compile time ({@code -1} where dynamic).
 *
 * <p>A value and every copy of it in another layout (made by {@link Relayout}) share one record of those copies, so
 * a value that several ops need channels-last (a residual stream feeding a convolution and an addition) is
 * transposed once, not once per consumer.
 *
 * <p>A <em>stored</em> value (a parameter whose source can lay it out in any layout, see {@link ParameterSource})
 * has no operand until one is asked for: it then comes from its storage in the layout asked for, so a weight that
 * only a convolution reads exists only in the convolution's filter layout, and no Transpose of it runs. Not
 * thread-safe: a lowering runs on one thread.
 */
final class Placed {
  private Operand<TFloat32> operand;
  private final Layout layout;
  private final long[] dims;
  private final Map<Layout, Placed> views;
  /** For a stored value, the operand holding it in a given layout; null for a computed value. */
  private final Function<Layout, Operand<TFloat32>> storage;

  /** A value stored in {@code layout}, with no other layouts known yet. */
  Placed(Operand<TFloat32> operand, Layout layout, long[] dims) {
    this(operand, layout, dims, new HashMap<>(), null);
  }

  private Placed(Operand<TFloat32> operand, Layout layout, long[] dims, Map<Layout, Placed> views,
      Function<Layout, Operand<TFloat32>> storage) {
    this.operand = operand;
    this.layout = layout;
    this.dims = dims.clone();
    this.views = views;
    this.storage = storage;
    views.putIfAbsent(layout, this);
  }

  /** A value stored in the IR's own axis order. */
  static Placed logical(Operand<TFloat32> operand, long[] dims) {
    return new Placed(operand, Layout.identity(dims.length), dims);
  }

  /**
   * A stored value of IR dimensions {@code dims}, in the IR's axis order until another layout is asked for.
   *
   * @param storage the operand holding the value in a layout; asked at most once per layout of this value, and it
   *     must return the same operand when asked again for one layout through a {@link #transposed} value
   */
  static Placed stored(long[] dims, Function<Layout, Operand<TFloat32>> storage) {
    return new Placed(null, Layout.identity(dims.length), dims, new HashMap<>(), storage);
  }

  /** The TensorFlow value; for a stored value, created by its storage on first use. */
  Operand<TFloat32> operand() {
    if (operand == null) {
      operand = storage.apply(layout);
    }
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
    return known != null ? known : new Placed(moved, target, dims, views, storage);
  }

  /** This value laid out in {@code target} by its storage, or null when it is computed (and must be moved). */
  Placed storedIn(Layout target) {
    if (storage == null) {
      return null;
    }
    Placed known = views.get(target);
    return known != null ? known : new Placed(null, target, dims, views, storage);
  }

  /**
   * The IR Transpose of this value by {@code perm}, which moves no data: the same physical tensor, relabelled. A
   * stored value stays stored, so the transposed value can still be laid out without a Transpose in the graph.
   *
   * @param outDims the IR dimensions of the transposed value
   */
  Placed transposed(int[] perm, long[] outDims) {
    Layout relabelled = layout.afterTranspose(perm);
    if (storage == null) {
      return new Placed(operand, relabelled, outDims);
    }
    Function<Layout, Operand<TFloat32>> inner = storage;
    return new Placed(operand, relabelled, outDims, new HashMap<>(), l -> inner.apply(l.beforeTranspose(perm)));
  }
}
