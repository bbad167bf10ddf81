package org.medvision.api.weights;

import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.medvision.api.tensor.Tensor;

/**
 * Encodes one {@link Weights} as safetensors: builds the header once, then streams it and the tensor data to a
 * channel or a buffer.
 */
final class SafetensorsWriter {
  private final Weights weights;
  private final byte[] header;

  SafetensorsWriter(Weights weights, String target) {
    this.weights = weights;
    this.header = encodeHeader(weights, target);
  }

  /** Size of the encoded file. */
  long totalBytes() {
    long total = 8L + header.length;
    for (Tensor t : weights.tensors().values()) {
      total += t.byteSize();
    }
    return total;
  }

  void writeTo(WritableByteChannel out) throws IOException {
    writeFully(out, prefix());
    for (Tensor t : weights.tensors().values()) {
      writeFully(out, t.data());
    }
  }

  void writeTo(ByteBuffer out) {
    out.put(prefix());
    for (Tensor t : weights.tensors().values()) {
      out.put(t.data());
    }
  }

  private ByteBuffer prefix() {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header);
    return b.flip();
  }

  private static void writeFully(WritableByteChannel out, ByteBuffer b) throws IOException {
    while (b.hasRemaining()) {
      out.write(b);
    }
  }

  private static byte[] encodeHeader(Weights weights, String target) {
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.beginObject();
      if (!weights.metadata().isEmpty()) {
        json.name(SafetensorsHeader.METADATA_KEY).beginObject();
        for (Map.Entry<String, String> m : weights.metadata().entrySet()) {
          if (m.getKey() == null || m.getValue() == null) {
            throw new WeightsFormatException(target, null, "metadata entry " + m.getKey() + "=" + m.getValue()
                + " has a null key or value");
          }
          json.name(m.getKey()).value(m.getValue());
        }
        json.endObject();
      }
      long offset = 0;
      for (Map.Entry<String, Tensor> e : weights.tensors().entrySet()) {
        String name = e.getKey();
        if (name == null || name.isEmpty() || SafetensorsHeader.METADATA_KEY.equals(name) || e.getValue() == null) {
          throw new WeightsFormatException(target, name, "cannot write a tensor with this name or no value");
        }
        Tensor t = e.getValue();
        json.name(name).beginObject();
        json.name("dtype").value(t.dtype().safetensorsCode());
        json.name("shape").beginArray();
        for (long d : t.shape().dims()) {
          json.value(d);
        }
        json.endArray();
        json.name("data_offsets").beginArray().value(offset).value(offset + t.byteSize()).endArray();
        json.endObject();
        offset += t.byteSize();
      }
      json.endObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string cannot fail", e);
    }
    byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
    // Like the reference implementation, pad with spaces so the data region starts 8-byte aligned.
    int padded = (utf8.length + 7) / 8 * 8;
    byte[] out = Arrays.copyOf(utf8, padded);
    Arrays.fill(out, utf8.length, padded, (byte) ' ');
    return out;
  }
}
