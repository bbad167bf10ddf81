package org.medvision.api.graph.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.AttrType;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Initializer;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.Initializers;

/**
 * The graph half of a {@code .graph} file: a {@link Graph} as JSON and back (layout in {@link GraphFiles}).
 *
 * <p>Decoding is strict about structure and names the JSON location of every problem ({@code $.nodes[3].op}), so a
 * hand-edited file fails with a message that points at the mistake; the IR's own rules (arity, attribute types,
 * shapes) are left to {@link Graph#validate()}.
 */
final class GraphJson {
  private static final Set<String> FLOAT_WORDS = Set.of("NaN", "Infinity", "-Infinity");

  private GraphJson() {}

  /** {@code graph} as compact JSON. */
  static String encode(Graph graph) {
    StringWriter text = new StringWriter();
    try (JsonWriter w = new JsonWriter(text)) {
      w.beginObject();
      w.name("name").value(graph.name());
      w.name("ir_version").value(graph.irVersion());
      w.name("inputs");
      values(w, graph.inputs());
      w.name("parameters").beginArray();
      for (ParameterSpec p : graph.parameters()) {
        w.beginObject().name("name").value(p.name()).name("dtype").value(p.dtype().toString());
        w.name("shape");
        dims(w, p.shape());
        w.name("role").value(p.role().name().toLowerCase(Locale.ROOT)).endObject();
      }
      w.endArray();
      w.name("nodes").beginArray();
      for (Node n : graph.nodes()) {
        w.beginObject().name("name").value(n.name()).name("op").value(n.op().irName());
        w.name("inputs");
        strings(w, n.inputs());
        w.name("outputs");
        strings(w, n.outputs());
        w.name("attributes").beginObject();
        for (String a : n.attributes().names()) {
          w.name(a);
          attribute(w, n.attributes().raw(a).orElseThrow());
        }
        w.endObject().endObject();
      }
      w.endArray();
      w.name("outputs");
      values(w, graph.outputs());
      w.name("metadata").beginObject();
      for (Map.Entry<String, String> e : graph.metadata().entrySet()) {
        w.name(e.getKey()).value(e.getValue());
      }
      w.endObject();
      w.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    return text.toString();
  }

  private static void values(JsonWriter w, List<ValueInfo> values) throws IOException {
    w.beginArray();
    for (ValueInfo v : values) {
      w.beginObject().name("name").value(v.name()).name("dtype").value(v.dtype().toString()).name("shape");
      dims(w, v.shape());
      w.endObject();
    }
    w.endArray();
  }

  private static void dims(JsonWriter w, Shape shape) throws IOException {
    w.beginArray();
    for (long d : shape.dims()) {
      w.value(d);
    }
    w.endArray();
  }

  private static void strings(JsonWriter w, List<String> list) throws IOException {
    w.beginArray();
    for (String s : list) {
      w.value(s);
    }
    w.endArray();
  }

  /** One attribute as a one-key object naming its type, e.g. {@code {"ints": [1, 1]}}. */
  private static void attribute(JsonWriter w, Object value) throws IOException {
    w.beginObject();
    if (value instanceof Long) {
      w.name("int").value((Long) value);
    } else if (value instanceof long[]) {
      w.name("ints").beginArray();
      for (long v : (long[]) value) {
        w.value(v);
      }
      w.endArray();
    } else if (value instanceof Float) {
      w.name("float");
      floatValue(w, (Float) value);
    } else if (value instanceof float[]) {
      w.name("floats").beginArray();
      for (float v : (float[]) value) {
        floatValue(w, v);
      }
      w.endArray();
    } else if (value instanceof String) {
      w.name("string").value((String) value);
    } else {
      throw new MedvisionException("attribute value of type " + value.getClass().getName() + " has no JSON form");
    }
    w.endObject();
  }

  /** Finite floats as their shortest decimal (which reads back to the same float); others as a word. */
  private static void floatValue(JsonWriter w, float v) throws IOException {
    if (Float.isFinite(v)) {
      w.value(Float.valueOf(v));
    } else {
      w.value(Float.toString(v));
    }
  }

  /**
   * Parses graph JSON. Parameters get the initializer their role implies, since initializers are code and are not
   * stored (see {@link GraphFiles}).
   *
   * @param where the file, for messages
   * @throws GraphFileException naming {@code where} and the JSON location of the first problem
   */
  static Graph decode(String json, String where) {
    JsonElement root;
    try {
      JsonReader reader = new JsonReader(new StringReader(json));
      reader.setStrictness(Strictness.STRICT);
      root = JsonParser.parseReader(reader);
    } catch (JsonParseException e) {
      throw new GraphFileException(where + ": the graph is not valid JSON: " + e.getMessage(), e);
    }
    Reader r = new Reader(where);
    JsonObject g = r.object(root, "$");
    String name = r.string(g, "name", "$");
    int irVersion = (int) r.integer(g, "ir_version", "$");
    if (irVersion > Op.IR_VERSION || irVersion < 1) {
      throw new GraphFileException(where + ": the graph has IR version " + irVersion + "; this build reads 1 to "
          + Op.IR_VERSION + (irVersion > Op.IR_VERSION ? " (the file was written by a newer medvision)" : ""));
    }
    List<ValueInfo> inputs = r.values(g, "inputs");
    List<ParameterSpec> parameters = new ArrayList<>();
    JsonArray params = r.array(g, "parameters", "$");
    for (int i = 0; i < params.size(); i++) {
      String at = "$.parameters[" + i + "]";
      JsonObject p = r.object(params.get(i), at);
      ParamRole role = r.role(p, at);
      parameters.add(new ParameterSpec(r.string(p, "name", at), r.dtype(p, at), r.shape(p, at), role,
          initializer(role)));
    }
    List<Node> nodes = new ArrayList<>();
    JsonArray ns = r.array(g, "nodes", "$");
    for (int i = 0; i < ns.size(); i++) {
      nodes.add(r.node(ns.get(i), "$.nodes[" + i + "]"));
    }
    List<ValueInfo> outputs = r.values(g, "outputs");
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonObject meta = r.object(r.member(g, "metadata", "$"), "$.metadata");
    for (Map.Entry<String, JsonElement> e : meta.entrySet()) {
      metadata.put(e.getKey(), r.text(e.getValue(), "$.metadata." + e.getKey()));
    }
    return new Graph(name, irVersion, inputs, parameters, nodes, outputs, metadata);
  }

  /** The initializer the ONNX importer also infers from a role: what PyTorch's layers use by default. */
  static Initializer initializer(ParamRole role) {
    switch (role) {
      case NORM_SCALE:
      case RUNNING_VAR:
        return Initializers.ones();
      case BIAS:
      case NORM_BIAS:
      case RUNNING_MEAN:
        return Initializers.zeros();
      case LAYER_SCALE:
        return Initializers.constant(1e-6f);
      case WEIGHT:
        return Initializers.kaimingUniform();
      default:
        throw new AssertionError(role);
    }
  }

  /** Typed access to the JSON tree; every failure names the file and the JSON path. */
  private static final class Reader {
    private final String where;

    Reader(String where) {
      this.where = where;
    }

    GraphFileException error(String path, String problem) {
      return new GraphFileException(where + ": graph JSON at " + path + ": " + problem);
    }

    JsonElement member(JsonObject o, String key, String path) {
      JsonElement e = o.get(key);
      if (e == null || e.isJsonNull()) {
        throw error(path, "missing '" + key + "'");
      }
      return e;
    }

    JsonObject object(JsonElement e, String path) {
      if (!e.isJsonObject()) {
        throw error(path, "expected an object, found " + e);
      }
      return e.getAsJsonObject();
    }

    JsonArray array(JsonObject o, String key, String path) {
      JsonElement e = member(o, key, path);
      if (!e.isJsonArray()) {
        throw error(path + "." + key, "expected a list, found " + e);
      }
      return e.getAsJsonArray();
    }

    String text(JsonElement e, String path) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw error(path, "expected a string, found " + e);
      }
      return e.getAsString();
    }

    String string(JsonObject o, String key, String path) {
      return text(member(o, key, path), path + "." + key);
    }

    long integer(JsonObject o, String key, String path) {
      return whole(member(o, key, path), path + "." + key);
    }

    long whole(JsonElement e, String path) {
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
        throw error(path, "expected an integer, found " + e);
      }
      try {
        return Long.parseLong(e.getAsString());
      } catch (NumberFormatException ex) {
        throw error(path, "expected an integer, found " + e);
      }
    }

    float decimal(JsonElement e, String path) {
      if (e.isJsonPrimitive()) {
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isNumber()) {
          return p.getAsFloat();
        }
        if (p.isString() && FLOAT_WORDS.contains(p.getAsString())) {
          return Float.parseFloat(p.getAsString());
        }
      }
      throw error(path, "expected a number (or \"NaN\", \"Infinity\", \"-Infinity\"), found " + e);
    }

    List<String> strings(JsonObject o, String key, String path) {
      JsonArray a = array(o, key, path);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        out.add(text(a.get(i), path + "." + key + "[" + i + "]"));
      }
      return out;
    }

    DType dtype(JsonObject o, String path) {
      String s = string(o, "dtype", path);
      for (DType t : DType.values()) {
        if (t.toString().equals(s)) {
          return t;
        }
      }
      throw error(path + ".dtype", "unknown dtype '" + s + "'; expected one of " + List.of(DType.values()));
    }

    Shape shape(JsonObject o, String path) {
      JsonArray a = array(o, "shape", path);
      long[] dims = new long[a.size()];
      for (int i = 0; i < dims.length; i++) {
        String at = path + ".shape[" + i + "]";
        dims[i] = whole(a.get(i), at);
        if (dims[i] < 0 && dims[i] != Shape.DYNAMIC) {
          throw error(at, "a dimension is a size >= 0 or " + Shape.DYNAMIC + " (dynamic), found " + dims[i]);
        }
      }
      return Shape.of(dims);
    }

    ParamRole role(JsonObject o, String path) {
      String s = string(o, "role", path);
      for (ParamRole role : ParamRole.values()) {
        if (role.name().toLowerCase(Locale.ROOT).equals(s)) {
          return role;
        }
      }
      List<String> known = new ArrayList<>();
      for (ParamRole role : ParamRole.values()) {
        known.add(role.name().toLowerCase(Locale.ROOT));
      }
      throw error(path + ".role", "unknown parameter role '" + s + "'; expected one of " + known);
    }

    List<ValueInfo> values(JsonObject g, String key) {
      JsonArray a = array(g, key, "$");
      List<ValueInfo> out = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        String at = "$." + key + "[" + i + "]";
        JsonObject v = object(a.get(i), at);
        out.add(new ValueInfo(string(v, "name", at), dtype(v, at), shape(v, at)));
      }
      return out;
    }

    Node node(JsonElement e, String path) {
      JsonObject n = object(e, path);
      String name = string(n, "name", path);
      String opName = string(n, "op", path);
      Op op = null;
      for (Op candidate : Op.values()) {
        if (candidate.irName().equals(opName)) {
          op = candidate;
        }
      }
      if (op == null) {
        throw error(path + ".op", "node '" + name + "' has op '" + opName + "', which IR version " + Op.IR_VERSION
            + " does not have");
      }
      Attributes.Builder attributes = Attributes.builder();
      JsonObject attrs = object(member(n, "attributes", path), path + ".attributes");
      for (Map.Entry<String, JsonElement> a : attrs.entrySet()) {
        attribute(attributes, a.getKey(), a.getValue(), path + ".attributes." + a.getKey());
      }
      return new Node(name, op, strings(n, "inputs", path), strings(n, "outputs", path), attributes.build());
    }

    void attribute(Attributes.Builder out, String name, JsonElement e, String path) {
      JsonObject o = object(e, path);
      if (o.size() != 1) {
        throw error(path, "an attribute is an object with one key naming its type (int, ints, float, floats, "
            + "string), found " + e);
      }
      Map.Entry<String, JsonElement> only = o.entrySet().iterator().next();
      AttrType type = null;
      for (AttrType t : AttrType.values()) {
        if (t.name().toLowerCase(Locale.ROOT).equals(only.getKey())) {
          type = t;
        }
      }
      if (type == null) {
        throw error(path, "unknown attribute type '" + only.getKey() + "'; expected int, ints, float, floats or "
            + "string");
      }
      JsonElement v = only.getValue();
      String at = path + "." + only.getKey();
      switch (type) {
        case INT:
          out.set(name, whole(v, at));
          break;
        case FLOAT:
          out.set(name, decimal(v, at));
          break;
        case STRING:
          out.set(name, text(v, at));
          break;
        case INTS: {
          JsonArray a = listOf(v, at);
          long[] values = new long[a.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = whole(a.get(i), at + "[" + i + "]");
          }
          out.set(name, values);
          break;
        }
        case FLOATS: {
          JsonArray a = listOf(v, at);
          float[] values = new float[a.size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = decimal(a.get(i), at + "[" + i + "]");
          }
          out.set(name, values);
          break;
        }
        default:
          throw new AssertionError(type);
      }
    }

    JsonArray listOf(JsonElement e, String path) {
      if (!e.isJsonArray()) {
        throw error(path, "expected a list, found " + e);
      }
      return e.getAsJsonArray();
    }
  }
}
