package org.medvision.spark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.medvision.api.MedvisionException;
import org.medvision.io.dataset.CsvParser;
import org.medvision.io.dataset.DatasetException;

/**
 * The rows of a CSV manifest as a Spark job's inputs, read as the local runner reads a manifest: its {@code path}
 * cells (trimmed; relative ones resolved against the manifest's folder) with the cells as written for ids; a row
 * whose cell is empty becomes an input that fails, named {@code manifest.csv line N} as the local runner names it;
 * a cell met again is left out, as the local runner leaves out an id it has met. Blank lines are skipped.
 *
 * <p>Unlike the local runner, each record must be one line: the executors parse the manifest's lines independently
 * (a file of millions of rows is never read by one machine), so a quoted cell holding a line break is refused, naming
 * its line.
 */
final class ManifestRows {
  private static final StructType SCHEMA = new StructType()
      .add(SparkBatchPredict.PATH, DataTypes.StringType, true)
      .add(SparkBatchPredict.INPUT_ID, DataTypes.StringType, false);
  /** A cell that is absolute: a path from the root, or a URI with a scheme (not a one-letter drive). */
  private static final Pattern ABSOLUTE = Pattern.compile("^(/|[A-Za-z][A-Za-z0-9+.-]+:)");

  private ManifestRows() {}

  /**
   * The input rows of {@code manifest}: a {@code path} column (null for an empty cell) and an {@code input_id} column.
   *
   * @throws MedvisionException if the manifest cannot be read, is empty or has no {@code path} column (at once), or
   *     a line is no CSV record (when the rows are computed)
   */
  static Dataset<Row> read(SparkSession spark, Path manifest) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    String name = manifest.getName();
    Header header = header(manifest, conf);
    int column = header.fields().indexOf(SparkBatchPredict.PATH);
    if (column < 0) {
      throw new MedvisionException("manifest " + manifest + " has no 'path' column; its header is "
          + header.fields());
    }
    String base = manifest.getParent().toString() + "/";
    long headerLine = header.line();
    JavaRDD<Row> rows = spark.read().text(manifest.toString()).javaRDD().zipWithIndex()
        .filter(t -> t._2() + 1 > headerLine)
        .flatMap(t -> row(t._1().getString(0), t._2() + 1, column, name, base).iterator());
    return spark.createDataFrame(rows, SCHEMA).dropDuplicates(SparkBatchPredict.INPUT_ID);
  }

  /**
   * The input row of line {@code line} of the manifest, or none for a blank line.
   *
   * @param text the line's text
   */
  static List<Row> row(String text, long line, int column, String name, String base) {
    List<CsvParser.Record> records;
    try {
      records = CsvParser.parse(text, name);
    } catch (DatasetException e) {
      throw new MedvisionException("manifest " + name + " line " + line + " is no CSV record (" + e.getMessage()
          + "); a Spark job reads a manifest one line per row, so a quoted cell cannot hold a line break");
    }
    if (records.isEmpty()) {
      return List.of();
    }
    List<String> fields = records.get(0).fields();
    String cell = column < fields.size() ? fields.get(column).trim() : "";
    if (cell.isEmpty()) {
      return List.of(RowFactory.create(null, name + " line " + line));
    }
    return List.of(RowFactory.create(ABSOLUTE.matcher(cell).find() ? cell : base + cell, cell));
  }

  /** The first record of the manifest and its line. */
  private record Header(List<String> fields, long line) {}

  /** Reads the manifest up to its first record on the driver, so that a wrong header fails before any task runs. */
  private static Header header(Path manifest, Configuration conf) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(manifest.getFileSystem(conf).open(manifest),
        StandardCharsets.UTF_8))) {
      long line = 0;
      for (String text = in.readLine(); text != null; text = in.readLine()) {
        line++;
        List<CsvParser.Record> records = CsvParser.parse(text, manifest.getName());
        if (!records.isEmpty()) {
          return new Header(records.get(0).fields(), line);
        }
      }
    } catch (IOException e) {
      throw new MedvisionException("cannot read manifest " + manifest + ": " + e, e);
    } catch (DatasetException e) {
      throw new MedvisionException("manifest " + manifest + ": its header is no CSV record (" + e.getMessage()
          + ")", e);
    }
    throw new MedvisionException("manifest " + manifest + " is empty; it needs a header with a 'path' column");
  }
}
