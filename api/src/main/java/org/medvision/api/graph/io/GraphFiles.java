package org.medvision.api.graph.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphValidationException;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsFormatException;

/**
 * Writes and reads {@code .graph} files: one graph of the IR and its weights in a single file.
 *
 * <p><b>Format, version {@value #FORMAT_VERSION}.</b> A {@code .graph} file is a valid {@code .safetensors} file.
 * Its tensors are the graph's parameters, named and ordered as the graph declares them. Its {@code __metadata__}
 * holds the graph:
 * <ul>
 *   <li>{@value #GRAPH_KEY}: the graph as JSON, an object with {@code name}, {@code ir_version} (the op set's
 *       {@link org.medvision.api.graph.Op#IR_VERSION}), {@code inputs} and {@code outputs} (lists of
 *       {@code {name, dtype, shape}}, dtype as {@code float32}..., -1 for a dynamic dimension), {@code parameters}
 *       ({@code {name, dtype, shape, role}}, role a lower-case {@link org.medvision.api.graph.ParamRole}),
 *       {@code nodes} in execution order ({@code {name, op, inputs, outputs, attributes}}, op the
 *       {@link org.medvision.api.graph.Op#irName()}, each attribute a one-key object naming its type:
 *       {@code {"ints": [1, 1]}}, {@code {"int": 1}}, {@code {"float": 1.0E-6}}, {@code {"floats": [...]}},
 *       {@code {"string": "none"}}; floats that are not finite as the strings NaN, Infinity, -Infinity) and
 *       {@code metadata} (string to string);</li>
 *   <li>{@value #VERSION_KEY}: the format version, a decimal string. Readers refuse a newer version than theirs;
 *       a later version may add fields, never change the meaning of these.</li>
 * </ul>
 * Other metadata entries are the weights' own and are kept.
 *
 * <p><b>Why one safetensors file.</b> A graph and its weights belong together; one file cannot be separated from its
 * other half or paired with the wrong one, which a {@code .json} beside a {@code .safetensors} can. Weights stay in a
 * format every deep-learning stack reads (Python's {@code safetensors.safe_open} opens a {@code .graph} file and sees
 * the parameters under their dotted names), with its strict, memory-mappable layout and the checks our
 * {@link Safetensors} reader already makes. The graph is kilobytes of JSON, so holding it in the header costs nothing
 * and keeps it readable with any JSON tool. ONNX was not chosen as our own format because it cannot express the
 * IR's ops that ONNX lacks (drop-path, the losses) or parameter roles.
 *
 * <p><b>Not stored:</b> parameter initializers, which are code. A graph read back gets, per role, the initializer
 * PyTorch layers use by default (ones for norm scales and running variances, zeros for biases and running means,
 * 1e-6 for layer scales, Kaiming-uniform for weights), which matters only when training the graph from scratch.
 */
public final class GraphFiles {
  /** The format version this build writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;
  /** The metadata key holding the graph JSON. */
  public static final String GRAPH_KEY = "medvision.graph";
  /** The metadata key holding the format version. */
  public static final String VERSION_KEY = "medvision.graph.version";
  /** The file name extension, by convention. */
  public static final String EXTENSION = ".graph";

  private GraphFiles() {}

  /**
   * Writes {@code graph} and {@code weights} to {@code file}, atomically (the file appears complete or not at all).
   *
   * @param weights must fit the graph exactly ({@link Weights#fitTo}); floats are stored in each parameter's dtype
   * @throws GraphFileException naming the file if the graph is invalid, the weights do not fit or it cannot be written
   */
  public static void write(Graph graph, Weights weights, Path file) {
    try {
      graph.validate();
    } catch (GraphValidationException e) {
      throw new GraphFileException("cannot write graph file " + file + ": " + e.getMessage(), e);
    }
    Weights fitted;
    try {
      fitted = weights.fitTo(graph);
    } catch (WeightMismatchException e) {
      throw new GraphFileException("cannot write graph file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> metadata = withoutReservedKeys(weights.metadata());
    metadata.put(VERSION_KEY, Integer.toString(FORMAT_VERSION));
    metadata.put(GRAPH_KEY, GraphJson.encode(graph));
    try {
      Safetensors.write(file, new Weights(fitted.tensors(), metadata, file.toString()));
    } catch (MedvisionException e) {
      throw new GraphFileException("cannot write graph file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a {@code .graph} file.
   *
   * @return the validated graph and its weights, which fit it
   * @throws GraphFileException naming the file when it is missing, not safetensors, holds no graph, has a newer
   *     format version, malformed graph JSON (with the JSON location), a graph breaking the IR's rules, or weights
   *     that do not fit the graph
   */
  public static GraphFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new GraphFileException("graph file " + file + " does not exist");
    }
    Weights raw;
    try {
      raw = Safetensors.read(file);
    } catch (WeightsFormatException e) {
      throw new GraphFileException(file + " is not a medvision graph file (a .graph file is a safetensors file): "
          + e.getMessage(), e);
    }
    String version = raw.metadata().get(VERSION_KEY);
    String json = raw.metadata().get(GRAPH_KEY);
    if (json == null || version == null) {
      throw new GraphFileException(file + " is a safetensors file without a graph (no '" + (json == null ? GRAPH_KEY
          : VERSION_KEY) + "' metadata): it holds only weights; write graph files with 'medvision import' or "
          + "GraphFiles.write");
    }
    int v;
    try {
      v = Integer.parseInt(version.trim());
    } catch (NumberFormatException e) {
      throw new GraphFileException(file + ": format version '" + version + "' is not a number", e);
    }
    if (v < 1 || v > FORMAT_VERSION) {
      throw new GraphFileException(file + ": graph file format version " + v + " is not readable; this build reads "
          + "versions 1 to " + FORMAT_VERSION + (v > FORMAT_VERSION ? " (the file was written by a newer medvision)"
          : ""));
    }
    Graph graph = GraphJson.decode(json, file.toString());
    try {
      graph.validate();
    } catch (GraphValidationException e) {
      throw new GraphFileException(file + ": " + e.getMessage(), e);
    }
    Weights fitted;
    try {
      fitted = raw.fitTo(graph);
    } catch (WeightMismatchException e) {
      throw new GraphFileException(file + ": the tensors do not fit the graph's parameters: " + e.getMessage(), e);
    }
    return new GraphFile(graph, new Weights(fitted.tensors(), withoutReservedKeys(raw.metadata()), file.toString()));
  }

  /** The graph as the JSON stored under {@value #GRAPH_KEY} (compact, one line). */
  public static String toJson(Graph graph) {
    return GraphJson.encode(graph);
  }

  /**
   * Parses graph JSON as stored under {@value #GRAPH_KEY} and validates the graph.
   *
   * @param source what to call the JSON in messages
   * @throws GraphFileException naming {@code source} and the JSON location or the IR rule broken
   */
  public static Graph fromJson(String json, String source) {
    Graph graph = GraphJson.decode(json, source);
    try {
      return graph.validate();
    } catch (GraphValidationException e) {
      throw new GraphFileException(source + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> withoutReservedKeys(Map<String, String> metadata) {
    Map<String, String> out = new LinkedHashMap<>(metadata);
    out.remove(GRAPH_KEY);
    out.remove(VERSION_KEY);
    return out;
  }
}
