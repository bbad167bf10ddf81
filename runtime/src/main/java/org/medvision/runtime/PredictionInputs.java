package org.medvision.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.VolumeField;
import org.medvision.io.ProgressListener;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.dicom.StudyIndex;
import org.medvision.io.dicom.StudyScanner;
import org.medvision.io.dicom.UnreadableFile;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.volume.Volume;
import org.medvision.io.volume.VolumeFiles;

/**
 * Finds what to predict in the paths a user gives, as the task's primary input field asks: for an image task every
 * image file, every frame of every DICOM image in a file, series folder, study tree or DICOMDIR, and every z slice of a
 * NIfTI volume; for a volume task every DICOM series (a folder or DICOMDIR may hold several) and every NIfTI file.
 */
public final class PredictionInputs {
  private PredictionInputs() {}

  /**
   * What a scan of the user's paths found.
   *
   * @param inputs what to predict, in the order given
   * @param skipped the files that could not be read, each with the reason
   * @param filesExamined every file looked at: images, NIfTI volumes and DICOM files, the skipped ones included
   */
  public record Collected(List<PredictionInput> inputs, List<UnreadableFile> skipped, int filesExamined) {
    /** Copies the lists. */
    public Collected {
      inputs = List.copyOf(inputs);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * The inputs under {@code paths}, in the order given.
   *
   * @param warnings told about files that could not be read (they are skipped)
   * @throws MedvisionException naming a path that does not exist or holds nothing to predict
   */
  public static List<PredictionInput> collect(DataSchema schema, List<Path> paths, Consumer<String> warnings,
      ProgressListener scanning) {
    Collected found = scan(schema, paths, scanning);
    found.skipped().forEach(u -> warnings.accept("skipped unreadable file " + u.error()));
    return found.inputs();
  }

  /**
   * As {@link #collect}, returning the skipped files instead of warning about them, so a caller can tell a partial
   * result from a complete one.
   *
   * @throws MedvisionException naming a path that does not exist or holds nothing to predict
   */
  public static Collected scan(DataSchema schema, List<Path> paths, ProgressListener scanning) {
    Field primary = schema.primaryInput();
    boolean volumes = primary instanceof VolumeField;
    if (!volumes && !(primary instanceof ImageField)) {
      throw new MedvisionException("the task's primary input '" + primary.name() + "' is neither an image nor a "
          + "volume");
    }
    List<PredictionInput> out = new ArrayList<>();
    List<UnreadableFile> skipped = new ArrayList<>();
    int examined = 0;
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new MedvisionException("input not found: " + path);
      }
      int before = out.size();
      if (Files.isRegularFile(path) && VolumeFiles.isNifti(path)) {
        addNifti(path, volumes, out);
        examined++;
      } else if (!volumes && Files.isRegularFile(path) && !isDicom(path)) {
        out.add(new PredictionInput.ImageFile(path, null));
        examined++;
      } else if (Files.isDirectory(path)) {
        // A folder may hold NIfTI volumes, PNG/JPEG/BMP images (for 2-D tasks) and DICOM files side by side.
        // The DICOM scan looks at every regular file in the folder, these included, so its count is the folder's.
        files(path, VolumeFiles::isNifti).forEach(f -> addNifti(f, volumes, out));
        if (!volumes) {
          files(path, PredictionInputs::isImage).forEach(f -> out.add(new PredictionInput.ImageFile(f, null)));
        }
        examined += collectDicom(path, volumes, out, skipped, scanning, out.size() > before);
      } else {
        examined += collectDicom(path, volumes, out, skipped, scanning, false);
      }
      if (out.size() == before) {
        throw new MedvisionException("nothing to predict in " + path);
      }
    }
    if (out.isEmpty()) {
      throw new MedvisionException("nothing to predict: no inputs were given");
    }
    return new Collected(out, skipped, examined);
  }

  /**
   * Adds the DICOM images or series under {@code path}; with {@code optional}, finding none is fine.
   *
   * @return the number of DICOM files examined
   */
  private static int collectDicom(Path path, boolean volumes, List<PredictionInput> out, List<UnreadableFile> skipped,
      ProgressListener scanning, boolean optional) {
    int before = out.size();
    StudyIndex index = new StudyScanner().scan(path, scanning);
    skipped.addAll(index.unreadable());
    notePassedOver(index, scanning);
    for (DicomSeries series : index.series()) {
      if (!series.hasImages()) {
        continue;
      }
      if (volumes) {
        out.add(new PredictionInput.Scan(path, series));
        continue;
      }
      for (DicomImage image : series.images()) {
        for (int f = 1; f <= image.frameCount(); f++) {
          out.add(Files.isRegularFile(path) && image.frameCount() == 1
              ? new PredictionInput.ImageFile(path, image) : new PredictionInput.DicomFrame(image, f));
        }
      }
    }
    if (out.size() == before && !optional) {
      throw new MedvisionException("no DICOM images found in " + path + " (" + index.filesExamined()
          + " files examined, " + index.unreadable().size() + " unreadable)");
    }
    return index.filesExamined();
  }

  /**
   * Tells {@code scanning} which readable DICOM objects hold no image (structured reports, presentation states,
   * objects without Pixel Data): they are not errors, since a study folder holds them beside its images, but a user
   * who gave one should not have it disappear without a word.
   */
  private static void notePassedOver(StudyIndex index, ProgressListener scanning) {
    List<String> passed = new ArrayList<>();
    for (DicomSeries series : index.series()) {
      for (DicomImage object : series.objects()) {
        object.whyNotImage().ifPresent(why -> passed.add(object.source() + " (" + object.modality().orElse("?")
            + ": " + why + ")"));
      }
    }
    if (!passed.isEmpty()) {
      scanning.note("passed over " + passed.size() + " DICOM object" + (passed.size() == 1 ? "" : "s")
          + " without an image: " + String.join(", ", passed.subList(0, Math.min(3, passed.size())))
          + (passed.size() > 3 ? ", ..." : ""));
    }
  }

  /** A NIfTI file: one scan for a volume task, one input per slice for a 2-D task. */
  private static void addNifti(Path file, boolean volumes, List<PredictionInput> out) {
    if (volumes) {
      out.add(new PredictionInput.Scan(file, null));
      return;
    }
    Volume v = new NiftiReader().read(file).volume();
    for (int z = 0; z < v.nz(); z++) {
      out.add(new PredictionInput.NiftiSlice(file, v, z));
    }
  }

  /** The visible regular files under {@code folder} that {@code wanted} accepts, in path order. */
  private static List<Path> files(Path folder, Predicate<Path> wanted) {
    try (Stream<Path> walk = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(wanted).sorted().toList();
    } catch (IOException e) {
      throw new MedvisionException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static boolean isImage(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp");
  }

  private static boolean isDicom(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".dcm") || n.equals("dicomdir")) {
      return true;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(132);
      return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    } catch (IOException e) {
      return false;
    }
  }
}
