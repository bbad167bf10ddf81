package org.medvision.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.BrainCtPhantom;
import org.medvision.io.synth.Difficulty;
import org.medvision.io.synth.chest.ChestCtClass;
import org.medvision.io.synth.chest.ChestCtCohort;
import org.medvision.io.synth.chest.ChestCtDataset;
import org.medvision.io.synth.chest.ChestCtManifest;
import org.medvision.io.synth.chest.ChestCtPhantom;
import org.medvision.io.transform.Window;

/** {@code medvision synth}: writes a synthetic, labelled image set with a manifest. */
public final class SynthCommand implements Command {
  /** Kinds of synthetic data this command writes. */
  static final List<String> KINDS = List.of("brain-ct", "chest-ct");
  /** Formats of brain CT. */
  static final List<String> FORMATS = BrainCtDataset.FORMATS;

  private static final int BRAIN_COUNT = 900;
  private static final int BRAIN_SIZE = 128;
  private static final int CHEST_COUNT = 160;
  private static final int CHEST_SIZE = 64;
  private static final long DEFAULT_SEED = 7;

  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String summary() {
    return "write a synthetic labelled image set (2-D brain CT: normal, hemorrhagic, ischemic; 3-D chest CT: COVID-19, "
        + "CAP) with a manifest";
  }

  @Override
  public String description() {
    return "Writes a synthetic set with known ground truth into --out. The same seed gives the same files byte for "
        + "byte. The set is written beside OUT and moved into place at the end, so a failure leaves nothing behind; "
        + "a non-empty OUT is only replaced with --force. "
        + "--kind brain-ct: axial brain CT slices in Hounsfield units (air, skull, grey and white matter, ventricles "
        + "and sulci, noise) in three balanced classes: normal; hemorrhagic, with hyperdense bleeds (55-90 HU) inside "
        + "the brain or as a subdural crescent; ischemic, with hypodense (10-22 HU) vascular-territory wedges that "
        + "erase the grey/white boundary. Slices are windowed (--window) and written as 8-bit PNG to "
        + "OUT/<class>/<class>_<index>.png with OUT/manifest.csv (path,label,patient_id,split; 80/10/10 "
        + "train/val/test stratified by class), ready for train and evaluate --data. Image i has class "
        + "normal, hemorrhagic, ischemic in turn, so class sizes differ by at most one. --difficulty shrinks lesions "
        + "and moves their density toward normal tissue. --format dicom writes each case instead as a DICOM CT "
        + "series in HU (16-bit, rescale slope 0.25, 240 mm field of view, the window as the first Window "
        + "Center/Width preset) in OUT/<class>/<class>_<index>/, and the manifest points at each series' "
        + "CT000001.dcm; UIDs are new on every run. Defaults: --count " + BRAIN_COUNT + ", --size " + BRAIN_SIZE
        + ", --format png. "
        + "--kind chest-ct: 3-D chest CT volumes in HU (body, fat, ribs, spine, heart and mediastinum, two lungs with "
        + "branching vessels and bronchi, noise and a soft reconstruction kernel) for COVID-19 vs community-acquired "
        + "pneumonia: COVID-19 as bilateral, subpleural, posterior and basal ground glass (-700 to -300 HU), "
        + "several patches, some with a denser core; CAP as a mostly one-sided lobar or segmental consolidation "
        + "(-100 to +50 HU) with air bronchograms. About " + percent(ChestCtCohort.COVID_SHARE) + " of the scans "
        + "are COVID-19. The infection ratio (infected over lung volume) overlaps between the classes: "
        + percent(ChestCtCohort.COVID_EXTENSIVE) + " of COVID-19 and " + percent(ChestCtCohort.CAP_EXTENSIVE)
        + " of CAP scans are extensive (0.06-0.40), the rest limited (0.005-0.04). "
        + percent(ChestCtCohort.FOLLOW_UP_PROBABILITY) + " of patients have a follow-up scan with the same "
        + "patient_id and label, so split by patient. Each scan is SIZE x SIZE x SIZE/2 voxels, field of view "
        + "320-400 mm, slices 1.5-2.5 times the pixel spacing, the body a few voxels off-centre. Writes "
        + "OUT/ct/case_0001.nii.gz (NIfTI-1, int16 HU) or, with --format dicom, the folder OUT/ct/case_0001/ of "
        + "one CT Image Storage file per slice (rescale intercept -1024, UIDs derived from the seed); "
        + "OUT/masks/case_0001_lung.nii.gz and case_0001_infection.nii.gz (uint8 0/1, on the CT's grid and LPS "
        + "affine); and OUT/manifest.csv (" + ChestCtManifest.HEADER + ", paths relative to it, infection_mask "
        + "empty for about 4% of scans whose mask is left out). Defaults: --count " + CHEST_COUNT + ", --size "
        + CHEST_SIZE + " (" + ChestCtPhantom.MIN_SIZE + " to " + ChestCtPhantom.MAX_SIZE + "), --format nifti. "
        + "Prints the scans per class, the infection ratio quartiles per class, the patients, the time taken and "
        + "where the files are.";
  }

  private static String percent(double share) {
    return Math.round(share * 100) + "%";
  }

  @Override
  public List<String> examples() {
    return List.of("synth --kind brain-ct --count 900 --size 128 --seed 7 --out data/brain",
        "synth --kind brain-ct --count 300 --size 96 --difficulty hard --window stroke --out data/hard",
        "synth --kind brain-ct --count 60 --difficulty 0.3 --out data/brain --force",
        "synth --kind brain-ct --count 30 --format dicom --out data/brain-dicom",
        "synth --kind chest-ct --count 160 --size 64 --seed 7 --out data/chest",
        "synth --kind chest-ct --count 40 --format dicom --out data/chest-dicom");
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Args.valued("kind", "KIND", "what to synthesise: " + String.join(", ", KINDS) + " (required)"))
        .addOption(Args.valued("out", "DIR", "output folder, created; must not exist or be empty (required)"))
        .addOption(Args.valued("count", "N", "number of images (brain-ct, at least " + BrainCtDataset.MIN_COUNT
            + ", default " + BRAIN_COUNT + ") or scans (chest-ct, at least " + ChestCtDataset.MIN_COUNT
            + ", default " + CHEST_COUNT + ")"))
        .addOption(Args.valued("size", "PX", "image width and height (brain-ct, at least " + BrainCtPhantom.MIN_SIZE
            + ", default " + BRAIN_SIZE + "; chest-ct, " + ChestCtPhantom.MIN_SIZE + " to " + ChestCtPhantom.MAX_SIZE
            + " with SIZE/2 slices, default " + CHEST_SIZE + ")"))
        .addOption(Args.valued("seed", "N", "random seed for images, cohort and splits (default: " + DEFAULT_SEED
            + ")"))
        .addOption(Args.valued("difficulty", "LEVEL", "brain-ct only: easy, medium, hard or a number from 0 (easy) "
            + "to 1 (hard) (default: medium)"))
        .addOption(Args.valued("window", "NAME", "brain-ct only: CT window applied before 8-bit output: "
            + String.join(", ", Window.presetNames()) + " (default: brain, level 40 width 80)"))
        .addOption(Args.valued("format", "FORMAT", "file format: brain-ct " + String.join(" or ", FORMATS)
            + " (default png); chest-ct " + String.join(" or ", ChestCtDataset.FORMATS) + " (default nifti)"))
        .addOption(Args.flag("force", "replace a non-empty output folder"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    String kind = Args.required(line, "kind").trim().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw new UsageException("unsupported kind '" + kind + "'; supported: " + String.join(", ", KINDS));
    }
    return kind.equals("chest-ct") ? chest(line, ctx) : brain(line, ctx);
  }

  private static String format(CommandLine line, List<String> formats, String kind) {
    String format = Args.string(line, "format", formats.get(0)).trim().toLowerCase(Locale.ROOT);
    if (!formats.contains(format)) {
      throw new UsageException("unsupported format '" + format + "' for " + kind + "; supported: "
          + String.join(", ", formats));
    }
    return format;
  }

  private static int brain(CommandLine line, CommandContext ctx) {
    String format = format(line, FORMATS, "brain-ct");
    Path out = Path.of(Args.required(line, "out"));
    int count = Args.integer(line, "count", BRAIN_COUNT, BrainCtDataset.MIN_COUNT);
    int size = Args.integer(line, "size", BRAIN_SIZE, BrainCtPhantom.MIN_SIZE);
    long seed = Args.longValue(line, "seed", DEFAULT_SEED);
    Difficulty difficulty;
    String window = Args.string(line, "window", "brain");
    try {
      difficulty = Difficulty.parse(Args.string(line, "difficulty", "medium"));
      Window.preset(window);
    } catch (MedvisionException e) {
      throw new UsageException(e.getMessage());
    }
    BrainCtDataset.Result result;
    try (ProgressBar bar = ctx.progress("synth", count)) {
      result = BrainCtDataset.generate(out, count, size, seed, difficulty, window, format, line.hasOption("force"),
          (done, total) -> bar.update(done));
    }
    StringBuilder perClass = new StringBuilder();
    for (Map.Entry<String, Integer> e : result.perClass().entrySet()) {
      perClass.append(perClass.length() == 0 ? "" : ", ").append(e.getValue()).append(' ').append(e.getKey());
    }
    String what = format.equals("dicom") ? " brain CT series (DICOM) of " : " brain CT slices of ";
    ctx.out().println("wrote " + count + what + size + "x" + size + " (" + perClass + "; "
        + "difficulty " + difficulty + ", window " + window.trim().toLowerCase(Locale.ROOT) + ", seed " + seed
        + ") to " + out);
    ctx.out().println("manifest: " + result.manifest());
    return ExitCodes.OK;
  }

  private static int chest(CommandLine line, CommandContext ctx) {
    for (String brainOnly : List.of("difficulty", "window")) {
      if (line.hasOption(brainOnly)) {
        throw new UsageException("--" + brainOnly + " applies to --kind brain-ct only");
      }
    }
    String format = format(line, ChestCtDataset.FORMATS, "chest-ct");
    Path out = Path.of(Args.required(line, "out"));
    int count = Args.integer(line, "count", CHEST_COUNT, ChestCtDataset.MIN_COUNT);
    int size = Args.integer(line, "size", CHEST_SIZE, ChestCtPhantom.MIN_SIZE);
    if (size > ChestCtPhantom.MAX_SIZE) {
      throw new UsageException("--size must be at most " + ChestCtPhantom.MAX_SIZE + " for chest-ct, got " + size);
    }
    long seed = Args.longValue(line, "seed", DEFAULT_SEED);
    ChestCtDataset.Result result;
    try (ProgressBar bar = ctx.progress("synth", count)) {
      result = ChestCtDataset.generate(out, count, size, seed, format, line.hasOption("force"),
          (done, total) -> bar.update(done));
    }
    new ChestCtSummary(result, format, size).print(ctx.out());
    return ExitCodes.OK;
  }
}
