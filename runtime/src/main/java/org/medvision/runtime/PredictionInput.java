package org.medvision.runtime;

import java.nio.file.Path;
import java.util.List;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.volume.Volume;

/**
 * One thing a prediction runs on, as {@link PredictionInputs} finds it in what the user gave: a 2-D image (a file, a
 * DICOM frame, a slice of a NIfTI volume) for tasks whose primary input is an image, or a whole scan (a DICOM series,
 * a NIfTI volume) for tasks whose primary input is a volume.
 */
public sealed interface PredictionInput {
  /** How the input is named in tables and messages, e.g. {@code study/ct.dcm frame 2}. */
  String label();

  /** The DICOM images the result refers to (for SR, SEG and overlays); empty for other formats. */
  List<DicomImage> dicomSources();

  /**
   * An image file (PNG, JPEG, BMP, or a single-frame DICOM file given directly).
   *
   * @param file the file
   * @param dicom the file as DICOM, or null for other formats
   */
  record ImageFile(Path file, DicomImage dicom) implements PredictionInput {
    @Override
    public String label() {
      return file.toString();
    }

    @Override
    public List<DicomImage> dicomSources() {
      return dicom == null ? List.of() : List.of(dicom);
    }
  }

  /**
   * One frame of a DICOM image found in a study.
   *
   * @param image the image
   * @param frame 1-based frame number
   */
  record DicomFrame(DicomImage image, int frame) implements PredictionInput {
    @Override
    public String label() {
      return image.frameCount() > 1 ? image.source() + " frame " + frame : image.source();
    }

    @Override
    public List<DicomImage> dicomSources() {
      return List.of(image);
    }
  }

  /**
   * One z slice of a NIfTI volume.
   *
   * @param file the file
   * @param volume the volume
   * @param z 0-based slice index
   */
  record NiftiSlice(Path file, Volume volume, int z) implements PredictionInput {
    @Override
    public String label() {
      return file + " slice " + (z + 1);
    }

    @Override
    public List<DicomImage> dicomSources() {
      return List.of();
    }
  }

  /**
   * A whole scan.
   *
   * @param path the NIfTI file or the folder the series was found in
   * @param series the DICOM series, or null for a NIfTI file
   */
  record Scan(Path path, DicomSeries series) implements PredictionInput {
    @Override
    public String label() {
      return series == null ? path.toString()
          : path + " series " + series.seriesInstanceUid() + (series.description().isEmpty() ? ""
              : " \"" + series.description() + "\"");
    }

    @Override
    public List<DicomImage> dicomSources() {
      return series == null ? List.of() : series.images();
    }
  }
}
