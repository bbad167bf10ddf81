package org.medvision.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.io.dataset.ChestXray14;
import org.medvision.io.synth.BrainCtDataset;
import org.medvision.io.synth.BrainCtPhantom;
import org.medvision.io.synth.Difficulty;
import org.medvision.io.synth.StagedFolder;
import org.medvision.io.synth.chest.ChestCtClass;
import org.medvision.io.synth.chest.ChestCtCohort;
import org.medvision.io.synth.chest.ChestCtDataset;
import org.medvision.io.synth.chest.ChestCtManifest;
import org.medvision.io.synth.chest.ChestCtPhantom;
import org.medvision.io.synth.cxr.ChestXrayCohort;
import org.medvision.io.synth.cxr.ChestXrayDataset;
import org.medvision.io.synth.cxr.ChestXrayPhantom;
import org.medvision.io.transform.Window;
import org.medvision.tasks.common.BertConfig;
import org.medvision.tasks.common.text.TinyBertFolder;

/** {@code medvision synth}: writes a synthetic, labelled image set with a manifest. */
public final class SynthCommand implements Command {
  /** Kinds of synthetic data this command writes. */
  static final List<String> KINDS = List.of("brain-ct", "chest-ct", "chest-xray", "text-encoder");
  /** Formats of brain CT. */
  static final List<String> FORMATS = BrainCtDataset.FORMATS;

  private static final int BRAIN_COUNT = 900;
  private static final int BRAIN_SIZE = 128;
  private static final int CHEST_COUNT = 160;
  private static final int CHEST_SIZE = 64;
  private static final int XRAY_COUNT = 3000;
  private static final int XRAY_SIZE = 256;
  private static final long DEFAULT_SEED = 7;

  @Override
  public String name() {
    return "synth";
  }

  @Override
  public String summary() {
    return "write a synthetic labelled image set (2-D brain CT: normal, hemorrhagic, ischemic; 3-D chest CT: COVID-19, "
        + "CAP; chest radiographs with the 14 ChestX-ray14 findings) with a manifest";
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
        + "where the files are. "
        + "--kind chest-xray: frontal chest radiographs in the layout of NIH ChestX-ray14, for multi-label "
        + "classification of its 14 findings. Each image is a projection of a thorax (body, lungs, heart and "
        + "mediastinum, hemidiaphragms, ribs, clavicles, spine, airways, vessels; breast shadows and a gastric "
        + "bubble on many) with varied build, positioning (PA or AP), inspiration and exposure, and any of the "
        + "findings drawn as on film: Cardiomegaly (cardiothoracic ratio 0.53-0.66, normal 0.38-0.47), Effusion "
        + "(blunted costophrenic angle under a meniscus), Pneumothorax (pleural line, no markings beyond), Nodule "
        + "(under 3 cm) and Mass (over 3 cm), Consolidation (dense lobar, fissure edge, air bronchograms), Pneumonia "
        + "(fluffy patches), Infiltration (streaks and haze), Atelectasis (band or wedge with volume loss), Edema "
        + "(bilateral perihilar haze, Kerley lines), Emphysema (hyperlucent lungs, low flat diaphragm), Fibrosis "
        + "(basal reticular network), Pleural_Thickening (band along the chest wall) and Hernia (retrocardiac "
        + "air-fluid level). About half of the images have No Finding; "
        + "findings keep the real set's order of frequency (Infiltration most common, Hernia rarest) and its usual "
        + "pairings, and many images have several. Patients have 1 to 10 images (00000001_000.png is patient 1, "
        + "follow-up 0). Writes OUT/images/*.png (8-bit, SIZE x SIZE; with --layout archives spread over "
        + "OUT/images_001/images/ to images_012/images/ as the published archives unpack), OUT/"
        + ChestXray14.DATA_ENTRY + " (the published header, every column filled) and OUT/"
        + ChestXray14.TRAIN_VAL_LIST + " and " + ChestXray14.TEST_LIST + " (about "
        + percent(ChestXrayCohort.TEST_SHARE) + " of images in test, split by patient). Give OUT to train and "
        + "evaluate --data as it is. Defaults: --count " + XRAY_COUNT + " (at least " + ChestXrayDataset.MIN_COUNT
        + "), --size " + XRAY_SIZE + " (" + ChestXrayPhantom.MIN_SIZE + " to " + ChestXrayPhantom.MAX_SIZE
        + "), --layout flat. Prints the images per finding, findings per image, the most frequent pairs, the "
        + "split and where the files are. "
        + "--kind text-encoder: a tiny random BERT in the Hugging Face folder layout (config.json, vocab.txt, "
        + "tokenizer_config.json, model.safetensors; hidden 32, 2 layers, a cased vocabulary with the ChestX-ray14 "
        + "label words), for trying cxr-prototype's --text-encoder without a published model. Its embeddings carry "
        + "no medical meaning: train real models with BioBERT or another BERT converted to safetensors. Only --out, "
        + "--seed and --force apply.";
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
        "synth --kind chest-ct --count 40 --format dicom --out data/chest-dicom",
        "synth --kind chest-xray --count 3000 --size 256 --seed 7 --out data/cxr",
        "synth --kind chest-xray --count 600 --size 64 --layout archives --out data/cxr-small",
        "synth --kind text-encoder --out bert");
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Args.valued("kind", "KIND", "what to synthesise: " + String.join(", ", KINDS) + " (required)"))
        .addOption(Args.valued("out", "DIR", "output folder, created; must not exist or be empty (required)"))
        .addOption(Args.valued("count", "N", "number of images (brain-ct, at least " + BrainCtDataset.MIN_COUNT
            + ", default " + BRAIN_COUNT + "; chest-xray, at least " + ChestXrayDataset.MIN_COUNT + ", default "
            + XRAY_COUNT + ") or scans (chest-ct, at least " + ChestCtDataset.MIN_COUNT + ", default " + CHEST_COUNT
            + ")"))
        .addOption(Args.valued("size", "PX", "image width and height (brain-ct, at least " + BrainCtPhantom.MIN_SIZE
            + ", default " + BRAIN_SIZE + "; chest-ct, " + ChestCtPhantom.MIN_SIZE + " to " + ChestCtPhantom.MAX_SIZE
            + " with SIZE/2 slices, default " + CHEST_SIZE + "; chest-xray, " + ChestXrayPhantom.MIN_SIZE + " to "
            + ChestXrayPhantom.MAX_SIZE + ", default " + XRAY_SIZE + ")"))
        .addOption(Args.valued("seed", "N", "random seed for images, cohort and splits (default: " + DEFAULT_SEED
            + ")"))
        .addOption(Args.valued("difficulty", "LEVEL", "brain-ct only: easy, medium, hard or a number from 0 (easy) "
            + "to 1 (hard) (default: medium)"))
        .addOption(Args.valued("window", "NAME", "brain-ct only: CT window applied before 8-bit output: "
            + String.join(", ", Window.presetNames()) + " (default: brain, level 40 width 80)"))
        .addOption(Args.valued("format", "FORMAT", "file format: brain-ct " + String.join(" or ", FORMATS)
            + " (default png); chest-ct " + String.join(" or ", ChestCtDataset.FORMATS) + " (default nifti)"))
        .addOption(Args.valued("layout", "LAYOUT", "chest-xray only: where the images go: flat (OUT/images/) or "
            + "archives (OUT/images_001/images/ ... images_012/images/) (default: flat)"))
        .addOption(Args.flag("force", "replace a non-empty output folder"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    String kind = Args.required(line, "kind").trim().toLowerCase(Locale.ROOT);
    if (!KINDS.contains(kind)) {
      throw new UsageException("unsupported kind '" + kind + "'; supported: " + String.join(", ", KINDS));
    }
    if (!kind.equals("chest-xray") && line.hasOption("layout")) {
      throw new UsageException("--layout applies to --kind chest-xray only");
    }
    return switch (kind) {
      case "text-encoder" -> textEncoder(line, ctx);
      case "chest-ct" -> chest(line, ctx);
      case "chest-xray" -> chestXray(line, ctx);
      default -> brain(line, ctx);
    };
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

  private static int chestXray(CommandLine line, CommandContext ctx) {
    for (String other : List.of("difficulty", "window", "format")) {
      if (line.hasOption(other)) {
        throw new UsageException("--" + other + " does not apply to --kind chest-xray");
      }
    }
    String layout = Args.string(line, "layout", ChestXrayDataset.LAYOUTS.get(0)).trim().toLowerCase(Locale.ROOT);
    if (!ChestXrayDataset.LAYOUTS.contains(layout)) {
      throw new UsageException("unsupported layout '" + layout + "'; supported: "
          + String.join(", ", ChestXrayDataset.LAYOUTS));
    }
    Path out = Path.of(Args.required(line, "out"));
    int count = Args.integer(line, "count", XRAY_COUNT, ChestXrayDataset.MIN_COUNT);
    int size = Args.integer(line, "size", XRAY_SIZE, ChestXrayPhantom.MIN_SIZE);
    if (size > ChestXrayPhantom.MAX_SIZE) {
      throw new UsageException("--size must be at most " + ChestXrayPhantom.MAX_SIZE + " for chest-xray, got "
          + size);
    }
    long seed = Args.longValue(line, "seed", DEFAULT_SEED);
    ChestXrayDataset.Result result;
    try (ProgressBar bar = ctx.progress("synth", count)) {
      result = ChestXrayDataset.generate(out, count, size, seed, layout, line.hasOption("force"),
          (done, total) -> bar.update(done));
    }
    new ChestXraySummary(result, layout).print(ctx.out());
    return ExitCodes.OK;
  }

  private static int textEncoder(CommandLine line, CommandContext ctx) {
    for (String other : List.of("count", "size", "difficulty", "window", "format")) {
      if (line.hasOption(other)) {
        throw new UsageException("--" + other + " does not apply to --kind text-encoder");
      }
    }
    Path out = Path.of(Args.required(line, "out"));
    long seed = Args.longValue(line, "seed", DEFAULT_SEED);
    StagedFolder staged = StagedFolder.open(out, line.hasOption("force"));
    try {
      TinyBertFolder.write(staged.path(), seed);
      staged.publish();
    } catch (RuntimeException e) {
      staged.discard();
      throw e;
    }
    BertConfig c = TinyBertFolder.config();
    ctx.out().printf(Locale.ROOT, "wrote a tiny random BERT (hidden %d, %d layers, %d heads, %d tokens; seed %d) to "
        + "%s%n", c.hiddenSize(), c.layers(), c.heads(), c.vocabSize(), seed, out);
    ctx.out().println("use it with: medvision train --task cxr-prototype --text-encoder " + out + " ...  (random "
        + "weights: for trying the pipeline, not for real models)");
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
