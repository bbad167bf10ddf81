package org.medvision.runtime.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Types;

/**
 * Parquet part files, written and read with parquet-java on the local file system without a Hadoop installation
 * ({@link PlainParquetConfiguration}, {@link LocalOutputFile}). Every column is optional; strings are BINARY
 * annotated as UTF-8 strings, probabilities FLOAT. Columns are not compressed: parquet-java's codecs go through
 * Hadoop's codec classes, and result rows are small and dictionary-encoded.
 */
final class ParquetParts {
  /** The Parquet message name. */
  static final String MESSAGE = "prediction";

  private ParquetParts() {}

  /** The Parquet schema of {@code schema}. */
  static MessageType messageType(PredictionSchema schema) {
    Types.MessageTypeBuilder b = Types.buildMessage();
    for (PredictionSchema.Column c : schema.columns()) {
      if (c.type() == PredictionSchema.Type.FLOAT) {
        b.optional(PrimitiveType.PrimitiveTypeName.FLOAT).named(c.name());
      } else {
        b.optional(PrimitiveType.PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(c.name());
      }
    }
    return b.named(MESSAGE);
  }

  static void write(Path file, PredictionSchema schema, List<PredictionRow> rows) throws IOException {
    MessageType type = messageType(schema);
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    List<PredictionSchema.Column> columns = schema.columns();
    try (ParquetWriter<Group> out = ExampleParquetWriter.builder(new LocalOutputFile(file))
        .withConf(new PlainParquetConfiguration()).withType(type)
        .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withExtraMetaData(Map.of("writer", "medvision batch")).build()) {
      for (PredictionRow row : rows) {
        Group g = groups.newGroup();
        List<Object> values = schema.values(row);
        for (int i = 0; i < columns.size(); i++) {
          Object v = values.get(i);
          if (v instanceof Float f) {
            g.append(columns.get(i).name(), f);
          } else if (v != null) {
            g.append(columns.get(i).name(), v.toString());
          }
        }
        out.write(g);
      }
    }
  }

  static List<PredictionRow> read(Path file, PredictionSchema schema) throws IOException {
    List<PredictionRow> rows = new ArrayList<>();
    List<PredictionSchema.Column> columns = schema.columns();
    try (ParquetReader<Group> in = new GroupReader(new LocalInputFile(file), new PlainParquetConfiguration())
        .build()) {
      Group g;
      while ((g = in.read()) != null) {
        List<Object> values = new ArrayList<>(columns.size());
        for (PredictionSchema.Column c : columns) {
          int field = g.getType().containsField(c.name()) ? g.getType().getFieldIndex(c.name()) : -1;
          if (field < 0 || g.getFieldRepetitionCount(field) == 0) {
            values.add(null);
          } else if (c.type() == PredictionSchema.Type.FLOAT) {
            values.add(g.getFloat(field, 0));
          } else {
            values.add(g.getString(field, 0));
          }
        }
        rows.add(schema.row(values));
      }
    } catch (RuntimeException e) {
      throw new IOException(file + ": not a readable Parquet file: " + e.getMessage(), e);
    }
    return rows;
  }

  /** A reader of {@link Group}s from any {@link InputFile} (parquet-java only offers one for Hadoop paths). */
  private static final class GroupReader extends ParquetReader.Builder<Group> {
    GroupReader(InputFile file, ParquetConfiguration conf) {
      super(file, conf);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
