package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** The .npy reader against files built byte by byte from the format's description. */
class NpyFilesTest {
  /** A .npy file: magic, version, header padded with spaces to a multiple of 64 and ending in a newline, data. */
  static byte[] npy(int major, String header, byte[] data) {
    int prefix = major == 1 ? 10 : 12;
    int total = (prefix + header.length() + 1 + 63) / 64 * 64;
    String padded = header + " ".repeat(total - prefix - header.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
    if (major == 1) {
      len.putShort((short) padded.length());
    } else {
      len.putInt(padded.length());
    }
    out.writeBytes(len.array());
    out.writeBytes(padded.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  static byte[] floats(ByteOrder order, float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  @Test
  void readsLittleEndianFloat32InCOrder() {
    byte[] file = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        floats(ByteOrder.LITTLE_ENDIAN, 1, 2, 3, 4, 5, 6));
    Tensor t = NpyFiles.decode(file, "a.npy");
    assertEquals(Shape.of(2, 3), t.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
  }

  @Test
  void readsBigEndianFloat64AsFloat32AndVersion2Headers() {
    ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putDouble(0.1).putDouble(-2.5);
    Tensor t = NpyFiles.decode(npy(2, "{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", b.array()),
        "b.npy");
    assertEquals(DType.FLOAT32, t.dtype());
    assertArrayEquals(new float[] {0.1f, -2.5f}, t.toFloatArray());
  }

  @Test
  void readsIntegersBoolsAndScalars() {
    ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-3);
    Tensor l = NpyFiles.decode(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }",
        longs.array()), "l.npy");
    assertEquals(DType.INT64, l.dtype());
    assertArrayEquals(new long[] {7, -3}, l.toLongArray());
    Tensor bools = NpyFiles.decode(npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }",
        new byte[] {1, 0, 1}), "b.npy");
    assertEquals(DType.BOOL, bools.dtype());
    assertArrayEquals(new long[] {1, 0, 1}, bools.toLongArray());
    Tensor scalar = NpyFiles.decode(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
        floats(ByteOrder.LITTLE_ENDIAN, 4.5f)), "s.npy");
    assertEquals(Shape.scalar(), scalar.shape());
  }

  @Test
  void refusesWhatItCannotReadNamingTheFile() {
    MedvisionException notNpy = assertThrows(MedvisionException.class,
        () -> NpyFiles.decode("hello world".getBytes(StandardCharsets.US_ASCII), "x.npy"));
    assertTrue(notNpy.getMessage().startsWith("x.npy is not a NumPy .npy file"), notNpy.getMessage());
    MedvisionException fortran = assertThrows(MedvisionException.class, () -> NpyFiles.decode(npy(1,
        "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]), "f.npy"));
    assertTrue(fortran.getMessage().contains("f.npy: the array is in Fortran order"), fortran.getMessage());
    MedvisionException truncated = assertThrows(MedvisionException.class, () -> NpyFiles.decode(npy(1,
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", new byte[12]), "t.npy"));
    assertTrue(truncated.getMessage().contains("t.npy: shape [2, 2] of <f4 needs 16 data bytes but the file has 12"),
        truncated.getMessage());
    MedvisionException complex = assertThrows(MedvisionException.class, () -> NpyFiles.decode(npy(1,
        "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", new byte[8]), "c.npy"));
    assertTrue(complex.getMessage().contains("'<c8' is not one we read"), complex.getMessage());
  }
}
