package org.medvision.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class BatchesTest {
  /** An example with a [1, 2, 3] image of values base, base + 1, ..., a class index and a scalar. */
  private static Example example(String id, float base, long label) {
    float[] v = new float[6];
    for (int i = 0; i < v.length; i++) {
      v[i] = base + i;
    }
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("image", Tensor.of(Shape.of(1, 2, 3), v));
    tensors.put("label", Tensor.ofLongs(Shape.scalar(), label));
    tensors.put("age", Tensor.of(Shape.scalar(), base));
    return new Example(id, null, "m.csv line " + id, tensors, Map.of());
  }

  @Test
  void collateStacksEveryKeyAlongANewBatchAxis() {
    Map<String, Tensor> b = Batches.collate(List.of(example("2", 0, 1), example("3", 10, 0), example("4", 20, 1)));
    assertEquals(Shape.of(3, 1, 2, 3), b.get("image").shape());
    assertEquals(DType.FLOAT32, b.get("image").dtype());
    float[] v = b.get("image").toFloatArray();
    assertEquals(0f, v[0]);
    assertEquals(15f, v[6 + 5]);
    assertEquals(20f, v[12]);
    assertEquals(Shape.of(3), b.get("label").shape());
    assertArrayEquals(new long[] {1, 0, 1}, b.get("label").toLongArray());
    assertArrayEquals(new float[] {0, 10, 20}, b.get("age").toFloatArray());
  }

  @Test
  void aBatchOfOneIsTheExampleWithABatchAxis() {
    Example only = example("2", 5, 1);
    Map<String, Tensor> b = Batches.collate(List.of(only));
    assertEquals(Shape.of(1, 1, 2, 3), b.get("image").shape());
    assertArrayEquals(only.tensor("image").toFloatArray(), b.get("image").toFloatArray());
    assertEquals(Shape.of(1), b.get("label").shape());
    assertArrayEquals(new long[] {1}, b.get("label").toLongArray());
    assertArrayEquals(new float[] {5}, b.get("age").toFloatArray());
  }

  @Test
  void rowsOfACollatedBatchAreTheExamplesAgain() {
    List<Example> examples = List.of(example("2", 0, 1), example("3", 10, 0));
    Map<String, Tensor> b = Batches.collate(examples);
    for (int i = 0; i < examples.size(); i++) {
      for (String key : List.of("image", "label", "age")) {
        assertTrue(examples.get(i).tensor(key).contentEquals(Batches.row(b.get(key), i)), key + " row " + i);
      }
    }
    assertEquals(Shape.scalar(), Batches.row(b.get("label"), 1).shape());
  }

  @Test
  void aMismatchNamesTheExampleAndTheKey() {
    Example odd = example("3", 0, 0).with("image", Tensor.zeros(DType.FLOAT32, Shape.of(1, 3, 2)));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> Batches.collate(List.of(example("2", 0, 1), odd)));
    assertTrue(e.getMessage().startsWith("m.csv line 3: 'image' is float32[1, 3, 2] but the batch's first example "
        + "(m.csv line 2) has float32[1, 2, 3]"), e.getMessage());
    Example wrongType = example("4", 0, 0).with("label", Tensor.ofInts(Shape.scalar(), 0));
    e = assertThrows(MedvisionException.class, () -> Batches.collate(List.of(example("2", 0, 1), wrongType)));
    assertTrue(e.getMessage().startsWith("m.csv line 4: 'label' is int32"), e.getMessage());
    Example lacking = new Example("5", null, "m.csv line 5", Map.of("image", example("5", 0, 0).tensor("image")),
        Map.of());
    e = assertThrows(MedvisionException.class, () -> Batches.collate(List.of(example("2", 0, 1), lacking)));
    assertTrue(e.getMessage().startsWith("m.csv line 5: 'label' is missing"), e.getMessage());
    assertEquals("cannot collate an empty batch",
        assertThrows(MedvisionException.class, () -> Batches.collate(List.of())).getMessage());
  }

  @Test
  void aRowOutsideTheBatchIsAnError() {
    Tensor batched = Batches.collate(List.of(example("2", 0, 1))).get("image");
    assertThrows(MedvisionException.class, () -> Batches.row(batched, 1));
    assertThrows(MedvisionException.class, () -> Batches.row(batched, -1));
    assertThrows(MedvisionException.class, () -> Batches.row(Tensor.of(Shape.scalar(), 1f), 0));
  }

  @Test
  void exampleTensorLookupNamesWhatItHas() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> example("2", 0, 1).tensor("mask"));
    assertEquals("m.csv line 2: example has no 'mask'; it has [image, label, age]", e.getMessage());
  }
}
