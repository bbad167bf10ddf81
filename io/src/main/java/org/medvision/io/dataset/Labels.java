package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.medvision.api.data.LabelField;

/** Maps the written labels of a data set's rows to the class names of a single-label field. */
public final class Labels {
  private Labels() {}

  /**
   * {@code rows} with their stratification label set to the class name of column {@code field.column()}, in input
   * order; rows whose label the field leaves out are dropped.
   *
   * @throws DatasetException for an unknown or missing label (naming the row and the accepted labels), or a class
   *     without rows (naming the class and the sources)
   */
  public static List<Sample> apply(List<Sample> rows, LabelField field) {
    List<Sample> out = new ArrayList<>(rows.size());
    int[] counts = new int[field.classes().size()];
    for (Sample s : rows) {
      String written = s.value(field.column());
      if (written == null) {
        throw new DatasetException(s.where() + ": no " + field.column() + "; every row needs one of "
            + field.accepted());
      }
      int c = field.classIndex(written);
      if (c == -2) {
        throw new DatasetException(s.where() + ": unknown " + field.column() + " '" + written + "' for classes "
            + field.classes() + "; accepted: " + field.accepted());
      }
      if (c >= 0) {
        counts[c]++;
        out.add(s.withLabel(field.classes().get(c)));
      }
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        Set<String> sources = new LinkedHashSet<>();
        rows.forEach(s -> sources.add(s.source().toString()));
        throw new DatasetException("class '" + field.classes().get(i) + "' has no rows in "
            + (sources.isEmpty() ? "an empty data set" : String.join(", ", sources)) + "; every class of "
            + field.classes() + " needs examples");
      }
    }
    return out;
  }
}
