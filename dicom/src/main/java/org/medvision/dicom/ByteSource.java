package org.medvision.dicom;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Random access to the bytes a data set was parsed from: an open file channel or an in-memory array. */
interface ByteSource extends Closeable {
  /** Total number of bytes. */
  long size() throws IOException;

  /** Reads exactly {@code length} bytes at {@code position}; fails when the source ends first. */
  void read(long position, byte[] destination, int offset, int length) throws IOException;

  /** A human-readable name for messages (the file path or "memory"). */
  String name();

  /** Opens a file for reading; the caller closes it. */
  static ByteSource open(Path file) throws IOException {
    return new FileSource(file, FileChannel.open(file, StandardOpenOption.READ));
  }

  /** Wraps an array without copying. */
  static ByteSource of(byte[] bytes, String name) {
    return new MemorySource(bytes, name);
  }

  /** A file channel source. */
  final class FileSource implements ByteSource {
    private final Path file;
    private final FileChannel channel;

    FileSource(Path file, FileChannel channel) {
      this.file = file;
      this.channel = channel;
    }

    Path file() {
      return file;
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public void read(long position, byte[] destination, int offset, int length) throws IOException {
      ByteBuffer buffer = ByteBuffer.wrap(destination, offset, length);
      long at = position;
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, at);
        if (n < 0) {
          throw new IOException(file + ": unexpected end of file at offset " + at);
        }
        at += n;
      }
    }

    @Override
    public String name() {
      return file.toString();
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /** An in-memory source (byte-array input, or the inflated form of a deflated data set). */
  final class MemorySource implements ByteSource {
    private final byte[] bytes;
    private final String name;

    MemorySource(byte[] bytes, String name) {
      this.bytes = bytes;
      this.name = name;
    }

    byte[] bytes() {
      return bytes;
    }

    @Override
    public long size() {
      return bytes.length;
    }

    @Override
    public void read(long position, byte[] destination, int offset, int length) throws IOException {
      if (position < 0 || position + length > bytes.length) {
        throw new IOException(name + ": read of " + length + " bytes at offset " + position + " is past the end ("
            + bytes.length + " bytes)");
      }
      System.arraycopy(bytes, (int) position, destination, offset, length);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void close() {
      // Nothing to release.
    }
  }
}
