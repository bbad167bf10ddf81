package org.medvision.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.medvision.io.synth.chest.ChestCtClass;
import org.medvision.io.synth.chest.ChestCtDataset;
import org.medvision.io.synth.chest.ChestCtManifest;

/**
 * The few lines {@code synth --kind chest-ct} prints about the set it wrote: scans per class with their infection
 * ratio quartiles, patients and follow-ups, missing masks, time, and where things are.
 */
final class ChestCtSummary {
  private static final double[] QUANTILES = {0, 0.25, 0.5, 0.75, 1};

  private final ChestCtDataset.Result result;
  private final String format;
  private final int size;

  ChestCtSummary(ChestCtDataset.Result result, String format, int size) {
    this.result = result;
    this.format = format;
    this.size = size;
  }

  void print(PrintStream out) {
    int count = result.entries().size();
    out.println(String.format(Locale.ROOT, "wrote %d chest CT scans (%s) of %dx%dx%d to %s in %.1f s (seed %d)",
        count, format.equals("dicom") ? "DICOM series" : "NIfTI", size, size, size / 2, result.out(),
        result.elapsedNanos() / 1e9, result.seed()));
    out.println("  infection ratio (infected / lung voxels): min, quartiles, max");
    for (ChestCtClass c : ChestCtClass.values()) {
      int n = result.perClass().get(c);
      double[] q = result.ratioQuantiles(c, QUANTILES);
      out.println(String.format(Locale.ROOT, "  %-5s %4d scans  %.3f  %.3f  %.3f  %.3f  %.3f", c.label(), n, q[0],
          q[1], q[2], q[3], q[4]));
    }
    long patients = result.patients();
    out.println("  " + patients + " patients, " + (count - patients) + " with a follow-up scan (split by patient_id); "
        + result.missingMasks() + " scans without an infection mask");
    out.println("manifest: " + result.manifest() + " (" + ChestCtManifest.HEADER + ")");
    out.println("CT: " + result.out().resolve("ct") + (format.equals("dicom") ? "/<case>/" : "/<case>.nii.gz")
        + ", masks: " + result.out().resolve("masks") + "/<case>_lung.nii.gz, <case>_infection.nii.gz");
  }
}
