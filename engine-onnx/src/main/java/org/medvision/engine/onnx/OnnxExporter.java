package org.medvision.engine.onnx;

import java.nio.file.Path;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.UnsupportedOpException;
import org.medvision.api.graph.Graph;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;

/**
 * Writes a graph and its weights as a standard ONNX model (ai.onnx opset 20, IR version 9) that any ONNX runtime
 * can load: node and value names are the IR's, parameters are initializers, dynamic input dimensions are symbolic
 * ({@code "N"} for the batch) and the graph's metadata become {@code metadata_props}. Loads nothing native.
 */
public final class OnnxExporter {
  private OnnxExporter() {}

  /**
   * Writes the model to {@code out}, atomically: a reader sees either the old file or the complete new one.
   *
   * <p>When the parameters exceed about 1.9 GB (protobuf cannot hold a 2 GiB message) they are stored as ONNX
   * external data in {@code out + ".data"} beside the model, which then needs that file to load.
   *
   * @throws WeightMismatchException if the weights do not fit the graph
   * @throws UnsupportedOpException if the graph uses an op ONNX cannot express
   * @throws MedvisionException naming the path if the file cannot be written
   */
  public static void export(Graph graph, Weights weights, Path out) {
    export(graph, weights, out, OnnxModelWriter.EXTERNAL_DATA_THRESHOLD);
  }

  /** {@link #export(Graph, Weights, Path)} with the external-data threshold as a parameter, for tests. */
  static boolean export(Graph graph, Weights weights, Path out, long externalDataThreshold) {
    return OnnxModelWriter.write(graph, weights.fitTo(graph), out, externalDataThreshold);
  }

  /**
   * The serialised ONNX model with every parameter inline.
   *
   * @throws WeightMismatchException if the weights do not fit the graph
   * @throws UnsupportedOpException if the graph uses an op ONNX cannot express
   * @throws EngineException if the parameters are too large for one protobuf message (use {@link #export} then)
   */
  public static byte[] toBytes(Graph graph, Weights weights) {
    return OnnxModelWriter.toBytes(graph, weights.fitTo(graph), OnnxModelWriter.EXTERNAL_DATA_THRESHOLD);
  }
}
