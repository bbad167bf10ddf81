package org.medvision.spark;

import java.nio.file.Path;
import java.util.Locale;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.VolumeField;
import org.medvision.dicom.DicomScanner;
import org.medvision.io.volume.VolumeFiles;

/** Which files of a listed folder a task reads, by the rule of the local batch runner's folder walk. */
final class InputFiles {
  private InputFiles() {}

  /**
   * Whether a task with inputs {@code data} reads {@code file}: NIfTI volumes and DICOM files always, PNG, JPEG and
   * BMP images for 2-D tasks; anything else in a folder (notes, spreadsheets) is passed over.
   */
  static boolean isInput(Path file, DataSchema data) {
    if (VolumeFiles.isNifti(file)) {
      return true;
    }
    if (isImage(file)) {
      return !(data.primaryInput() instanceof VolumeField);
    }
    return !file.getFileName().toString().equalsIgnoreCase("DICOMDIR") && DicomScanner.isDicom(file);
  }

  private static boolean isImage(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp");
  }
}
