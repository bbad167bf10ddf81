package org.medvision.dicom;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds hand-made explicit VR little endian streams for bad-input tests, byte by byte. */
final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A Part 10 start: zero preamble, DICM and a meta group with the given transfer syntax (null for none). */
  static Bytes part10(String transferSyntax) {
    Bytes b = new Bytes();
    b.raw(new byte[128]).raw("DICM".getBytes(StandardCharsets.US_ASCII));
    b.shortElement(0x00020001, "OB", new byte[] {0, 1});
    if (transferSyntax != null) {
      b.string(0x00020010, "UI", transferSyntax.length() % 2 == 0 ? transferSyntax : transferSyntax + "\0");
    }
    return b;
  }

  Bytes raw(byte[] bytes) {
    out.write(bytes, 0, bytes.length);
    return this;
  }

  Bytes u16(int value) {
    out.write(value & 0xFF);
    out.write(value >>> 8 & 0xFF);
    return this;
  }

  Bytes u32(long value) {
    return u16((int) (value & 0xFFFF)).u16((int) (value >>> 16 & 0xFFFF));
  }

  Bytes tag(int tag) {
    return u16(tag >>> 16).u16(tag & 0xFFFF);
  }

  /** An element header; long-form VRs get the reserved bytes and a 32-bit length. */
  Bytes header(int tag, String vr, long length) {
    tag(tag);
    raw(vr.getBytes(StandardCharsets.US_ASCII));
    if (VR.of(vr).orElseThrow().isLongLength()) {
      return u16(0).u32(length);
    }
    return u16((int) length);
  }

  Bytes shortElement(int tag, String vr, byte[] value) {
    return header(tag, vr, value.length).raw(value);
  }

  Bytes string(int tag, String vr, String value) {
    return shortElement(tag, vr, value.getBytes(StandardCharsets.US_ASCII));
  }

  byte[] toArray() {
    return out.toByteArray();
  }
}
