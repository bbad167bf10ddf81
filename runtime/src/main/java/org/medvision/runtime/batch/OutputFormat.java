package org.medvision.runtime.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.medvision.api.MedvisionException;

/**
 * A file format of batch results. Each format has its own subfolder of the output folder, holding part files
 * {@code part-NNNNN.<extension>} (so that {@code spark.read.parquet("out/parquet")} reads exactly the results).
 */
public enum OutputFormat {
  /** Apache Parquet, one row group per part, uncompressed columns with dictionary encoding. */
  PARQUET("parquet") {
    @Override
    void write(Path file, PredictionSchema schema, List<PredictionRow> rows) throws IOException {
      ParquetParts.write(file, schema, rows);
    }

    @Override
    List<PredictionRow> read(Path file, PredictionSchema schema) throws IOException {
      return ParquetParts.read(file, schema);
    }
  },
  /** JSON lines: one JSON object per row, every column present (null when empty), UTF-8. */
  JSONL("jsonl") {
    @Override
    void write(Path file, PredictionSchema schema, List<PredictionRow> rows) throws IOException {
      JsonLinesParts.write(file, schema, rows);
    }

    @Override
    List<PredictionRow> read(Path file, PredictionSchema schema) throws IOException {
      return JsonLinesParts.read(file, schema);
    }
  };

  private final String extension;

  OutputFormat(String extension) {
    this.extension = extension;
  }

  /** The file extension and subfolder name, e.g. {@code parquet}. */
  public String extension() {
    return extension;
  }

  /** The part file {@code number} in this format's subfolder of {@code out}. */
  public Path part(Path out, int number) {
    return out.resolve(extension).resolve(String.format(Locale.ROOT, "part-%05d.%s", number, extension));
  }

  /**
   * The format named {@code name} ({@code parquet} or {@code jsonl}, any case).
   *
   * @throws MedvisionException naming the formats there are
   */
  public static OutputFormat named(String name) {
    for (OutputFormat f : values()) {
      if (f.extension.equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new MedvisionException("unknown result format '" + name + "'; formats: parquet, jsonl");
  }

  /** Writes {@code rows} into {@code file} (replacing what it holds). */
  abstract void write(Path file, PredictionSchema schema, List<PredictionRow> rows) throws IOException;

  /** The rows of a part file. */
  abstract List<PredictionRow> read(Path file, PredictionSchema schema) throws IOException;
}
