package org.medvision.train.eval;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;

/**
 * Reads and writes {@code predictions.json}: the per-image output of an evaluation, so that another run can be
 * compared with it ({@link Comparison}).
 *
 * <p>Layout: {@code {"format": "medvision-predictions", "version": 1, "classes": [..], "model": {..},
 * "predictions": [{"path", "label", "predicted", "probabilities": {class: p}}]}}. Paths are absolute; labels and
 * predictions are class names; probabilities are keyed by class name in class order.
 */
public final class PredictionsFile {
  /** Value of the {@code format} key. */
  public static final String FORMAT = "medvision-predictions";
  /** Value of the {@code version} key this code writes and reads. */
  public static final int VERSION = 1;

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls()
      .create();
  private static final Type MODEL_TYPE = new TypeToken<Map<String, Object>>() { }.getType();

  private PredictionsFile() {}

  /** The JSON document of {@code set}, as a map of lists, strings and numbers. */
  public static Map<String, Object> toMap(PredictionSet set) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format", FORMAT);
    m.put("version", VERSION);
    m.put("classes", set.classes());
    m.put("model", set.model());
    List<Object> rows = new ArrayList<>();
    for (ImagePrediction p : set.predictions()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("path", p.path().toString());
      r.put("label", set.classes().get(p.label()));
      r.put("predicted", set.classes().get(p.predicted()));
      Map<String, Float> probabilities = new LinkedHashMap<>();
      float[] row = p.probabilities();
      for (int k = 0; k < row.length; k++) {
        probabilities.put(set.classes().get(k), row[k]);
      }
      r.put("probabilities", probabilities);
      rows.add(r);
    }
    m.put("predictions", rows);
    return m;
  }

  /** {@code set} as indented JSON text. */
  public static String toJson(PredictionSet set) {
    return GSON.toJson(toMap(set)) + "\n";
  }

  /**
   * Reads a predictions file; the set is named after the file.
   *
   * @throws MedvisionException naming the file and the entry if it is missing, not JSON, of another format or
   *     version, or holds an unknown class, a duplicate path or a probability row that does not match the classes
   */
  public static PredictionSet read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MedvisionException("predictions file not found: " + file, e);
    } catch (IOException e) {
      throw new MedvisionException("cannot read predictions file " + file + ": " + e.getMessage(), e);
    }
    JsonObject root;
    try {
      JsonElement parsed = JsonParser.parseString(text);
      if (!parsed.isJsonObject()) {
        throw new MedvisionException("predictions file " + file + " is not a JSON object");
      }
      root = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new MedvisionException("predictions file " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    String where = "predictions file " + file;
    if (!root.has("format") || !FORMAT.equals(string(root, "format", where))) {
      throw new MedvisionException(where + " lacks \"format\": \"" + FORMAT + "\"; write it with medvision"
          + " evaluate");
    }
    int version = root.has("version") && root.get("version").isJsonPrimitive() ? root.get("version").getAsInt() : -1;
    if (version != VERSION) {
      throw new MedvisionException(where + " has version " + version + "; this medvision reads version " + VERSION);
    }
    List<String> classes = new ArrayList<>();
    for (JsonElement e : array(root, "classes", where)) {
      classes.add(e.getAsString());
    }
    if (classes.size() < 2 || new HashSet<>(classes).size() != classes.size()) {
      throw new MedvisionException(where + ": \"classes\" must name at least two distinct classes, got " + classes);
    }
    Map<String, Object> model = root.has("model") && root.get("model").isJsonObject()
        ? GSON.fromJson(root.get("model"), MODEL_TYPE) : Map.of();
    List<ImagePrediction> predictions = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    JsonArray rows = array(root, "predictions", where);
    for (int i = 0; i < rows.size(); i++) {
      String at = where + ", predictions[" + i + "]";
      if (!rows.get(i).isJsonObject()) {
        throw new MedvisionException(at + " is not an object");
      }
      ImagePrediction p = row(rows.get(i).getAsJsonObject(), classes, at);
      if (!seen.add(p.path())) {
        throw new MedvisionException(at + ": image " + p.path() + " appears twice");
      }
      predictions.add(p);
    }
    if (predictions.isEmpty()) {
      throw new MedvisionException(where + " holds no predictions");
    }
    return new PredictionSet(file.toString(), classes, predictions, model);
  }

  private static ImagePrediction row(JsonObject r, List<String> classes, String at) {
    Path path = Path.of(string(r, "path", at));
    int label = classIndex(string(r, "label", at), classes, at + ".label");
    int predicted = classIndex(string(r, "predicted", at), classes, at + ".predicted");
    if (!r.has("probabilities") || !r.get("probabilities").isJsonObject()) {
      throw new MedvisionException(at + " lacks the object \"probabilities\"");
    }
    JsonObject probs = r.getAsJsonObject("probabilities");
    if (!probs.keySet().equals(new HashSet<>(classes))) {
      throw new MedvisionException(at + ".probabilities has classes " + probs.keySet() + " but the file's classes are "
          + classes);
    }
    float[] row = new float[classes.size()];
    for (int k = 0; k < row.length; k++) {
      JsonElement v = probs.get(classes.get(k));
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
        throw new MedvisionException(at + ".probabilities." + classes.get(k) + " is not a number: " + v);
      }
      row[k] = v.getAsFloat();
    }
    return new ImagePrediction(path, label, row, predicted);
  }

  private static int classIndex(String name, List<String> classes, String at) {
    int k = classes.indexOf(name);
    if (k < 0) {
      throw new MedvisionException(at + " is '" + name + "', which is not one of the classes " + classes);
    }
    return k;
  }

  private static String string(JsonObject o, String key, String where) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new MedvisionException(where + " lacks the string \"" + key + "\"");
    }
    return e.getAsString();
  }

  private static JsonArray array(JsonObject o, String key, String where) {
    JsonElement e = o.get(key);
    if (e == null || !e.isJsonArray()) {
      throw new MedvisionException(where + " lacks the array \"" + key + "\"");
    }
    return e.getAsJsonArray();
  }
}
