package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class ConnectedComponentsTest {
  /**
   * <pre>
   * 0 0 1 1
   * 1 0 0 1
   * 1 0 1 0
   * 1 0 0 0
   * </pre>
   */
  private static final boolean[] GRID = OverlapTest.mask(0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0);

  @Test
  void fourConnectivityKeepsDiagonalsApartAndNumbersInScanOrder() {
    ConnectedComponents c = ConnectedComponents.label(GRID, new int[] {4, 4}, Connectivity.FACE);
    assertEquals(3, c.count());
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 0, 0, 1, 2, 0, 3, 0, 2, 0, 0, 0}, c.labels());
    assertArrayEquals(new long[] {3, 3, 1}, c.sizes());
    assertEquals(1, c.size(3));
    assertEquals(3, c.labelAt(10));
  }

  @Test
  void eightConnectivityJoinsDiagonals() {
    ConnectedComponents c = ConnectedComponents.label(GRID, new int[] {4, 4}, Connectivity.FULL);
    assertEquals(2, c.count());
    // (2, 2) touches (1, 3) only at a corner.
    assertArrayEquals(new int[] {0, 0, 1, 1, 2, 0, 0, 1, 2, 0, 1, 0, 2, 0, 0, 0}, c.labels());
    assertArrayEquals(new long[] {4, 3}, c.sizes());
    assertArrayEquals(c.labels(), ConnectedComponents.label(GRID, new int[] {4, 4}, Connectivity.FACE_EDGE).labels());
  }

  @Test
  void threeDimensionalConnectivities() {
    // a = (0,0,0), b = (0,1,1) shares an edge with a, c = (1,2,2) only a corner with b, d = (2,2,2) a face with c.
    boolean[] mask = new boolean[27];
    mask[0] = true;
    mask[4] = true;
    mask[17] = true;
    mask[26] = true;
    int[] shape = {3, 3, 3};
    ConnectedComponents six = ConnectedComponents.label(mask, shape, Connectivity.FACE);
    assertEquals(3, six.count());
    assertEquals(1, six.labelAt(0));
    assertEquals(2, six.labelAt(4));
    assertEquals(3, six.labelAt(17));
    assertEquals(3, six.labelAt(26));
    ConnectedComponents eighteen = ConnectedComponents.label(mask, shape, Connectivity.FACE_EDGE);
    assertEquals(2, eighteen.count());
    assertArrayEquals(new long[] {2, 2}, eighteen.sizes());
    ConnectedComponents full = ConnectedComponents.label(mask, shape, Connectivity.FULL);
    assertEquals(1, full.count());
    assertEquals(4, full.size(1));
  }

  @Test
  void neighbourCounts() {
    assertEquals(4, Connectivity.FACE.neighbours(2));
    assertEquals(8, Connectivity.FULL.neighbours(2));
    assertEquals(8, Connectivity.FACE_EDGE.neighbours(2));
    assertEquals(6, Connectivity.FACE.neighbours(3));
    assertEquals(18, Connectivity.FACE_EDGE.neighbours(3));
    assertEquals(26, Connectivity.FULL.neighbours(3));
    assertEquals(2, Connectivity.FULL.neighbours(1));
  }

  @Test
  void rowsDoNotWrapAround() {
    // Voxels 2 and 3 are adjacent in memory but sit at (0, 2) and (1, 0).
    ConnectedComponents c = ConnectedComponents.label(OverlapTest.mask(0, 0, 1, 1, 0, 0), new int[] {2, 3},
        Connectivity.FULL);
    assertEquals(2, c.count());
  }

  @Test
  void emptyAndFullMasks() {
    assertEquals(0, ConnectedComponents.label(new boolean[8], new int[] {2, 2, 2}, Connectivity.FACE).count());
    boolean[] full = OverlapTest.mask(1, 1, 1, 1, 1, 1, 1, 1);
    ConnectedComponents c = ConnectedComponents.label(full, new int[] {2, 2, 2}, Connectivity.FACE);
    assertEquals(1, c.count());
    assertEquals(8, c.size(1));
    assertEquals(0, ConnectedComponents.label(new boolean[0], new int[] {0, 3}, Connectivity.FACE).count());
  }

  @Test
  void rejectsBadShapesAndLabels() {
    assertThrows(MedvisionException.class, () -> ConnectedComponents.label(new boolean[5], new int[] {2, 2},
        Connectivity.FACE));
    assertThrows(MedvisionException.class, () -> ConnectedComponents.label(new boolean[0], new int[0],
        Connectivity.FACE));
    ConnectedComponents c = ConnectedComponents.label(GRID, new int[] {4, 4}, Connectivity.FACE);
    assertThrows(MedvisionException.class, () -> c.size(0));
    assertThrows(MedvisionException.class, () -> c.size(4));
  }
}
