package org.medvision.runtime.batch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;

/**
 * The columns of a batch job's results, the same in Parquet, JSON lines and the Spark module: who the input is, which
 * model made the row, one column per class or label probability named from the task's outputs, and an error.
 *
 * <p>Columns, in order: {@code input_id}, {@code path}, {@code study_uid}, {@code series_uid}, {@code task},
 * {@code model_sha256}, {@code engine}; then per task output: for class logits {@code label} (the most probable
 * class) and {@code p_<class>} per class; for multi-label logits {@code labels} (the labels at or above the task's
 * threshold joined by {@code |}, empty when none) and {@code p_<label>} per label; for maps and generated images
 * {@code <output>_map} (the written file, null when maps are not written); finally {@code error} (null when the row
 * holds a prediction; then every output column is null). When a task has several labelled outputs, their columns are
 * prefixed with {@code <output>_}. Names keep letters, digits and {@code _}; other characters become {@code _}.
 * Strings are UTF-8; probabilities are 32-bit floats, exactly the values {@code predict} prints.
 */
public final class PredictionSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The input's id (see {@link BatchItem}). */
  public static final String INPUT_ID = "input_id";
  /** Where the input came from. */
  public static final String PATH = "path";
  /** DICOM Study Instance UID. */
  public static final String STUDY_UID = "study_uid";
  /** DICOM Series Instance UID. */
  public static final String SERIES_UID = "series_uid";
  /** The task's name. */
  public static final String TASK = "task";
  /** The weights' SHA-256 (members joined by {@code +} for an ensemble). */
  public static final String MODEL_SHA256 = "model_sha256";
  /** The engine's name. */
  public static final String ENGINE = "engine";
  /** Why the input has no prediction. */
  public static final String ERROR = "error";

  /** A column's value type. */
  public enum Type {
    /** UTF-8 text (Parquet BINARY annotated as a string). */
    STRING,
    /** A 32-bit float (Parquet FLOAT). */
    FLOAT
  }

  /**
   * One column; every column may be null.
   *
   * @param name its name
   * @param type its value type
   */
  public record Column(String name, Type type) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Where one task output lands.
   *
   * @param output the output's name
   * @param kind what it holds
   * @param labelColumn the label or labels column; null for maps
   * @param probabilityColumns per class or label, its column; empty for maps
   * @param mapColumn the map's path column; null for labelled outputs
   */
  record OutputColumns(String output, OutputSpec.Kind kind, String labelColumn, List<String> probabilityColumns,
      String mapColumn) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private final List<Column> columns;
  private final List<OutputColumns> outputs;

  private PredictionSchema(List<Column> columns, List<OutputColumns> outputs) {
    this.columns = List.copyOf(columns);
    this.outputs = List.copyOf(outputs);
  }

  /** The schema of {@code task}'s results. */
  public static PredictionSchema of(Task task) {
    List<Column> columns = new ArrayList<>();
    for (String fixed : List.of(INPUT_ID, PATH, STUDY_UID, SERIES_UID, TASK, MODEL_SHA256, ENGINE)) {
      columns.add(new Column(fixed, Type.STRING));
    }
    Set<String> taken = new HashSet<>();
    columns.forEach(c -> taken.add(c.name()));
    taken.add(ERROR);
    long labelled = task.outputs().stream().filter(o -> !o.labels().isEmpty()).count();
    List<OutputColumns> outputs = new ArrayList<>();
    for (OutputSpec o : task.outputs()) {
      if (o.kind() == OutputSpec.Kind.SPATIAL_MAP || o.kind() == OutputSpec.Kind.IMAGE) {
        String map = unique(safe(o.name()) + "_map", taken);
        columns.add(new Column(map, Type.STRING));
        outputs.add(new OutputColumns(o.name(), o.kind(), null, List.of(), map));
        continue;
      }
      String prefix = labelled > 1 ? safe(o.name()) + "_" : "";
      String label = unique(prefix + (o.kind() == OutputSpec.Kind.CLASS_LOGITS ? "label" : "labels"), taken);
      columns.add(new Column(label, Type.STRING));
      List<String> probabilities = new ArrayList<>();
      for (String l : o.labels()) {
        String p = unique(prefix + "p_" + safe(l), taken);
        columns.add(new Column(p, Type.FLOAT));
        probabilities.add(p);
      }
      outputs.add(new OutputColumns(o.name(), o.kind(), label, probabilities, null));
    }
    columns.add(new Column(ERROR, Type.STRING));
    return new PredictionSchema(columns, outputs);
  }

  /**
   * A schema of the given columns, for reading parts back (e.g. from an output folder's header): the fixed columns
   * first, {@code error} last, as {@link #of} makes them.
   *
   * @throws IllegalArgumentException if the fixed columns are not where they belong
   */
  public static PredictionSchema ofColumns(List<Column> columns) {
    List<String> names = columns.stream().map(Column::name).toList();
    if (columns.size() < 8 || !names.subList(0, 7).equals(List.of(INPUT_ID, PATH, STUDY_UID, SERIES_UID, TASK,
        MODEL_SHA256, ENGINE)) || !names.get(names.size() - 1).equals(ERROR)) {
      throw new IllegalArgumentException("not the columns of batch results: " + names);
    }
    return new PredictionSchema(columns, List.of());
  }

  /** Every column, in order. */
  public List<Column> columns() {
    return columns;
  }

  /** The column names, in order. */
  public List<String> names() {
    return columns.stream().map(Column::name).toList();
  }

  /** Where each task output lands. */
  List<OutputColumns> outputs() {
    return outputs;
  }

  /** The names of the columns that hold a task output (between {@code engine} and {@code error}). */
  public List<String> outputColumns() {
    return names().subList(7, columns.size() - 1);
  }

  /** {@code row}'s values in column order ({@link String}, {@link Float} or null). */
  public List<Object> values(PredictionRow row) {
    List<Object> out = new ArrayList<>(columns.size());
    out.add(row.inputId());
    out.add(row.path());
    out.add(row.studyUid());
    out.add(row.seriesUid());
    out.add(row.task());
    out.add(row.modelSha256());
    out.add(row.engine());
    for (String c : outputColumns()) {
      out.add(row.outputs().get(c));
    }
    out.add(row.error());
    return out;
  }

  /**
   * The row whose values are {@code values} in column order, e.g. as read back from a part file.
   *
   * @throws IllegalArgumentException if the count differs from the columns'
   */
  public PredictionRow row(List<?> values) {
    if (values.size() != columns.size()) {
      throw new IllegalArgumentException(values.size() + " values for " + columns.size() + " columns " + names());
    }
    Map<String, Object> outputs = new LinkedHashMap<>();
    List<String> names = outputColumns();
    for (int i = 0; i < names.size(); i++) {
      outputs.put(names.get(i), values.get(7 + i));
    }
    return new PredictionRow(str(values.get(0)), str(values.get(1)), str(values.get(2)), str(values.get(3)),
        str(values.get(4)), str(values.get(5)), str(values.get(6)), outputs, str(values.get(values.size() - 1)));
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }

  /** Letters, digits and {@code _}; anything else becomes {@code _}. */
  static String safe(String name) {
    return name.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private static String unique(String name, Set<String> taken) {
    String n = name;
    for (int i = 2; !taken.add(n); i++) {
      n = name + "_" + i;
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PredictionSchema s && s.columns.equals(columns);
  }

  @Override
  public int hashCode() {
    return columns.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (Column c : columns) {
      s.append(s.length() == 0 ? "" : ", ").append(c.name()).append(' ').append(c.type().name().toLowerCase(
          java.util.Locale.ROOT));
    }
    return s.toString();
  }
}
