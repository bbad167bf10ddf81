package org.medvision.dicom.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.medvision.dicom.VR;

/**
 * Hand-made byte streams for tests: byte literals written as unsigned numbers ({@link #of(int...)}), joined arrays
 * ({@link #concat(byte[]...)}), and a builder of explicit VR little endian element streams ({@link #part10(String)}
 * and the instance methods), byte by byte, so that bad input can be made exactly.
 */
public final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** An empty builder. */
  public Bytes() {}

  /** Each value's low 8 bits as one byte, so that 0xFF can be written without a cast. */
  public static byte[] of(int... values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) values[i];
    }
    return out;
  }

  /** The arrays back to back. */
  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      joined.write(part, 0, part.length);
    }
    return joined.toByteArray();
  }

  /** A Part 10 start: zero preamble, DICM and a meta group with the given transfer syntax (null for none). */
  public static Bytes part10(String transferSyntax) {
    Bytes b = new Bytes();
    b.raw(new byte[128]).raw("DICM".getBytes(StandardCharsets.US_ASCII));
    b.shortElement(0x00020001, "OB", new byte[] {0, 1});
    if (transferSyntax != null) {
      b.string(0x00020010, "UI", transferSyntax.length() % 2 == 0 ? transferSyntax : transferSyntax + "\0");
    }
    return b;
  }

  /** Appends bytes as they are. */
  public Bytes raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  /** Appends a 16-bit value, little endian. */
  public Bytes u16(int value) {
    out.write(value & 0xFF);
    out.write(value >>> 8 & 0xFF);
    return this;
  }

  /** Appends a 32-bit value, little endian. */
  public Bytes u32(long value) {
    return u16((int) (value & 0xFFFF)).u16((int) (value >>> 16 & 0xFFFF));
  }

  /** Appends a tag: group, then element, each little endian. */
  public Bytes tag(int tag) {
    return u16(tag >>> 16).u16(tag & 0xFFFF);
  }

  /** An element header; long-form VRs get the reserved bytes and a 32-bit length. */
  public Bytes header(int tag, String vr, long length) {
    tag(tag);
    raw(vr.getBytes(StandardCharsets.US_ASCII));
    if (VR.of(vr).orElseThrow().isLongLength()) {
      return u16(0).u32(length);
    }
    return u16((int) length);
  }

  /** A whole element with a short-form header. */
  public Bytes shortElement(int tag, String vr, byte[] value) {
    return header(tag, vr, value.length).raw(value);
  }

  /** A whole element whose value is the ASCII bytes of {@code value}, unpadded. */
  public Bytes string(int tag, String vr, String value) {
    return shortElement(tag, vr, value.getBytes(StandardCharsets.US_ASCII));
  }

  /** The bytes written so far. */
  public byte[] toArray() {
    return out.toByteArray();
  }
}
