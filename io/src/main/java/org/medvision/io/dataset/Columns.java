package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.BagField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.TextField;
import org.medvision.api.data.VolumeField;

/**
 * The manifest columns a {@link DataSchema} reads, with what each holds, plus the optional {@value #PATIENT} and
 * {@value #SPLIT} columns every manifest may have.
 */
public final class Columns {
  /** The patient column. */
  public static final String PATIENT = "patient_id";
  /** The split column. */
  public static final String SPLIT = "split";

  /** What a column holds. */
  public enum Kind {
    /** A path to a file. */
    FILE,
    /** A path to a file or a folder (a DICOM series, a bag of images). */
    PATH,
    /** Text: a label, a number, a sentence. */
    VALUE
  }

  /**
   * One column.
   *
   * @param name its header name (lower case)
   * @param kind what it holds
   * @param required whether every row needs a value
   */
  public record Column(String name, Kind kind, boolean required) {}

  private Columns() {}

  /** The columns of {@code schema}, in field order, then patient and split. */
  public static List<Column> of(DataSchema schema) {
    Map<String, Column> columns = new LinkedHashMap<>();
    for (Field f : schema.fields()) {
      if (f.column().isEmpty()) {
        continue;
      }
      Kind kind;
      if (f instanceof ImageField) {
        kind = Kind.FILE;
      } else if (f instanceof VolumeField || f instanceof BagField) {
        kind = Kind.PATH;
      } else if (f instanceof MaskField) {
        kind = Kind.FILE;
      } else if (f instanceof LabelField || f instanceof AttributeField || f instanceof TextField) {
        kind = Kind.VALUE;
      } else {
        throw new AssertionError(f);
      }
      // A column several fields read (e.g. one image feeding two encoders) is listed once, required if any needs it.
      Column previous = columns.get(f.column());
      boolean required = f.required() || (previous != null && previous.required());
      columns.put(f.column(), new Column(f.column(), kind, required));
    }
    columns.putIfAbsent(PATIENT, new Column(PATIENT, Kind.VALUE, false));
    columns.putIfAbsent(SPLIT, new Column(SPLIT, Kind.VALUE, false));
    return new ArrayList<>(columns.values());
  }

  /** The column holding each example's id: the first required file or path column. */
  public static String idColumn(List<Column> columns) {
    for (Column c : columns) {
      if (c.kind() != Kind.VALUE && c.required()) {
        return c.name();
      }
    }
    for (Column c : columns) {
      if (c.kind() != Kind.VALUE) {
        return c.name();
      }
    }
    throw new DatasetException("the data schema reads no file column to identify examples by");
  }
}
