package org.medvision.runtime.batch;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Provenance;

/**
 * What an output folder's results were made with, kept in its {@code _medvision_batch.json}: the task, its variant and
 * options, the model file and its weights' SHA-256, the engine, the result formats, whether maps are written and the
 * columns. A job only adds to a folder whose header matches its own.
 *
 * @param layout the folder layout's version ({@link #LAYOUT})
 * @param task the task's name
 * @param variant the task's variant
 * @param options the model's shared options
 * @param model the model file
 * @param modelSha256 the weights' SHA-256
 * @param engine the engine's name
 * @param formats the result formats, by extension
 * @param maps whether maps are written
 * @param columns the columns, each {@code name type}
 */
public record BatchHeader(String layout, String task, String variant, Map<String, String> options, String model,
    String modelSha256, String engine, List<String> formats, boolean maps, List<String> columns) {
  /** The layout this version writes. */
  public static final String LAYOUT = "medvision-batch/1";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /** Copies the collections. */
  public BatchHeader {
    options = new TreeMap<>(options == null ? Map.of() : options);
    formats = List.copyOf(formats == null ? List.of() : formats);
    columns = List.copyOf(columns == null ? List.of() : columns);
  }

  /** The header of a job running {@code model} on {@code engine} with {@code settings}. */
  public static BatchHeader of(ModelSource model, String engine, PredictionSchema schema, BatchSettings settings) {
    List<String> columns = new ArrayList<>();
    schema.columns().forEach(c -> columns.add(c.name() + " " + c.type().name().toLowerCase(java.util.Locale.ROOT)));
    return new BatchHeader(LAYOUT, model.task().name(), model.task().config().variant(), model.sharedOptions(),
        model.file().toString(), Provenance.weightsSha256(model), engine,
        settings.formats().stream().map(OutputFormat::extension).toList(), settings.writeMaps(), columns);
  }

  /** As JSON. */
  public String toJson() {
    return GSON.toJson(this) + "\n";
  }

  /**
   * Parses a header.
   *
   * @throws JsonParseException if it is no header
   */
  public static BatchHeader parse(String json) {
    BatchHeader h = GSON.fromJson(json, BatchHeader.class);
    if (h == null || h.layout() == null || h.task() == null) {
      throw new JsonParseException("not a medvision batch header");
    }
    return new BatchHeader(h.layout(), h.task(), h.variant(), h.options(), h.model(), h.modelSha256(), h.engine(),
        h.formats(), h.maps(), h.columns());
  }

  /** The columns as a schema that can read the parts (column names and types only). */
  PredictionSchema schema() {
    return PredictionSchema.ofColumns(columns.stream().map(c -> {
      int space = c.lastIndexOf(' ');
      return new PredictionSchema.Column(c.substring(0, space), PredictionSchema.Type.valueOf(c.substring(space + 1)
          .toUpperCase(java.util.Locale.ROOT)));
    }).toList());
  }

  /**
   * How {@code now} (this run) differs from this header (the folder's), one phrase per difference, e.g. {@code model
   * SHA-256 ab12... in the folder, cd34... now}; empty when they agree (the model file's path may differ).
   */
  public List<String> differences(BatchHeader now) {
    List<String> d = new ArrayList<>();
    differ(d, "folder layout", layout, now.layout);
    differ(d, "task", task, now.task);
    differ(d, "variant", variant, now.variant);
    differ(d, "options", options, now.options);
    differ(d, "model SHA-256", modelSha256, now.modelSha256);
    differ(d, "engine", engine, now.engine);
    differ(d, "formats", formats, now.formats);
    differ(d, "maps written", maps, now.maps);
    differ(d, "columns", columns, now.columns);
    return d;
  }

  private static void differ(List<String> out, String what, Object there, Object now) {
    if (!Objects.equals(there, now)) {
      out.add(what + " " + there + " in the folder, " + now + " now");
    }
  }
}
