package org.medvision.tasks.common;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.MedvisionException;

/**
 * A JSON object read from a configuration file (Hugging Face's {@code config.json}, {@code tokenizer.json},
 * {@code tokenizer_config.json}), with typed look-ups whose errors name the file and the key.
 *
 * <p>{@code null} values count as absent, as Hugging Face's loaders treat them. Immutable.
 */
public final class JsonConfig {
  private final JsonObject object;
  private final String source;

  private JsonConfig(JsonObject object, String source) {
    this.object = object;
    this.source = source;
  }

  /**
   * Reads a UTF-8 JSON file whose top level is an object.
   *
   * @throws MedvisionException naming the file if it is missing, unreadable or not a JSON object
   */
  public static JsonConfig read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MedvisionException(file + " does not exist", e);
    } catch (IOException e) {
      throw new MedvisionException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Parses JSON text whose top level is an object.
   *
   * @param source the file it came from, for messages
   * @throws MedvisionException naming {@code source} if the text is not a JSON object
   */
  public static JsonConfig parse(String text, String source) {
    JsonElement root;
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      reader.setStrictness(Strictness.STRICT);
      root = JsonParser.parseReader(reader);
    } catch (JsonParseException e) {
      throw new MedvisionException(source + " is not valid JSON: " + e.getMessage(), e);
    }
    if (!root.isJsonObject()) {
      throw new MedvisionException(source + " must hold a JSON object, found " + kind(root));
    }
    return new JsonConfig(root.getAsJsonObject(), source);
  }

  /** The file (and, for a nested object, the path to it), for messages. */
  public String source() {
    return source;
  }

  /** True if {@code key} is present with a non-null value. */
  public boolean has(String key) {
    return value(key).isPresent();
  }

  /**
   * An integer that must be present.
   *
   * @throws MedvisionException naming the file and key if it is absent or not an integer
   */
  public int requiredInt(String key) {
    return optionalInt(key).orElseThrow(() -> new MedvisionException(source + " lacks \"" + key + "\""));
  }

  /**
   * An integer, if present.
   *
   * @throws MedvisionException naming the file and key if it is present but not an integer
   */
  public Optional<Integer> optionalInt(String key) {
    return number(key).map(n -> {
      try {
        return n.intValueExact();
      } catch (ArithmeticException e) {
        throw new MedvisionException(source + ": \"" + key + "\" must be an integer, got " + n.toPlainString());
      }
    });
  }

  /**
   * A number, if present.
   *
   * @throws MedvisionException naming the file and key if it is present but not a number
   */
  public Optional<Double> optionalDouble(String key) {
    return number(key).map(BigDecimal::doubleValue);
  }

  /**
   * A string, if present.
   *
   * @throws MedvisionException naming the file and key if it is present but not a string
   */
  public Optional<String> optionalString(String key) {
    return value(key).map(v -> {
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
        throw new MedvisionException(source + ": \"" + key + "\" must be a string, found " + kind(v));
      }
      return v.getAsString();
    });
  }

  /**
   * A boolean, if present.
   *
   * @throws MedvisionException naming the file and key if it is present but not true or false
   */
  public Optional<Boolean> optionalBoolean(String key) {
    return value(key).map(v -> {
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isBoolean()) {
        throw new MedvisionException(source + ": \"" + key + "\" must be true or false, found " + kind(v));
      }
      return v.getAsBoolean();
    });
  }

  /**
   * A nested object, if present; its source names the path ({@code tokenizer.json: model}).
   *
   * @throws MedvisionException naming the file and key if it is present but not an object
   */
  public Optional<JsonConfig> optionalObject(String key) {
    return value(key).map(v -> {
      if (!v.isJsonObject()) {
        throw new MedvisionException(source + ": \"" + key + "\" must be an object, found " + kind(v));
      }
      String path = source.contains(": ") ? source + "." + key : source + ": " + key;
      return new JsonConfig(v.getAsJsonObject(), path);
    });
  }

  /**
   * The elements of a nested array that are objects, if the key is present.
   *
   * @throws MedvisionException naming the file and key if it is present but not an array of objects
   */
  public Optional<List<JsonConfig>> optionalObjects(String key) {
    return value(key).map(v -> {
      if (!v.isJsonArray()) {
        throw new MedvisionException(source + ": \"" + key + "\" must be an array, found " + kind(v));
      }
      List<JsonConfig> out = new ArrayList<>();
      int i = 0;
      for (JsonElement e : v.getAsJsonArray()) {
        if (!e.isJsonObject()) {
          throw new MedvisionException(source + ": \"" + key + "\"[" + i + "] must be an object, found " + kind(e));
        }
        String path = (source.contains(": ") ? source + "." : source + ": ") + key + "[" + i + "]";
        out.add(new JsonConfig(e.getAsJsonObject(), path));
        i++;
      }
      return out;
    });
  }

  /**
   * A nested object of integers (such as a token-to-id map), in file order.
   *
   * @throws MedvisionException naming the file, key and entry if it is absent, not an object or holds a non-integer
   */
  public Map<String, Integer> requiredIntMap(String key) {
    JsonConfig inner = optionalObject(key).orElseThrow(() -> new MedvisionException(source + " lacks \"" + key
        + "\""));
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String k : inner.object.keySet()) {
      out.put(k, inner.optionalInt(k).orElseThrow(() -> new MedvisionException(inner.source + ": \"" + k
          + "\" must be an integer, found null")));
    }
    return out;
  }

  private Optional<BigDecimal> number(String key) {
    return value(key).map(v -> {
      if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
        throw new MedvisionException(source + ": \"" + key + "\" must be a number, found " + kind(v));
      }
      return v.getAsBigDecimal();
    });
  }

  private Optional<JsonElement> value(String key) {
    JsonElement v = object.get(key);
    return v == null || v.isJsonNull() ? Optional.empty() : Optional.of(v);
  }

  private static String kind(JsonElement e) {
    if (e.isJsonNull()) {
      return "null";
    }
    if (e.isJsonObject()) {
      return "an object";
    }
    if (e.isJsonArray()) {
      return "an array";
    }
    JsonPrimitive p = e.getAsJsonPrimitive();
    return (p.isString() ? "the string " : "") + p;
  }
}
