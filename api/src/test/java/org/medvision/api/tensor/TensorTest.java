package org.medvision.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class TensorTest {
  @Test
  void floatDataIsLittleEndianAndCopied() {
    float[] values = {1f, -2.5f, 3f, 0f, 7f, 8f};
    Tensor t = Tensor.ofFloats(values, 2, 3);
    values[0] = 99f;
    assertEquals(Shape.of(2, 3), t.shape());
    assertArrayEquals(new float[] {1f, -2.5f, 3f, 0f, 7f, 8f}, t.toFloatArray());
    ByteBuffer b = ByteBuffer.wrap(t.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(-2.5f, b.getFloat(4));
    assertEquals(24, t.byteSize());
  }

  @Test
  void everyDtypeConvertsToFloats() {
    Shape s = Shape.of(3);
    assertArrayEquals(new float[] {1, 2, 3}, Tensor.ofLongs(s, 1, 2, 3).toFloatArray());
    assertArrayEquals(new float[] {-1, 0, 5}, Tensor.ofInts(s, -1, 0, 5).toFloatArray());
    assertArrayEquals(new float[] {0, 128, 255}, Tensor.ofUint8(s, (byte) 0, (byte) 128, (byte) 255).toFloatArray());
    assertArrayEquals(new float[] {1, 0, 1}, Tensor.ofBooleans(s, true, false, true).toFloatArray());
    float[] v = {0.5f, -1.25f, 1024f};
    assertArrayEquals(v, Tensor.fromFloats(DType.FLOAT16, s, v).toFloatArray());
    assertArrayEquals(v, Tensor.fromFloats(DType.BFLOAT16, s, v).toFloatArray());
  }

  @Test
  void conversionBetweenDtypes() {
    Tensor f = Tensor.ofFloats(new float[] {1.5f, -2f}, 2);
    Tensor h = f.to(DType.FLOAT16);
    assertEquals(DType.FLOAT16, h.dtype());
    assertEquals(4, h.byteSize());
    assertTrue(h.to(DType.FLOAT32).contentEquals(f));
    assertArrayEquals(new long[] {7, 9}, Tensor.ofInts(Shape.of(2), 7, 9).to(DType.INT64).toLongArray());
  }

  @Test
  void badShapesAndCountsAreRejectedWithTheShapeInTheMessage() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> Tensor.ofFloats(new float[5], 2, 3));
    assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    assertThrows(MedvisionException.class, () -> Tensor.zeros(DType.FLOAT32, Shape.of(-1, 3)));
    assertThrows(MedvisionException.class, () -> Tensor.fromBytes(DType.FLOAT32, Shape.of(2), new byte[7]));
    assertThrows(MedvisionException.class, () -> Tensor.ofFloats(new float[6], 2, 3).reshape(Shape.of(4)));
    assertThrows(MedvisionException.class, () -> Tensor.ofFloats(new float[] {1.5f}, 1).toLongArray());
  }

  @Test
  void writeAdoptsWhatTheWriterPutsWhereverItLeavesTheBuffer() {
    Tensor t = Tensor.write(DType.FLOAT32, Shape.of(2, 2), b -> {
      assertEquals(16, b.remaining());
      assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
      b.putFloat(1f).putFloat(2f).putFloat(3f); // the last value stays zero and the position is left at 12
    });
    assertArrayEquals(new float[] {1, 2, 3, 0}, t.toFloatArray());
    assertEquals(16, t.byteSize());
    assertTrue(t.data().isReadOnly());
    assertThrows(MedvisionException.class, () -> Tensor.write(DType.FLOAT32, Shape.of(-1, 2), b -> { }));
  }

  @Test
  void reshapeSharesNothingMutableAndKeepsValues() {
    Tensor t = Tensor.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).reshape(Shape.of(3, 2));
    assertEquals(Shape.of(3, 2), t.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
  }

  @Test
  void shapeRendersDynamicDimensionsAndNormalizesAxes() {
    Shape s = Shape.of(-1, 3, 224, 224);
    assertEquals("[N, 3, 224, 224]", s.toString());
    assertEquals(3, s.normalizeAxis(-1));
    assertTrue(s.isCompatibleWith(Shape.of(8, 3, 224, 224)));
    assertThrows(MedvisionException.class, s::size);
    assertThrows(MedvisionException.class, () -> s.normalizeAxis(4));
  }
}
