package org.medvision.train;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.runtime.ModelCheckpoint;

/**
 * Reads and writes a training run's checkpoint files; {@link org.medvision.runtime.ModelCheckpoint} reads the model
 * part of a sidecar for everyone else. Every file is written to a hidden sibling and moved into place, so a reader
 * (or a crash) sees the old file or the new one, never half of one.
 */
public final class Checkpoints {
  private static final Gson GSON = new GsonBuilder()
      .setPrettyPrinting()
      .serializeNulls()
      .registerTypeAdapter(double.class, new FiniteOrNull())
      .registerTypeAdapter(Double.class, new FiniteOrNull())
      .create();

  private Checkpoints() {}

  /** Doubles as JSON numbers, with NaN and infinities as {@code null} (JSON has no such numbers); null reads as NaN. */
  private static final class FiniteOrNull extends TypeAdapter<Double> {
    @Override
    public void write(JsonWriter out, Double value) throws IOException {
      if (value == null || !Double.isFinite(value)) {
        out.nullValue();
      } else {
        out.value(value.doubleValue());
      }
    }

    @Override
    public Double read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.NULL) {
        in.nextNull();
        return Double.NaN;
      }
      return in.nextDouble();
    }
  }

  /**
   * Writes {@code weights} as safetensors into {@code file} atomically.
   *
   * @return the file's SHA-256
   */
  static String writeWeights(Path file, Weights weights) {
    byte[] bytes = Safetensors.toBytes(weights);
    writeAtomically(file, bytes);
    return WeightsDigest.sha256(bytes);
  }

  /** Writes {@code info} as JSON into {@code file} atomically. */
  static void writeInfo(Path file, CheckpointInfo info) {
    writeAtomically(file, (GSON.toJson(info) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** {@code info} as JSON text. */
  public static String toJson(CheckpointInfo info) {
    return GSON.toJson(info);
  }

  /**
   * Reads a sidecar.
   *
   * @throws MedvisionException naming the file if it is missing, not JSON, or not a {@value CheckpointInfo#FORMAT}
   *     sidecar
   */
  public static CheckpointInfo readInfo(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new MedvisionException("checkpoint sidecar not found: " + file, e);
    } catch (IOException e) {
      throw new MedvisionException("cannot read checkpoint sidecar " + file + ": " + e.getMessage(), e);
    }
    CheckpointInfo info;
    try {
      info = GSON.fromJson(text, CheckpointInfo.class);
    } catch (JsonParseException | IllegalArgumentException e) {
      throw new MedvisionException("checkpoint sidecar " + file + " is not valid JSON: " + e.getMessage(), e);
    }
    if (info != null && ModelCheckpoint.FORMAT_1.equals(info.format())) {
      throw new MedvisionException("checkpoint " + file + " was written by an earlier medvision (format "
          + info.format() + "); its model can be evaluated and used for prediction, but its run cannot be resumed");
    }
    if (info == null || !CheckpointInfo.FORMAT.equals(info.format())) {
      throw new MedvisionException("checkpoint sidecar " + file + " is not a " + CheckpointInfo.FORMAT
          + " file (format: " + (info == null ? "none" : info.format()) + ")");
    }
    if (info.taskConfig() == null || info.trainer() == null || info.task() == null) {
      throw new MedvisionException("checkpoint sidecar " + file + " lacks the task or trainer configuration");
    }
    return info;
  }

  /**
   * Reads the weights file a sidecar names and checks its SHA-256 against the sidecar's.
   *
   * @throws MedvisionException if the file is missing, damaged or not the one the sidecar describes
   */
  static Weights readVerified(Path file, String expectedSha256) {
    if (!Files.isRegularFile(file)) {
      throw new MedvisionException("checkpoint file not found: " + file);
    }
    String actual = WeightsDigest.sha256(file);
    if (expectedSha256 != null && !expectedSha256.equals(actual)) {
      throw new MedvisionException("checkpoint file " + file + " has SHA-256 " + actual + " but its sidecar records "
          + expectedSha256 + "; the file was changed or the checkpoint is incomplete");
    }
    return Safetensors.read(file);
  }

  /** Writes {@code bytes} into {@code file} atomically (see {@link AtomicFiles#write}). */
  static void writeAtomically(Path file, byte[] bytes) {
    try {
      AtomicFiles.write(file, bytes);
    } catch (IOException e) {
      throw new MedvisionException("cannot write checkpoint file " + file + ": " + e.getMessage(), e);
    }
  }
}
