package org.medvision.engine.onnx;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * Serialises lowered models: to a byte array, or to a file that appears atomically, with the parameter data in an
 * external {@code <file>.data} beside it when the model would not fit protobuf's 2 GiB message limit.
 */
final class OnnxModelWriter {
  /**
   * Parameter bytes above which a model is written with external data. Protobuf cannot serialise a message of 2 GiB
   * or more; the margin leaves room for the graph structure itself.
   */
  static final long EXTERNAL_DATA_THRESHOLD = 1_900_000_000L;

  /** Suffix of the external data file, appended to the model file's name. */
  static final String DATA_SUFFIX = ".data";

  private OnnxModelWriter() {}

  /** True when a model with these parameters must keep its data outside the protobuf message. */
  static boolean needsExternalData(Weights fitted, long threshold) {
    return OnnxLowering.parameterBytes(fitted) > threshold;
  }

  /**
   * The serialised model with every parameter inline.
   *
   * @throws EngineException if the parameters exceed {@code threshold} bytes, pointing to the file export
   */
  static byte[] toBytes(Graph graph, Weights fitted, long threshold) {
    long bytes = OnnxLowering.parameterBytes(fitted);
    if (bytes > threshold) {
      throw new EngineException("graph '" + graph.name() + "' has " + bytes + " bytes of parameters, more than the "
          + threshold + " an in-memory ONNX model may hold (protobuf's limit is 2 GiB); use "
          + "OnnxExporter.export(graph, weights, path), which stores them in <path>" + DATA_SUFFIX);
    }
    return OnnxLowering.lower(graph, fitted, OnnxLowering.INLINE).toByteArray();
  }

  /**
   * Writes the model to {@code out}, and its parameters to {@code out + ".data"} when they exceed {@code threshold}
   * bytes. Both files are written under temporary names in the target directory, forced to disk and then renamed
   * atomically, so readers never see a partial file; on failure the temporary files are removed. Two files cannot
   * be replaced in one step: the data file is renamed just before the model, so a crash between the two renames
   * can leave a previous model beside the new data.
   *
   * @return true when external data was written
   * @throws MedvisionException naming the path when the file system fails
   */
  static boolean write(Graph graph, Weights fitted, Path out, long threshold) {
    Path target = out.toAbsolutePath();
    Path dir = target.getParent();
    String fileName = target.getFileName().toString();
    boolean external = needsExternalData(fitted, threshold);
    if (Files.isDirectory(target)) {
      throw new MedvisionException("cannot write ONNX model of graph '" + graph.name() + "' to " + target
          + ": it is a directory");
    }
    Path tmpModel = null;
    Path tmpData = null;
    Path movedData = null;
    try {
      Files.createDirectories(dir);
      tmpModel = AtomicFiles.createSibling(target, "");
      OnnxMl.ModelProto model;
      if (external) {
        tmpData = AtomicFiles.createSibling(target, DATA_SUFFIX);
        try (FileChannel data = FileChannel.open(tmpData, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          model = OnnxLowering.lower(graph, fitted, new ExternalDataSink(data, fileName + DATA_SUFFIX));
          data.force(true);
        }
      } else {
        model = OnnxLowering.lower(graph, fitted, OnnxLowering.INLINE);
      }
      try (FileChannel ch = FileChannel.open(tmpModel, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        OutputStream os = Channels.newOutputStream(ch);
        model.writeTo(os);
        os.flush();
        ch.force(true);
      }
      if (external) {
        movedData = target.resolveSibling(fileName + DATA_SUFFIX);
        Files.move(tmpData, movedData, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        tmpData = null;
      }
      Files.move(tmpModel, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmpModel = null;
      movedData = null;
      return external;
    } catch (IOException | UncheckedIOException e) {
      // The data file is renamed first; if the model rename then fails, a data file without its model is useless.
      deleteQuietly(movedData);
      throw new MedvisionException("cannot write ONNX model of graph '" + graph.name() + "' to " + target + ": "
          + (e instanceof UncheckedIOException ? e.getCause() : e), e);
    } finally {
      deleteQuietly(tmpModel);
      deleteQuietly(tmpData);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // Best effort: the original failure (or success) is what the caller needs to hear about.
    }
  }

  /** Appends each initializer's bytes to one data file and records location, offset and length in the tensor. */
  private static final class ExternalDataSink implements OnnxLowering.InitializerSink {
    private final FileChannel channel;
    private final String location;
    private long offset;

    ExternalDataSink(FileChannel channel, String location) {
      this.channel = channel;
      this.location = location;
    }

    @Override
    public void store(TensorProto.Builder tensor, Tensor data) {
      ByteBuffer b = data.data();
      long length = b.remaining();
      try {
        while (b.hasRemaining()) {
          channel.write(b);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      tensor.setDataLocation(TensorProto.DataLocation.EXTERNAL)
          .addExternalData(entry("location", location))
          .addExternalData(entry("offset", Long.toString(offset)))
          .addExternalData(entry("length", Long.toString(length)));
      offset += length;
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
      return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
  }
}
