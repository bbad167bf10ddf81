package org.medvision.io.synth.chest;

import java.util.SplittableRandom;

/**
 * The plan of one case (one scan) of a synthetic set: who it belongs to, what it shows and how big its infection is.
 * Everything about the scan follows from these values alone, so any case can be drawn again by itself.
 *
 * @param caseId file stem, e.g. {@code case_0001}
 * @param patientId e.g. {@code p0001}; shared by a patient's scans
 * @param patientIndex 0-based patient number, in planning order
 * @param scanNumber 1 for a first scan, 2 for a follow-up
 * @param diagnosis the class, the same for all of a patient's scans
 * @param targetRatio the share of lung voxels the infection covers
 * @param infectionMaskMissing whether the set leaves this case's infection mask out, as real sets sometimes do
 * @param patientSeed seed of the patient's generator (anatomy)
 * @param scanSeed seed of the scan's generator (geometry, placement, lesions, noise)
 */
public record ChestCtCase(String caseId, String patientId, int patientIndex, int scanNumber, ChestCtClass diagnosis,
    double targetRatio, boolean infectionMaskMissing, long patientSeed, long scanSeed) {
  /** Draws this case with {@code phantom}. */
  public ChestCtScan draw(ChestCtPhantom phantom) {
    return phantom.generate(diagnosis, targetRatio, new SplittableRandom(patientSeed), new SplittableRandom(scanSeed));
  }
}
