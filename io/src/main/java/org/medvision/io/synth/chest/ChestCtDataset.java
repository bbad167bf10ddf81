package org.medvision.io.synth.chest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;






import org.medvision.api.MedvisionException;
import org.medvision.io.ProgressListener;
import org.medvision.io.nifti.NiftiDataType;
import org.medvision.io.nifti.NiftiWriter;
import org.medvision.io.synth.ParallelCases;
import org.medvision.io.synth.StagedFolder;
import org.medvision.io.volume.Volume;

/**
 * Writes a synthetic 3-D chest CT set for COVID-19 vs CAP classification with lung and infection masks.
 *
 * <p>Layout under {@code out}:
 * <ul>
 *   <li>{@code ct/case_0001.nii.gz}: the CT in HU as NIfTI-1, int16 with {@code scl_slope} 1 and {@code scl_inter} 0
 *       (values are whole HU), LPS affine stored as RAS sform and qform; or, for {@code dicom}, the folder
 *       {@code ct/case_0001/} of one CT Image Storage file per slice ({@link ChestCtDicomSeries});</li>
 *   <li>{@code masks/case_0001_lung.nii.gz} and {@code masks/case_0001_infection.nii.gz}: uint8 0/1 on exactly the
 *       CT's grid and affine (for DICOM, the grid and affine {@link org.medvision.io.volume.SeriesAssembler} builds
 *       from the series); the infection mask is missing for the scans {@link ChestCtCohort} marks so;</li>
 *   <li>{@code manifest.csv} ({@link ChestCtManifest}).</li>
 * </ul>
 * Scans are planned by {@link ChestCtCohort} and drawn by {@link ChestCtPhantom}; each depends only on its plan, so
 * they are drawn on up to four threads and the same seed still gives the same bytes. The set is written into a hidden
 * folder beside {@code out} (missing parent folders are created) and renamed into place at the end: a failure leaves
 * nothing behind, and a non-empty {@code out} is replaced only with {@code force}, after the new set is complete.
 */
public final class ChestCtDataset {
  /** The fewest scans: enough for both classes, follow-ups and a missing mask to be likely. */
  public static final int MIN_COUNT = 10;
  /** Output formats of the CT: NIfTI, or DICOM series. */
  public static final List<String> FORMATS = List.of("nifti", "dicom");
  /** Name of the manifest inside the output folder. */
  public static final String MANIFEST = "manifest.csv";

  private static final int MAX_THREADS = 4;

  private ChestCtDataset() {}

  /**
   * One written scan.
   *
   * @param plan what was planned
   * @param row its manifest row
   * @param infectionRatio infected over lung voxels, as drawn (also for a scan whose mask was left out)
   * @param geometry its grid
   */
  public record Entry(ChestCtCase plan, ChestCtManifest.Row row, double infectionRatio, ScanGeometry geometry) {}

  /**
   * What was written.
   *
   * @param out the output folder
   * @param manifest the manifest file
   * @param entries the scans, in manifest order
   * @param seed the seed used
   * @param elapsedNanos how long writing took
   */
  public record Result(Path out, Path manifest, List<Entry> entries, long seed, long elapsedNanos) {
    /** Scans per class, COVID-19 first. */
    public Map<ChestCtClass, Integer> perClass() {
      Map<ChestCtClass, Integer> out = new EnumMap<>(ChestCtClass.class);
      for (ChestCtClass c : ChestCtClass.values()) {
        out.put(c, 0);
      }
      for (Entry e : entries) {
        out.merge(e.plan().diagnosis(), 1, Integer::sum);
      }
      return out;
    }

    /** Number of distinct patients. */
    public long patients() {
      return entries.stream().map(e -> e.plan().patientId()).distinct().count();
    }

    /** Number of scans without an infection mask. */
    public long missingMasks() {
      return entries.stream().filter(e -> e.row().infectionMask().isEmpty()).count();
    }

    /**
     * The infection ratios of class {@code c} at quantiles {@code q} (each in [0, 1], nearest rank); NaN for each
     * when the class has no scans.
     */
    public double[] ratioQuantiles(ChestCtClass c, double... q) {
      double[] ratios = entries.stream().filter(e -> e.plan().diagnosis() == c).mapToDouble(Entry::infectionRatio)
          .sorted().toArray();
      double[] out = new double[q.length];
      for (int i = 0; i < q.length; i++) {
        out[i] = ratios.length == 0 ? Double.NaN
            : ratios[(int) Math.min(ratios.length - 1, Math.max(0, Math.ceil(q[i] * ratios.length) - 1))];
      }
      return out;
    }
  }

  /**
   * Writes {@code count} scans of {@code size x size x size / 2} voxels into {@code out}.
   *
   * @param format one of {@link #FORMATS}
   * @param force replace a non-empty {@code out}
   * @param progress told after each scan (scans done, count), from the thread that finished it, one call at a time
   * @throws MedvisionException if the count is below {@link #MIN_COUNT}, the size outside
   *     {@link ChestCtPhantom#MIN_SIZE}..{@link ChestCtPhantom#MAX_SIZE}, the format unknown, {@code out} is a file
   *     or a non-empty folder without {@code force}, or writing fails (nothing but created parent folders is left
   *     then)
   */
  public static Result generate(Path out, int count, int size, long seed, String format, boolean force,
      ProgressListener progress) {
    long started = System.nanoTime();
    if (!FORMATS.contains(format)) {
      throw new MedvisionException("unknown chest CT format '" + format + "'; formats: " + String.join(", ", FORMATS));
    }
    if (count < MIN_COUNT) {
      throw new MedvisionException("a synthetic chest CT set needs at least " + MIN_COUNT + " scans, got " + count);
    }
    ChestCtPhantom phantom = new ChestCtPhantom(size);
    List<ChestCtCase> plan = ChestCtCohort.plan(count, seed);
    StagedFolder folder = StagedFolder.open(out, force);
    try {
      Path staging = folder.path();
      Files.createDirectory(staging.resolve("ct"));
      Files.createDirectory(staging.resolve("masks"));
      List<Entry> entries = writeAll(staging, plan, phantom, format, seed, progress);
      List<ChestCtManifest.Row> rows = entries.stream().map(Entry::row).toList();
      ChestCtManifest.write(staging.resolve(MANIFEST), rows);
      folder.publish();
      return new Result(folder.target(), folder.target().resolve(MANIFEST), entries, seed,
          System.nanoTime() - started);
    } catch (IOException e) {
      folder.discardAfter(e);
      throw new MedvisionException("cannot write the set into " + folder.target() + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      folder.discardAfter(e);
      throw e;
    }
  }

  private static List<Entry> writeAll(Path staging, List<ChestCtCase> plan, ChestCtPhantom phantom, String format,
      long seed, ProgressListener progress) {
    return ParallelCases.run(plan.size(), MAX_THREADS, "chest-ct-synth", "chest CT set", progress,
        i -> writeCase(staging, plan.get(i), phantom, format, seed));
  }

  /** Draws and writes one scan; returns its entry with paths relative to the set's folder. */
  private static Entry writeCase(Path root, ChestCtCase c, ChestCtPhantom phantom, String format, long seed) {
    ChestCtScan scan = c.draw(phantom);
    String ct;
    if (format.equals("dicom")) {
      ct = "ct/" + c.caseId();
      new ChestCtDicomSeries(seed).write(root.resolve(ct), c, scan);
    } else {
      ct = "ct/" + c.caseId() + ".nii.gz";
      NiftiWriter.nifti1().withDataType(NiftiDataType.INT16).withDescription("medvision synthetic chest CT, HU")
          .write(scan.ct(), root.resolve(ct));
    }
    String lung = "masks/" + c.caseId() + "_lung.nii.gz";
    writeMask(scan.lungMask(), root.resolve(lung), "lung mask");
    Optional<String> infection = Optional.empty();
    if (!c.infectionMaskMissing()) {
      infection = Optional.of("masks/" + c.caseId() + "_infection.nii.gz");
      writeMask(scan.infectionMask(), root.resolve(infection.get()), "infection mask");
    }
    ChestCtManifest.Row row = new ChestCtManifest.Row(ct, lung, infection, c.diagnosis().label(), c.patientId());
    return new Entry(c, row, scan.infectionRatio(), scan.geometry());
  }

  private static void writeMask(Volume mask, Path file, String what) {
    NiftiWriter.nifti1().withDataType(NiftiDataType.UINT8).withDescription("medvision synthetic chest CT " + what)
        .write(mask, file);
  }
}
