package org.medvision.runtime.batch;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonWriter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON-lines part files: one object per row with every column in schema order, nulls written out, probabilities as
 * the shortest decimal that reads back as the same float ({@code NaN} where a model gave one, which Spark's JSON
 * reader accepts).
 */
final class JsonLinesParts {
  private JsonLinesParts() {}

  static void write(Path file, PredictionSchema schema, List<PredictionRow> rows) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (PredictionRow row : rows) {
        out.write(line(schema, row));
        out.write('\n');
      }
    }
  }

  /** One row as a JSON line (no line break). */
  static String line(PredictionSchema schema, PredictionRow row) throws IOException {
    StringWriter s = new StringWriter();
    JsonWriter json = new JsonWriter(s);
    json.setSerializeNulls(true);
    json.setStrictness(Strictness.LENIENT);
    json.beginObject();
    List<Object> values = schema.values(row);
    List<PredictionSchema.Column> columns = schema.columns();
    for (int i = 0; i < columns.size(); i++) {
      json.name(columns.get(i).name());
      Object v = values.get(i);
      if (v == null) {
        json.nullValue();
      } else if (v instanceof Float f) {
        json.value(f);
      } else {
        json.value(v.toString());
      }
    }
    json.endObject();
    json.flush();
    return s.toString();
  }

  static List<PredictionRow> read(Path file, PredictionSchema schema) throws IOException {
    List<PredictionRow> rows = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        JsonObject o;
        try {
          o = JsonParser.parseString(line).getAsJsonObject();
        } catch (RuntimeException e) {
          throw new IOException(file + " line " + number + ": not a JSON object: " + e.getMessage(), e);
        }
        List<Object> values = new ArrayList<>();
        for (PredictionSchema.Column c : schema.columns()) {
          JsonElement v = o.get(c.name());
          if (v == null || v.isJsonNull()) {
            values.add(null);
          } else if (c.type() == PredictionSchema.Type.FLOAT) {
            values.add(Float.parseFloat(v.getAsString()));
          } else {
            values.add(v.getAsString());
          }
        }
        rows.add(schema.row(values));
      }
    }
    return rows;
  }
}
