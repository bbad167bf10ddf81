package org.medvision.runtime.batch;

import java.util.List;
import org.medvision.dicom.Tags;
import org.medvision.io.dicom.DicomImage;
import org.medvision.runtime.PredictionInput;

/**
 * One input of a batch job: what to predict, or why the file it came from could not be read.
 *
 * <p>The {@code inputId} is stable across runs over the same inputs (a resumed job skips the ids it finds in its
 * output): the file's path relative to the folder or manifest it was listed in, with {@code /} between folders, plus
 * a fragment where one file or folder yields several inputs: {@code #frame=N} (1-based) for a multi-frame DICOM file,
 * {@code #slice=N} (1-based z) for a NIfTI volume given to a 2-D task, {@code #series=UID} for a DICOM series of a 3-D
 * task (the path is then the series' folder, {@code .} for the top folder).
 *
 * @param inputId the stable id, never null
 * @param path where it came from, as the user or the job named it (a local path, or a URI for distributed jobs)
 * @param studyUid the DICOM Study Instance UID, or null for other formats
 * @param seriesUid the DICOM Series Instance UID, or null for other formats
 * @param input what to predict, or null when {@code error} is set
 * @param error why the file could not be read, or null
 */
public record BatchItem(String inputId, String path, String studyUid, String seriesUid, PredictionInput input,
    String error) {
  /** Checks that exactly one of {@code input} and {@code error} is given. */
  public BatchItem {
    if (inputId == null || path == null) {
      throw new IllegalArgumentException("a batch item needs an input id and a path");
    }
    if ((input == null) == (error == null)) {
      throw new IllegalArgumentException("a batch item is either an input or an error: " + inputId);
    }
  }

  /** An input to predict; the DICOM UIDs are read from its first DICOM source, if any. */
  public static BatchItem of(String inputId, String path, PredictionInput input) {
    List<DicomImage> sources = input.dicomSources();
    String study = null;
    String series = null;
    if (!sources.isEmpty()) {
      study = sources.get(0).dataSet().string(Tags.STUDY_INSTANCE_UID).orElse(null);
      series = sources.get(0).dataSet().string(Tags.SERIES_INSTANCE_UID).orElse(null);
    }
    return new BatchItem(inputId, path, study, series, input, null);
  }

  /** A file that could not be read: it becomes one error row. */
  public static BatchItem failed(String inputId, String path, String error) {
    return new BatchItem(inputId, path, null, null, null, error);
  }

  /** Whether it is an unreadable file rather than an input. */
  public boolean isError() {
    return error != null;
  }
}
