package org.medvision.io.dataset;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Field;
import org.medvision.api.data.MaskField;
import org.medvision.io.ProgressListener;

/** Computes the attribute values of a data set's rows: from their column, or derived from masks. */
final class Attributes {
  private Attributes() {}

  /**
   * Every attribute field's value per row: the row's cell when it has one, else the derived ratio when the field
   * has one and both masks are present, else NaN. Masks are read one at a time.
   *
   * @throws DatasetException naming the row for a cell that is not a number or a mask that cannot be read
   */
  static Map<String, double[]> compute(DataSchema schema, List<Sample> rows, ProgressListener progress) {
    Map<String, double[]> out = new LinkedHashMap<>();
    List<AttributeField> fields = schema.fields(AttributeField.class);
    int derivedRows = 0;
    for (AttributeField f : fields) {
      for (Sample s : rows) {
        if (f.derived() && s.value(f.column()) == null) {
          derivedRows++;
        }
      }
    }
    int done = 0;
    if (derivedRows > 0) {
      progress.progress(0, derivedRows);
    }
    for (AttributeField f : fields) {
      double[] values = new double[rows.size()];
      for (int i = 0; i < rows.size(); i++) {
        Sample s = rows.get(i);
        String cell = f.column().isEmpty() ? null : s.value(f.column());
        if (cell != null) {
          try {
            values[i] = Double.parseDouble(cell);
          } catch (NumberFormatException e) {
            throw new DatasetException(s.where() + ": " + f.column() + " '" + cell + "' is not a number", e);
          }
        } else if (f.derived()) {
          values[i] = ratio(schema, s, f);
          progress.progress(++done, derivedRows);
        } else {
          values[i] = Double.NaN;
        }
      }
      out.put(f.name(), values);
    }
    return out;
  }

  private static double ratio(DataSchema schema, Sample s, AttributeField f) {
    String numerator = column(schema, f.ratioOf());
    String denominator = column(schema, f.ratioTo());
    String num = s.value(numerator);
    String den = s.value(denominator);
    if (num == null || den == null) {
      return Double.NaN;
    }
    long top = MaskFiles.count(Path.of(num), s.where());
    long bottom = MaskFiles.count(Path.of(den), s.where());
    if (bottom == 0) {
      throw new DatasetException(s.where() + ": " + denominator + " " + den + " is empty, so " + f.name()
          + " (|" + f.ratioOf() + "| / |" + f.ratioTo() + "|) is undefined");
    }
    return (double) top / bottom;
  }

  private static String column(DataSchema schema, String field) {
    Field f = schema.field(field).orElseThrow();
    return ((MaskField) f).column();
  }
}
