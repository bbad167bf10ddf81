package org.medvision.api.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Tensor;

/**
 * Reads and writes the {@code .safetensors} format: an 8-byte little-endian header length {@code N}, {@code N} bytes
 * of UTF-8 JSON naming each tensor's dtype, shape and byte range, then the data region those ranges index.
 *
 * <p>Reading checks every rule of the format (see {@link WeightsFormatException}) before building any tensor, so a
 * damaged file fails with a message naming the file and the tensor instead of yielding wrong weights. Files are read
 * tensor by tensor through a {@link FileChannel}, so a checkpoint larger than 2 GiB loads as long as each tensor is
 * smaller. Writing is atomic: the file appears complete or not at all.
 */
public final class Safetensors {
  /** Headers larger than this are refused: real headers are kilobytes, and the limit guards against bad lengths. */
  public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  /** Tensors at least this large are memory-mapped instead of read, to avoid a second transient heap copy. */
  private static final int MAP_THRESHOLD = 1 << 20;

  private Safetensors() {
  }

  /**
   * Reads a safetensors file.
   *
   * @return the tensors ordered by where their data lies in the file, the {@code __metadata__} strings, and the
   *     file path as the source
   * @throws WeightsFormatException if the file breaks the format, naming the file and the tensor
   * @throws MedvisionException if the file cannot be read
   */
  public static Weights read(Path file) {
    String source = file.toString();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return decode(new ChannelSource(channel), source);
    } catch (NoSuchFileException e) {
      throw new MedvisionException("safetensors file " + source + " does not exist", e);
    } catch (IOException e) {
      throw new MedvisionException("cannot read safetensors file " + source + ": " + e, e);
    }
  }

  /**
   * Parses safetensors bytes held in memory.
   *
   * @param bytes a whole safetensors file
   * @param source what to call these bytes in messages and in the result
   * @throws WeightsFormatException if the bytes break the format
   */
  public static Weights fromBytes(byte[] bytes, String source) {
    try {
      return decode(new ArraySource(bytes), source);
    } catch (IOException e) {
      throw new AssertionError("reading a byte array cannot fail", e);
    }
  }

  /**
   * Writes {@code weights} as a safetensors file, tensors in the map's order, with a {@code __metadata__} entry when
   * there is metadata. The data goes to a temporary file in the same directory that then replaces {@code file}
   * atomically, so readers never see a partial file and a failure leaves no debris.
   *
   * @throws MedvisionException if the weights cannot be encoded (see {@link #toBytes}) or the file not written
   */
  public static void write(Path file, Weights weights) {
    SafetensorsWriter writer = new SafetensorsWriter(weights, file.toString());
    Path temp = null;
    try {
      temp = AtomicFiles.createSibling(file, "");
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        writer.writeTo(out);
        out.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (IOException e) {
      throw new MedvisionException("cannot write safetensors file " + file + ": " + e, e);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /**
   * Encodes {@code weights} exactly as {@link #write} would.
   *
   * @throws MedvisionException if the encoding would exceed a Java array (2 GiB) or a name or value is invalid
   */
  public static byte[] toBytes(Weights weights) {
    SafetensorsWriter writer = new SafetensorsWriter(weights, weights.source());
    long total = writer.totalBytes();
    if (total > Integer.MAX_VALUE - 8) {
      throw new MedvisionException("weights " + weights.source() + " need " + total
          + " bytes as safetensors, more than fits in one array; write them to a file instead");
    }
    ByteBuffer buffer = ByteBuffer.allocate((int) total);
    writer.writeTo(buffer);
    return buffer.array();
  }

  private static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException ignored) {
      // The original failure is what the caller needs to see; a leftover temp file is named by its dot prefix.
    }
  }

  private static Weights decode(ByteSource in, String source) throws IOException {
    long size = in.size();
    if (size < 8) {
      throw new WeightsFormatException(source, null, "file is " + size
          + " bytes, shorter than the 8-byte header length; it is truncated or not a safetensors file");
    }
    long headerLength = in.read(0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
      throw new WeightsFormatException(source, null, "header length " + Long.toUnsignedString(headerLength)
          + " exceeds the " + MAX_HEADER_BYTES + "-byte limit; this is not a safetensors file or it is damaged");
    }
    if (headerLength > size - 8) {
      throw new WeightsFormatException(source, null, "header length " + headerLength + " is larger than the "
          + (size - 8) + " bytes after the length field; the file is truncated");
    }
    String json;
    try {
      json = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(in.read(8, (int) headerLength))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WeightsFormatException(source, null, "header is not valid UTF-8", e);
    }
    SafetensorsHeader header = SafetensorsHeader.parse(json, source);
    long dataStart = 8 + headerLength;
    header.checkLayout(size - dataStart, source);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    for (SafetensorsHeader.Entry e : header.entriesInDataOrder()) {
      if (e.byteLength() > Integer.MAX_VALUE - 8) {
        throw new WeightsFormatException(source, e.name(), "tensor has " + e.byteLength()
            + " bytes; tensors of 2 GiB or more are not supported");
      }
      ByteBuffer data = in.read(dataStart + e.begin(), (int) e.byteLength());
      tensors.put(e.name(), Tensor.fromBytes(e.dtype(), e.shape(), data));
    }
    return new Weights(tensors, header.metadata(), source);
  }

  /** Random access to the bytes of a file or an array. */
  private interface ByteSource {
    long size() throws IOException;

    /** The {@code length} bytes at {@code position}, which the caller has checked lie within {@link #size()}. */
    ByteBuffer read(long position, int length) throws IOException;
  }

  private static final class ChannelSource implements ByteSource {
    private final FileChannel channel;

    ChannelSource(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public ByteBuffer read(long position, int length) throws IOException {
      if (length >= MAP_THRESHOLD) {
        return channel.map(FileChannel.MapMode.READ_ONLY, position, length);
      }
      ByteBuffer buffer = ByteBuffer.allocate(length);
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          throw new IOException("unexpected end of file at byte " + (position + buffer.position()));
        }
      }
      return buffer.flip();
    }
  }

  private static final class ArraySource implements ByteSource {
    private final byte[] bytes;

    ArraySource(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public ByteBuffer read(long position, int length) {
      return ByteBuffer.wrap(bytes, (int) position, length).slice();
    }
  }
}
