package org.medvision.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.data.ImageField;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dicom.WindowedSlice;

/**
 * Occlusion sensitivity of a 2-D classifier, for tasks that offer no map of their own: a patch of a quarter of the
 * slice's height and width, filled with the slice's mean value, slides with a stride of an eighth of each side (7 x 7
 * = 49 positions on a slice whose sides are multiples of 8). Each copy is classified; the drop of the class's
 * probability is credited to every pixel the patch covered, each pixel's credit is averaged over the patches covering
 * it, negative drops count as 0, and the map is divided by its maximum so that it lies in [0, 1] (all zeros when no
 * patch lowers the probability).
 */
final class Occlusion {
  /** An occlusion patch spans 1/PATCH_FRACTION of the slice's height and of its width. */
  static final int PATCH_FRACTION = 4;
  /** Occlusion patches move by 1/STRIDE_FRACTION of the height and of the width. */
  static final int STRIDE_FRACTION = 8;

  private Occlusion() {}

  /**
   * The occlusion-sensitivity map of {@code slice} for class {@code classIndex}.
   *
   * @return {@code rows * columns} values in [0, 1], row-major
   * @throws MedvisionException if the model's results hold no class probabilities with that class
   */
  static float[] map(Predictor predictor, ImageField field, ExampleReader reader, WindowedSlice slice,
      int classIndex) {
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
    List<Example> copies = new ArrayList<>(corners.size() + 1);
    copies.add(example(field, reader, slice, 0));
    for (int i = 0; i < corners.size(); i++) {
      int[] corner = corners.get(i);
      copies.add(example(field, reader, slice.occluded(corner[0], corner[1], patchRows, patchColumns, fill), i + 1));
    }
    List<ExampleResult> results = predictor.predict(copies);
    double base = probability(results.get(0), classIndex);
    double[] credit = new double[rows * columns];
    int[] covered = new int[rows * columns];
    for (int i = 0; i < corners.size(); i++) {
      double change = base - probability(results.get(i + 1), classIndex);
      // A NaN probability (a broken model) must not turn the whole map NaN; it simply earns no credit.
      double drop = Double.isFinite(change) ? Math.max(0, change) : 0;
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

  private static Example example(ImageField field, ExampleReader reader, WindowedSlice slice, int index) {
    String id = "occlusion " + index;
    return new Example(id, null, id, Map.of(field.name(), reader.preprocessImage(field, slice.tensor())), Map.of());
  }

  private static double probability(ExampleResult r, int classIndex) {
    ClassProbabilities c = r.first(ClassProbabilities.class).orElseThrow(() -> new MedvisionException(
        "occlusion sensitivity needs class probabilities; the task returned " + r.predictions().keySet()));
    return c.probability(classIndex);
  }
}
