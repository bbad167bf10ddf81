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
import org.medvision.io.transform.Window;

/** {@code medvision synth}: writes a synthetic, labelled image set with a manifest. */
public final class SynthCommand implements Command {
  /** Kinds of synthetic data this command writes. */
  static final List<String> KINDS = List.of("brain-ct");
  /** Formats this command writes. */
  static final List<String> FORMATS = BrainCtDataset.FORMATS;

  private static final int DEFAULT_COUNT = 900;
  private static final int DEFAULT_SIZE = 128;
  private static final long DEFAULT_SEED = 7;

  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String summary() {
    return "write a synthetic labelled image set (brain CT: normal, hemorrhagic, ischemic) with a manifest";
  }

  @Override
  public String description() {
    return "Generates axial brain CT slices in Hounsfield units (air, skull, grey and white matter, ventricles and "
        + "sulci, noise) in three balanced classes: normal; hemorrhagic, with hyperdense bleeds (55-90 HU) inside "
        + "the brain or as a subdural crescent; ischemic, with hypodense (10-22 HU) vascular-territory wedges that "
        + "erase the grey/white boundary. Slices are windowed (--window) and written as 8-bit PNG to "
        + "OUT/<class>/<class>_<index>.png with OUT/manifest.csv (path,label,patient_id,split; 80/10/10 "
        + "train/val/test stratified by class), ready for train and evaluate --data. Image i has class "
        + "normal, hemorrhagic, ischemic in turn, so class sizes differ by at most one. The same seed gives the "
        + "same files byte for byte. --difficulty shrinks lesions and moves their density toward normal tissue. "
        + "The set is written beside OUT and moved into place at the end, so a failure leaves nothing behind; a "
        + "non-empty OUT is only replaced with --force. Prints the images per class, the seed and the manifest. "
        + "--format dicom writes each case instead as a DICOM CT series in HU (16-bit, rescale slope 0.25, 240 mm "
        + "field of view, the window as the first Window Center/Width preset) in OUT/<class>/<class>_<index>/, "
        + "and the manifest points at each series' CT000001.dcm; UIDs are new on every run.";
  }

  @Override
  public List<String> examples() {
    return List.of("synth --kind brain-ct --count 900 --size 128 --seed 7 --out data/brain",
        "synth --kind brain-ct --count 300 --size 96 --difficulty hard --window stroke --out data/hard",
        "synth --kind brain-ct --count 60 --difficulty 0.3 --out data/brain --force",
        "synth --kind brain-ct --count 30 --format dicom --out data/brain-dicom");
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Args.valued("kind", "KIND", "what to synthesise; supported: " + String.join(", ", KINDS)
            + " (required)"))
        .addOption(Args.valued("out", "DIR", "output folder, created; must not exist or be empty (required)"))
        .addOption(Args.valued("count", "N", "number of images, at least " + BrainCtDataset.MIN_COUNT
            + " (default: " + DEFAULT_COUNT + ")"))
        .addOption(Args.valued("size", "PX", "image width and height, at least " + BrainCtPhantom.MIN_SIZE
            + " (default: " + DEFAULT_SIZE + ")"))
        .addOption(Args.valued("seed", "N", "random seed for images and splits (default: " + DEFAULT_SEED + ")"))
        .addOption(Args.valued("difficulty", "LEVEL", "easy, medium, hard or a number from 0 (easy) to 1 (hard) "
            + "(default: medium)"))
        .addOption(Args.valued("window", "NAME", "CT window applied before 8-bit output: "
            + String.join(", ", Window.presetNames()) + " (default: brain, level 40 width 80)"))
        .addOption(Args.valued("format", "FORMAT", "image format; supported: " + String.join(", ", FORMATS)
            + " (default: png)"))
        .addOption(Args.flag("force", "replace a non-empty output folder"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    String kind = Args.required(line, "kind").trim().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw new UsageException("unsupported kind '" + kind + "'; supported: " + String.join(", ", KINDS));
    }
    String format = Args.string(line, "format", "png").trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(format)) {
      throw new UsageException("unsupported format '" + format + "'; supported: " + String.join(", ", FORMATS));
    }
    Path out = Path.of(Args.required(line, "out"));
    int count = Args.integer(line, "count", DEFAULT_COUNT, BrainCtDataset.MIN_COUNT);
    int size = Args.integer(line, "size", DEFAULT_SIZE, BrainCtPhantom.MIN_SIZE);
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
}
