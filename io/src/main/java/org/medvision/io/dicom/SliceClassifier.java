package org.medvision.io.dicom;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;
import org.medvision.io.ProgressListener;
import org.medvision.io.classify.Classification;
import org.medvision.io.classify.ImageClassifier;

/**
 * Runs a single-source classification task on windowed slices through an {@link ImageClassifier}'s in-memory entry
 * point, so slices get exactly the preprocessing, batching, padding and softmax or sigmoid that image files get. It
 * adds occlusion-sensitivity maps for slices whose task offers no heat map of its own.
 *
 * <p>Occlusion sensitivity ({@link #occlusionMap}): a patch of a quarter of the slice's height and width, filled with
 * the slice's mean value, slides with a stride of an eighth of each side (7 x 7 = 49 positions on a slice whose
 * sides are multiples of 8). Each copy is classified; the drop of the predicted label's probability is credited to
 * every pixel the patch covered, each pixel's credit is averaged over the patches covering it, negative drops count
 * as 0, and the map is divided by its maximum so that it lies in [0, 1] (all zeros when no patch lowers the
 * probability).
 *
 * <p>Holds the compiled model's native resources until {@link #close()}; the engine stays the caller's. Not safe for
 * concurrent use.
 */
public final class SliceClassifier implements AutoCloseable {
  /** An occlusion patch spans 1/PATCH_FRACTION of the slice's height and of its width. */
  static final int PATCH_FRACTION = 4;
  /** Occlusion patches move by 1/STRIDE_FRACTION of the height and of the width. */
  static final int STRIDE_FRACTION = 8;

  private final ImageClassifier classifier;
  private final String source;

  /**
   * Compiles {@code task}'s graph with {@code weights} on {@code engine}.
   *
   * @param batchSize slices per engine run, used unless the graph fixes its batch size
   * @throws MedvisionException if the task has no outputs, reads more than one image source, or the batch size is
   *     not positive
   */
  public SliceClassifier(Task task, Engine engine, Weights weights, CompileOptions options, int batchSize) {
    this.classifier = new ImageClassifier(task, engine, weights, options, batchSize);
    List<String> sources = classifier.sources();
    if (sources.size() != 1) {
      classifier.close();
      throw new MedvisionException("task " + task.name() + " takes images from " + sources.size() + " sources "
          + sources + "; slices can feed only single-source tasks");
    }
    this.source = sources.get(0);
  }

  /** The task being run. */
  public Task task() {
    return classifier.task();
  }

  /** The class labels, in output order. */
  public List<String> labels() {
    return classifier.output().labels();
  }

  /** Classifies each slice, in order; see {@link #classify(List, ProgressListener)}. */
  public List<Classification> classify(List<WindowedSlice> slices) {
    return classify(slices, ProgressListener.NONE);
  }

  /**
   * Classifies each slice, reporting progress after each batch; a slice becomes a tensor only when its batch runs.
   *
   * @return one classification per slice, in order
   * @throws MedvisionException if the model's output does not have one value per label per slice
   */
  public List<Classification> classify(List<WindowedSlice> slices, ProgressListener progress) {
    List<Map<String, Tensor>> images = new AbstractList<>() {
      @Override
      public Map<String, Tensor> get(int index) {
        return Map.of(source, slices.get(index).tensor());
      }

      @Override
      public int size() {
        return slices.size();
      }
    };
    return classifier.classifyImages(images, progress);
  }

  /**
   * The occlusion-sensitivity map of {@code slice} for label {@code labelIndex} (see the class description).
   *
   * @return {@code rows * columns} values in [0, 1], row-major
   * @throws MedvisionException if the label index is outside the task's labels
   */
  public float[] occlusionMap(WindowedSlice slice, int labelIndex) {
    if (labelIndex < 0 || labelIndex >= labels().size()) {
      throw new MedvisionException("label index " + labelIndex + " is outside the " + labels().size()
          + " labels of task " + task().name());
    }
    int rows = slice.rows();
    int columns = slice.columns();
    int patchRows = Math.max(1, rows / PATCH_FRACTION);
    int patchColumns = Math.max(1, columns / PATCH_FRACTION);
    int strideRows = Math.max(1, rows / STRIDE_FRACTION);
    int strideColumns = Math.max(1, columns / STRIDE_FRACTION);
    float fill = slice.mean();
    List<int[]> corners = new ArrayList<>();
    for (int r = 0; r + patchRows <= rows; r += strideRows) {
      for (int c = 0; c + patchColumns <= columns; c += strideColumns) {
        corners.add(new int[] {r, c});
      }
    }
    List<WindowedSlice> copies = new ArrayList<>(corners.size() + 1);
    copies.add(slice);
    for (int[] corner : corners) {
      copies.add(slice.occluded(corner[0], corner[1], patchRows, patchColumns, fill));
    }
    List<Classification> predictions = classify(copies);
    String label = labels().get(labelIndex);
    double base = predictions.get(0).probabilities().get(label);
    double[] credit = new double[rows * columns];
    int[] covered = new int[rows * columns];
    for (int i = 0; i < corners.size(); i++) {
      double drop = Math.max(0, base - predictions.get(i + 1).probabilities().get(label));
      int[] corner = corners.get(i);
      for (int r = corner[0]; r < corner[0] + patchRows; r++) {
        for (int c = corner[1]; c < corner[1] + patchColumns; c++) {
          credit[r * columns + c] += drop;
          covered[r * columns + c]++;
        }
      }
    }
    float[] heat = new float[rows * columns];
    double max = 0;
    for (int i = 0; i < heat.length; i++) {
      double v = covered[i] == 0 ? 0 : credit[i] / covered[i];
      heat[i] = (float) v;
      max = Math.max(max, v);
    }
    if (max > 0) {
      for (int i = 0; i < heat.length; i++) {
        heat[i] = (float) Math.min(1, heat[i] / max);
      }
    }
    return heat;
  }

  /** Closes the compiled model; the engine stays open. */
  @Override
  public void close() {
    classifier.close();
  }
}
