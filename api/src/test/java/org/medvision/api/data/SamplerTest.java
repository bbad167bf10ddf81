package org.medvision.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplerTest {
  /** A table of {@code n} rows with nothing but ids. */
  private static ExampleTable rows(int n) {
    return new ExampleTable() {
      @Override
      public int size() {
        return n;
      }

      @Override
      public String id(int row) {
        return "row" + row;
      }

      @Override
      public String patient(int row) {
        return null;
      }

      @Override
      public int[] labelsOf(int row, String field) {
        return label(row) < 0 ? new int[0] : new int[] {label(row)};
      }

      @Override
      public int label(int row) {
        return -1;
      }

      @Override
      public List<String> classes() {
        return List.of();
      }

      @Override
      public double attribute(int row, String name) {
        return Double.NaN;
      }

      @Override
      public String where(int row) {
        return id(row);
      }
    };
  }

  @Test
  void uniformVisitsEveryExampleOncePerEpochInAReproducibleOrder() {
    int[] first = Sampler.UNIFORM.epoch(rows(50), 7, 1);
    int[] sorted = first.clone();
    Arrays.sort(sorted);
    assertArrayEquals(IntStream.range(0, 50).toArray(), sorted);
    assertArrayEquals(first, Sampler.UNIFORM.epoch(rows(50), 7, 1));
    assertFalse(Arrays.equals(first, Sampler.UNIFORM.epoch(rows(50), 7, 2)));
    assertFalse(Arrays.equals(first, Sampler.UNIFORM.epoch(rows(50), 8, 1)));
    assertEquals("uniform", Sampler.UNIFORM.name());
    assertArrayEquals(new int[0], Sampler.UNIFORM.epoch(rows(0), 7, 1));
  }

  @Test
  void seedsAreMixedFromEveryPart() {
    assertEquals(Seeds.mix(3, 4), Seeds.mix(3, 4));
    assertNotEquals(Seeds.mix(3, 4), Seeds.mix(4, 3));
    assertNotEquals(Seeds.mix(3, 4), Seeds.mix(3, 5));
    assertArrayEquals(Seeds.shuffled(20, 1), Seeds.shuffled(20, 1));
    assertFalse(Arrays.equals(Seeds.shuffled(20, 1), Seeds.shuffled(20, 2)));
  }
}
