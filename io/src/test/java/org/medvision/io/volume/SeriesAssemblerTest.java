package org.medvision.io.volume;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.medvision.io.volume.Finding.Kind;
import org.medvision.io.volume.Finding.Severity;

/** Series assembly on synthetic slice records with hand-computed geometry. */
class SeriesAssemblerTest {
  private static final double[] AXIAL = {1, 0, 0, 0, 1, 0};

  /** A 3-column x 2-row slice whose pixels are all {@code value}. */
  private static SliceRecord slice(String series, int instance, double[] position, double[] orientation,
      double value) {
    return new SliceRecord(series, "1.2.3." + instance, OptionalInt.of(instance), position, orientation,
        new double[] {0.5, 0.8}, 2, 3, () -> filled(6, (float) value), "s" + instance + ".dcm", 1);
  }

  private static float[] filled(int n, float value) {
    float[] a = new float[n];
    Arrays.fill(a, value);
    return a;
  }

  private static List<SliceRecord> shuffled(List<SliceRecord> slices, long seed) {
    List<SliceRecord> copy = new ArrayList<>(slices);
    Collections.shuffle(copy, new Random(seed));
    return copy;
  }

  private static List<Kind> kinds(SeriesLayout layout) {
    return layout.findings().stream().map(Finding::kind).collect(Collectors.toList());
  }

  @Test
  void axialSeriesIsSortedAndSpacedFromPositions() {
    List<SliceRecord> slices = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      // Instance numbers run against the position order, so sorting must use positions.
      slices.add(slice("S", 10 - k, new double[] {-100, -80, 10 + 2.5 * k}, AXIAL, 10 - k));
    }
    SeriesLayout layout = new SeriesAssembler().layout(shuffled(slices, 7));
    assertEquals(List.of(), layout.findings());
    Volume v = layout.load();
    assertArrayEquals(new int[] {3, 2, 5}, v.dims());
    // Column spacing 0.8 along x, row spacing 0.5 along y, 2.5 mm between slices, origin at the lowest slice.
    Affine expected = Affine.ofRows(new double[][] {{0.8, 0, 0, -100}, {0, 0.5, 0, -80}, {0, 0, 2.5, 10}});
    assertEquals(0, expected.maxAbsDifference(v.affine()), 1e-12);
    for (int z = 0; z < 5; z++) {
      assertEquals(10 - z, v.get(2, 1, z), "slice " + z + " comes from instance " + (10 - z));
    }
  }

  @Test
  void obliqueSeriesMatchesThePs33PixelPositionEquation() {
    double c30 = Math.cos(Math.toRadians(30));
    double s30 = Math.sin(Math.toRadians(30));
    double[] orientation = {c30, s30, 0, 0, 0, -1};
    // Normal = row x column = (s30 * -1 - 0, 0 - c30 * -1, 0) = (-0.5, 0.866, 0).
    double[] normal = {-s30, c30, 0};
    double[] p0 = {12, -7, 40};
    List<SliceRecord> slices = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      double[] p = {p0[0] + 3 * k * normal[0], p0[1] + 3 * k * normal[1], p0[2]};
      slices.add(slice("S", k + 1, p, orientation, k));
    }
    SeriesLayout layout = new SeriesAssembler().layout(shuffled(slices, 3));
    assertFalse(layout.hasErrors());
    Volume v = layout.load();
    assertArrayEquals(new double[] {0.8, 0.5, 3}, v.spacing(), 1e-12);
    // PS3.3 C.7.6.2.1.1: P(column i, row j) = S + i * columnSpacing * rowCosine + j * rowSpacing * columnCosine.
    for (int k = 0; k < 4; k++) {
      double[] s = slices.get(k).imagePosition();
      for (int j = 0; j < 2; j++) {
        for (int i = 0; i < 3; i++) {
          double[] expected = {
            s[0] + i * 0.8 * orientation[0] + j * 0.5 * orientation[3],
            s[1] + i * 0.8 * orientation[1] + j * 0.5 * orientation[4],
            s[2] + i * 0.8 * orientation[2] + j * 0.5 * orientation[5]};
          assertArrayEquals(expected, v.voxelToWorld(i, j, k), 1e-9);
          assertArrayEquals(new double[] {i, j, k}, v.worldToVoxel(expected[0], expected[1], expected[2]), 1e-9);
        }
      }
      assertEquals(k, v.get(0, 0, k));
    }
  }

  @Test
  void gapIsReportedWithTheMissingCount() {
    List<SliceRecord> slices = new ArrayList<>();
    double[] z = {0, 2, 4, 8, 10};
    for (int k = 0; k < z.length; k++) {
      slices.add(slice("S", k + 1, new double[] {0, 0, z[k]}, AXIAL, k));
    }
    SeriesLayout layout = new SeriesAssembler().layout(slices);
    assertEquals(List.of(Kind.GAP), kinds(layout));
    Finding gap = layout.findings().get(0);
    assertEquals(Severity.WARNING, gap.severity());
    assertTrue(gap.message().contains("1 slices are missing"), gap.message());
    assertEquals(List.of("s3.dcm", "s4.dcm"), gap.sources());
    assertEquals(2, layout.load().spacing()[2], 1e-12);
  }

  @Test
  void nonUniformSpacingIsReported() {
    List<SliceRecord> slices = new ArrayList<>();
    double[] z = {0, 2, 4, 5.5, 7.5};
    for (int k = 0; k < z.length; k++) {
      slices.add(slice("S", k + 1, new double[] {0, 0, z[k]}, AXIAL, k));
    }
    SeriesLayout layout = new SeriesAssembler().layout(slices);
    assertEquals(List.of(Kind.NON_UNIFORM_SPACING), kinds(layout));
    assertTrue(layout.findings().get(0).message().contains("1.500 mm between s3.dcm and s4.dcm"),
        layout.findings().get(0).message());
    // Steps 2, 2.015, 1.985, 2 stay within 1 % of the median 2: uniform.
    List<SliceRecord> nearlyUniform = new ArrayList<>();
    double[] zz = {0, 2, 4.015, 6, 8};
    for (int k = 0; k < zz.length; k++) {
      nearlyUniform.add(slice("S", k + 1, new double[] {0, 0, zz[k]}, AXIAL, k));
    }
    assertEquals(List.of(), new SeriesAssembler().layout(nearlyUniform).findings());
  }

  @Test
  void duplicatePositionsKeepTheLowestInstance() {
    List<SliceRecord> slices = new ArrayList<>();
    for (int k = 0; k < 4; k++) {
      slices.add(slice("S", k + 1, new double[] {0, 0, 3 * k}, AXIAL, k + 1));
    }
    slices.add(slice("S", 9, new double[] {0, 0, 3}, AXIAL, 99));
    SeriesLayout layout = new SeriesAssembler().layout(shuffled(slices, 11));
    assertEquals(List.of(Kind.DUPLICATE_POSITION), kinds(layout));
    assertEquals(List.of("s9.dcm"), layout.findings().get(0).sources());
    Volume v = layout.load();
    assertEquals(4, v.nz());
    assertEquals(2, v.get(0, 0, 1), "instance 2 kept at z = 3, not instance 9");
  }

  @Test
  void gantryTiltShearsTheAffineSoSlicesKeepTheirPositions() {
    List<SliceRecord> slices = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      slices.add(slice("S", k + 1, new double[] {0, 0.5 * k, 2 * k}, AXIAL, k));
    }
    SeriesLayout layout = new SeriesAssembler().layout(slices);
    assertEquals(List.of(Kind.GANTRY_TILT), kinds(layout));
    // atan(0.5 / 2) = 14.036 degrees
    assertTrue(layout.findings().get(0).message().contains("14.036 degrees"), layout.findings().get(0).message());
    Volume v = layout.load();
    assertArrayEquals(new double[] {0, 0.5, 2}, v.affine().column(2), 1e-12);
    for (int k = 0; k < 5; k++) {
      assertArrayEquals(slices.get(k).imagePosition(), v.voxelToWorld(0, 0, k), 1e-12);
    }
  }

  @Test
  void mixedSizesAndOrientationsAreErrorsThatBlockTheVolume() {
    List<SliceRecord> slices = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      slices.add(slice("S", k + 1, new double[] {0, 0, k}, AXIAL, k));
    }
    slices.add(new SliceRecord("S", "1.2.3.9", OptionalInt.of(9), new double[] {0, 0, 3}, AXIAL,
        new double[] {0.5, 0.8}, 4, 4, () -> new float[16], "big.dcm", 1));
    SeriesLayout sizes = new SeriesAssembler().layout(slices);
    assertEquals(List.of(Kind.MIXED_SIZE), kinds(sizes));
    assertTrue(sizes.hasErrors());
    SeriesAssemblyException e = assertThrows(SeriesAssemblyException.class, sizes::load);
    assertTrue(e.getMessage().contains("big.dcm (4x4)"), e.getMessage());
    assertEquals(Kind.MIXED_SIZE, e.findings().get(0).kind());

    List<SliceRecord> turned = new ArrayList<>(slices.subList(0, 3));
    turned.add(slice("S", 4, new double[] {0, 0, 3}, new double[] {1, 0, 0, 0, 0, -1}, 3));
    SeriesLayout orientations = new SeriesAssembler().layout(turned);
    assertEquals(List.of(Kind.MIXED_ORIENTATION), kinds(orientations));
    assertTrue(orientations.affine().isEmpty());
  }

  @Test
  void multiFrameWithoutPositionsWarnsAndUsesAUnitAffine() {
    List<SliceRecord> frames = new ArrayList<>();
    for (int f = 3; f >= 1; f--) {
      int frame = f;
      frames.add(new SliceRecord("MF", "1.2.3.1", OptionalInt.of(1), null, null, new double[] {0.3, 0.4}, 2, 3,
          () -> filled(6, frame), "xa.dcm", frame));
    }
    SeriesLayout layout = new SeriesAssembler().layout(frames);
    assertEquals(List.of(Kind.MISSING_GEOMETRY), kinds(layout));
    assertEquals(Severity.WARNING, layout.findings().get(0).severity());
    Volume v = layout.load();
    assertEquals(Affine.diagonal(0.4, 0.3, 1, 0, 0, 0), v.affine());
    for (int z = 0; z < 3; z++) {
      assertEquals(z + 1, v.get(1, 1, z), "frames in frame-number order");
    }
    assertTrue(layout.findings().get(0).sources().contains("xa.dcm frame 2"));
  }

  @Test
  void singleImageIsASliceOfOneMillimetre() {
    SeriesLayout layout = new SeriesAssembler().layout(List.of(slice("S", 1, new double[] {5, 6, 7}, AXIAL, 1)));
    assertEquals(List.of(Kind.SINGLE_SLICE), kinds(layout));
    assertEquals(Severity.INFO, layout.findings().get(0).severity());
    Volume v = layout.load();
    assertEquals(Affine.ofRows(new double[][] {{0.8, 0, 0, 5}, {0, 0.5, 0, 6}, {0, 0, 1, 7}}), v.affine());
    SliceRecord bare = new SliceRecord("S", "1", OptionalInt.empty(), null, null, null, 2, 3,
        () -> new float[6], "sc.dcm", 1);
    SeriesLayout unplaced = new SeriesAssembler().layout(List.of(bare));
    assertEquals(List.of(Kind.MISSING_GEOMETRY), kinds(unplaced));
    assertEquals(Affine.identity(), unplaced.load().affine());
  }

  @Test
  void slicesAreGroupedBySeries() {
    List<SliceRecord> slices = new ArrayList<>();
    for (int k = 0; k < 3; k++) {
      slices.add(slice("B", k + 1, new double[] {0, 0, k}, AXIAL, k));
      slices.add(slice("A", k + 11, new double[] {0, 0, 2 * k}, AXIAL, k));
    }
    List<SeriesLayout> layouts = new SeriesAssembler().layouts(slices);
    assertEquals(List.of("B", "A"), layouts.stream().map(SeriesLayout::seriesInstanceUid)
        .collect(Collectors.toList()));
    assertEquals(2, layouts.get(1).load().spacing()[2], 1e-12);
  }

  @Test
  void pixelFailuresNameTheSlice() {
    SliceRecord shortPixels = new SliceRecord("S", "1", OptionalInt.of(1), new double[] {0, 0, 0}, AXIAL,
        new double[] {1, 1}, 2, 3, () -> new float[5], "short.dcm", 1);
    SeriesAssemblyException wrongLength = assertThrows(SeriesAssemblyException.class,
        () -> new SeriesAssembler().layout(List.of(shortPixels)).load());
    assertTrue(wrongLength.getMessage().contains("short.dcm supplied 5 pixels"), wrongLength.getMessage());
    SliceRecord unreadable = new SliceRecord("S", "1", OptionalInt.of(1), new double[] {0, 0, 0}, AXIAL,
        new double[] {1, 1}, 2, 3, () -> {
          throw new IOException("JPEG stream ends early");
        }, "broken.dcm", 2);
    SeriesAssemblyException io = assertThrows(SeriesAssemblyException.class,
        () -> new SeriesAssembler().layout(List.of(unreadable)).load());
    assertTrue(io.getMessage().contains("broken.dcm frame 2") && io.getMessage().contains("ends early"),
        io.getMessage());
  }
}
