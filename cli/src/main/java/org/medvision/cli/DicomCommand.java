package org.medvision.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.dicom.StudyIndex;
import org.medvision.io.dicom.StudyScanner;
import org.medvision.io.nifti.NiftiWriter;
import org.medvision.io.volume.Finding;
import org.medvision.io.volume.Volume;

/**
 * {@code medvision dicom info|volume PATH}: what a DICOM file, folder tree or DICOMDIR holds, and one series (or one
 * file) as a NIfTI volume.
 */
public final class DicomCommand implements Command {
  /** Creates the command. */
  public DicomCommand() {}

  @Override
  public String name() {
    return "dicom";
  }

  @Override
  public String summary() {
    return "list DICOM patients/studies/series (info) or convert a series to NIfTI (volume)";
  }

  @Override
  public String description() {
    return "'dicom info PATH' scans a file, a folder tree or a DICOMDIR and prints patients, studies and series "
        + "with modality, objects, frames, size (columns x rows x slices), spacing in mm, transfer syntaxes and "
        + "the problems series assembly found (gaps, duplicate positions, uneven spacing, gantry tilt, mixed sizes "
        + "or orientations, missing geometry); files that look like DICOM but cannot be read are listed with the "
        + "error. 'dicom volume PATH --out FILE.nii.gz' writes one series as a NIfTI-1 float32 volume in LPS-derived "
        + "world coordinates with rescaled values (HU for CT): PATH may be a single file (a 2D image or all frames "
        + "of a multi-frame object) or a folder; with several series, name one with --series UID. Missing geometry "
        + "is a warning (the volume gets unit axes); errors (mixed sizes or orientations) fail without writing. "
        + "The output appears only when complete.";
  }

  @Override
  public List<String> examples() {
    return List.of("dicom info study/", "dicom info study/DICOMDIR --json",
        "dicom volume study/ --series 1.2.840.113619.2.1 --out ct.nii.gz", "dicom volume image.dcm --out img.nii.gz");
  }

  @Override
  public Options options() {
    return StrictOption.add(new Options())
        .addOption(Args.flag("json", "info: print JSON instead of text"))
        .addOption(Args.valued("series", "UID", "volume: the Series Instance UID to convert (default: the only series; "
            + "required when PATH holds several)"))
        .addOption(Args.valued("out", "FILE", "volume: the NIfTI file to write, .nii or .nii.gz (required)"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    List<String> args = line.getArgList();
    if (args.isEmpty()) {
      throw new UsageException("give a subcommand: dicom info PATH, or dicom volume PATH --out FILE");
    }
    String sub = args.get(0);
    if (!sub.equals("info") && !sub.equals("volume")) {
      throw new UsageException("unknown dicom subcommand '" + sub + "'; use info or volume");
    }
    if (args.size() != 2) {
      throw new UsageException("dicom " + sub + " takes exactly one PATH, got " + (args.size() - 1));
    }
    Path path = Path.of(args.get(1));
    return StrictOption.during(line, () -> sub.equals("info") ? info(line, ctx, path) : volume(line, ctx, path));
  }

  private static StudyIndex scan(CommandContext ctx, Path path) {
    try (DicomInfoPrinter.Progress progress = new DicomInfoPrinter.Progress(ctx, "scan")) {
      return new StudyScanner().scan(path, progress);
    }
  }

  private static int info(CommandLine line, CommandContext ctx, Path path) {
    for (String volumeOnly : List.of("series", "out")) {
      if (line.hasOption(volumeOnly)) {
        throw new UsageException("--" + volumeOnly + " belongs to 'dicom volume'");
      }
    }
    StudyIndex index = scan(ctx, path);
    if (index.isEmpty()) {
      // Nothing to list is a failure a script must see, with what was looked at.
      index.select(null);
    }
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(DicomInfoPrinter.json(index)));
    } else {
      DicomInfoPrinter.text(index, ctx.out());
    }
    return ExitCodes.OK;
  }

  private static int volume(CommandLine line, CommandContext ctx, Path path) {
    if (line.hasOption("json")) {
      throw new UsageException("--json belongs to 'dicom info'");
    }
    Path out = Args.path(line, "out");
    if (out == null) {
      throw new UsageException("missing required option --out FILE (.nii or .nii.gz)");
    }
    String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".nii") && !name.endsWith(".nii.gz")) {
      throw new UsageException("--out must end in .nii or .nii.gz, got " + out);
    }
    StudyIndex index = scan(ctx, path);
    for (var u : index.unreadable()) {
      ctx.err().println("medvision: warning: skipped unreadable file " + u.error());
    }
    DicomSeries series = index.select(line.getOptionValue("series"));
    for (Finding f : series.findings()) {
      ctx.err().println("medvision: " + (f.severity() == Finding.Severity.INFO ? "note" : "warning") + ": " + f);
    }
    Volume volume = series.volume();
    NiftiWriter.nifti1().withDescription("medvision " + series.modality() + " " + series.seriesInstanceUid())
        .write(volume, out);
    double[] s = volume.spacing();
    ctx.out().println("wrote " + out + ": " + volume.nx() + "x" + volume.ny() + "x" + volume.nz() + " voxels, spacing "
        + Formats.fixed(s[0], 3) + " x " + Formats.fixed(s[1], 3) + " x " + Formats.fixed(s[2], 3) + " mm, series "
        + series.seriesInstanceUid() + " (" + series.modality() + ")");
    return ExitCodes.OK;
  }
}
