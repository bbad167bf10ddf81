package org.medvision.api.metrics;

import java.util.Arrays;
import org.medvision.api.MedvisionException;

/**
 * The connected components of a binary mask of any dimension (2-D slice, 3-D volume), numbered as
 * {@code scipy.ndimage.label} numbers them.
 *
 * <p>Background voxels get label 0; components get 1..{@link #count()} in the order of their first voxel in
 * row-major order (last axis fastest). Neighbours are defined by a {@link Connectivity}; the border is not
 * wrapped. An empty mask has no component.
 */
public final class ConnectedComponents {
  private final int[] shape;
  private final int[] labels;
  private final long[] sizes;

  private ConnectedComponents(int[] shape, int[] labels, long[] sizes) {
    this.shape = shape;
    this.labels = labels;
    this.sizes = sizes;
  }

  /**
   * Labels the components of {@code mask}.
   *
   * @param mask foreground flags, row-major
   * @param shape extent of each axis; their product is the mask's length
   * @param connectivity which voxels are neighbours
   * @throws MedvisionException if the shape is empty, has a negative extent or does not match the mask's length
   */
  public static ConnectedComponents label(boolean[] mask, int[] shape, Connectivity connectivity) {
    checkShape(mask.length, shape);
    int ndim = shape.length;
    int[][] deltas = connectivity.offsets(ndim);
    int[] strides = new int[ndim];
    int stride = 1;
    for (int d = ndim - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= shape[d];
    }
    int[] linear = new int[deltas.length];
    for (int j = 0; j < deltas.length; j++) {
      for (int d = 0; d < ndim; d++) {
        linear[j] += deltas[j][d] * strides[d];
      }
    }
    int[] labels = new int[mask.length];
    long[] sizes = new long[16];
    int count = 0;
    int[] queue = new int[16];
    int[] coordinate = new int[ndim];
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || labels[start] != 0) {
        continue;
      }
      count++;
      if (count == sizes.length) {
        sizes = Arrays.copyOf(sizes, sizes.length * 2);
      }
      // Breadth-first flood fill: labels the whole component on meeting its first voxel, which is what makes the
      // numbering follow the first voxels' row-major order.
      labels[start] = count;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      while (head < tail) {
        int voxel = queue[head++];
        int rest = voxel;
        for (int d = 0; d < ndim; d++) {
          coordinate[d] = rest / strides[d];
          rest %= strides[d];
        }
        for (int j = 0; j < deltas.length; j++) {
          if (!inside(coordinate, deltas[j], shape)) {
            continue;
          }
          int neighbour = voxel + linear[j];
          if (mask[neighbour] && labels[neighbour] == 0) {
            labels[neighbour] = count;
            if (tail == queue.length) {
              // A component never holds more voxels than the mask, so the queue never needs to outgrow it.
              queue = Arrays.copyOf(queue, (int) Math.min(2L * queue.length, mask.length));
            }
            queue[tail++] = neighbour;
          }
        }
      }
      sizes[count] = tail;
    }
    return new ConnectedComponents(shape.clone(), labels, Arrays.copyOfRange(sizes, 1, count + 1));
  }

  private static boolean inside(int[] coordinate, int[] delta, int[] shape) {
    for (int d = 0; d < shape.length; d++) {
      int c = coordinate[d] + delta[d];
      if (c < 0 || c >= shape[d]) {
        return false;
      }
    }
    return true;
  }

  private static void checkShape(int length, int[] shape) {
    if (shape.length == 0) {
      throw new MedvisionException("connected components: the shape has no axes");
    }
    long voxels = 1;
    for (int extent : shape) {
      if (extent < 0) {
        throw new MedvisionException("connected components: negative extent in shape " + Arrays.toString(shape));
      }
      voxels *= extent;
    }
    if (voxels != length) {
      throw new MedvisionException("connected components: shape " + Arrays.toString(shape) + " holds " + voxels
          + " voxels but the mask has " + length);
    }
  }

  /** Number of components. */
  public int count() {
    return sizes.length;
  }

  /** Label of voxel {@code index} (row-major): 0 for background, else 1..{@link #count()}. */
  public int labelAt(int index) {
    return labels[index];
  }

  /** A copy of every voxel's label, row-major. */
  public int[] labels() {
    return labels.clone();
  }

  /** Number of voxels of component {@code label}, 1..{@link #count()}. */
  public long size(int label) {
    if (label < 1 || label > sizes.length) {
      throw new MedvisionException("connected components: no component " + label + "; labels run 1.."
          + sizes.length);
    }
    return sizes[label - 1];
  }

  /** A copy of the component sizes; entry {@code k - 1} is the size of component {@code k}. */
  public long[] sizes() {
    return sizes.clone();
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }
}
