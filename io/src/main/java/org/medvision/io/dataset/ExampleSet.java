package org.medvision.io.dataset;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.data.LabelField;

/**
 * The rows of one split of a {@link TaskData}: what samplers see ({@link ExampleTable}) and what an
 * {@link ExampleLoader} decodes. Immutable.
 */
public final class ExampleSet implements ExampleTable {
  private final DataSchema schema;
  private final List<Sample> rows;
  private final List<String> classes;
  private final Map<String, double[]> attributes;

  /**
   * The set of {@code rows} with their attribute values.
   *
   * @param attributes attribute name to one value per row
   */
  public ExampleSet(DataSchema schema, List<Sample> rows, Map<String, double[]> attributes) {
    this.schema = schema;
    this.rows = List.copyOf(rows);
    this.classes = schema.labels().map(l -> l.classes()).orElse(List.of());
    Map<String, double[]> copy = new LinkedHashMap<>();
    attributes.forEach((k, v) -> {
      if (v.length != rows.size()) {
        throw new IllegalArgumentException("attribute " + k + " has " + v.length + " values for " + rows.size()
            + " rows");
      }
      copy.put(k, v.clone());
    });
    this.attributes = Collections.unmodifiableMap(copy);
  }

  /** The schema the rows follow. */
  public DataSchema schema() {
    return schema;
  }

  /** Row {@code i}. */
  public Sample get(int i) {
    return rows.get(i);
  }

  /** Every row, in order. */
  public List<Sample> rows() {
    return rows;
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public String id(int row) {
    return rows.get(row).id();
  }

  @Override
  public String patient(int row) {
    return rows.get(row).patientId();
  }

  @Override
  public int label(int row) {
    String l = rows.get(row).label();
    return l == null ? -1 : classes.indexOf(l);
  }

  @Override
  public List<String> classes() {
    return classes;
  }

  @Override
  public int[] labelsOf(int row, String field) {
    if (!(schema.field(field).orElse(null) instanceof LabelField f)) {
      throw new MedvisionException("the data schema has no label field '" + field + "'");
    }
    String cell = rows.get(row).value(f.column());
    if (cell == null) {
      return new int[0];
    }
    try {
      return f.classIndices(cell);
    } catch (IllegalArgumentException e) {
      throw new DatasetException(where(row) + ": " + e.getMessage());
    }
  }

  @Override
  public double attribute(int row, String name) {
    double[] v = attributes.get(name);
    return v == null ? Double.NaN : v[row];
  }

  @Override
  public String where(int row) {
    return rows.get(row).where();
  }
}
