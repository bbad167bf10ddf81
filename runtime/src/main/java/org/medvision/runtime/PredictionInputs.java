package org.medvision.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
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
   * The inputs under {@code paths}, in the order given.
   *
   * @param warnings told about files that could not be read (they are skipped)
   * @throws MedvisionException naming a path that does not exist or holds nothing to predict
   */
  public static List<PredictionInput> collect(DataSchema schema, List<Path> paths, Consumer<String> warnings,
      ProgressListener scanning) {
    Field primary = schema.primaryInput();
    boolean volumes = primary instanceof VolumeField;
    if (!volumes && !(primary instanceof ImageField)) {
      throw new MedvisionException("the task's primary input '" + primary.name() + "' is neither an image nor a "
          + "volume");
    }
    List<PredictionInput> out = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new MedvisionException("input not found: " + path);
      }
      int before = out.size();
      if (Files.isRegularFile(path) && VolumeFiles.isNifti(path)) {
        if (volumes) {
          out.add(new PredictionInput.Scan(path, null));
        } else {
          Volume v = new NiftiReader().read(path).volume();
          for (int z = 0; z < v.nz(); z++) {
            out.add(new PredictionInput.NiftiSlice(path, v, z));
          }
        }
      } else if (!volumes && Files.isRegularFile(path) && !isDicom(path)) {
        out.add(new PredictionInput.ImageFile(path, null));
      } else if (!volumes && Files.isDirectory(path) && !imageFiles(path).isEmpty()) {
        // A folder of PNG/JPEG/BMP images (DICOM files beside them are read as DICOM below).
        imageFiles(path).forEach(f -> out.add(new PredictionInput.ImageFile(f, null)));
        collectDicom(path, false, out, warnings, scanning, true);
      } else {
        collectDicom(path, volumes, out, warnings, scanning, false);
      }
      if (out.size() == before) {
        throw new MedvisionException("nothing to predict in " + path);
      }
    }
    if (out.isEmpty()) {
      throw new MedvisionException("nothing to predict: no inputs were given");
    }
    return out;
  }

  /** The DICOM images or series under {@code path}; with {@code optional}, finding none is fine. */
  private static void collectDicom(Path path, boolean volumes, List<PredictionInput> out, Consumer<String> warnings,
      ProgressListener scanning, boolean optional) {
    int before = out.size();
    StudyIndex index = new StudyScanner().scan(path, scanning);
    for (UnreadableFile u : index.unreadable()) {
      warnings.accept("skipped unreadable file " + u.error());
    }
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
  }

  /** The PNG, JPEG and BMP files under {@code folder}, in path order. */
  private static List<Path> imageFiles(Path folder) {
    try (java.util.stream.Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).filter(p -> {
        String n = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")
            || n.endsWith(".bmp"));
      }).sorted().toList();
    } catch (java.io.IOException e) {
      throw new MedvisionException("cannot list " + folder + ": " + e.getMessage(), e);
    }
  }

  private static boolean isDicom(Path file) {
    String n = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
    if (n.endsWith(".dcm") || n.equals("dicomdir")) {
      return true;
    }
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(132);
      return head.length == 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
