package org.medvision.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.medvision.runtime.batch.PredictionRow;
import org.medvision.runtime.batch.PredictionSchema;

/**
 * The local batch runner's result columns as a Spark schema (strings as {@code StringType}, probabilities as
 * {@code FloatType}, every column nullable), and its rows as Spark rows, so that a Spark job writes Parquet that reads
 * exactly like the local runner's.
 */
final class SparkRows {
  private SparkRows() {}

  /** {@code schema} as a Spark struct, columns in the same order. */
  static StructType structOf(PredictionSchema schema) {
    List<StructField> fields = new ArrayList<>();
    for (PredictionSchema.Column c : schema.columns()) {
      fields.add(DataTypes.createStructField(c.name(), typeOf(c.type()), true));
    }
    return DataTypes.createStructType(fields);
  }

  private static DataType typeOf(PredictionSchema.Type type) {
    return switch (type) {
      case STRING -> DataTypes.StringType;
      case FLOAT -> DataTypes.FloatType;
    };
  }

  /** {@code row} as a Spark row of {@link #structOf(PredictionSchema)}. */
  static Row toRow(PredictionSchema schema, PredictionRow row) {
    return RowFactory.create(schema.values(row).toArray());
  }

  /** A Spark row of {@link #structOf(PredictionSchema)} as a result row. */
  static PredictionRow fromRow(PredictionSchema schema, Row row) {
    List<Object> values = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      values.add(row.get(i));
    }
    return schema.row(values);
  }
}
