package org.medvision.runtime;

import java.util.Optional;
import org.medvision.api.task.Acquisition;
import org.medvision.api.task.Task;
import org.medvision.dicom.Tags;
import org.medvision.io.dicom.DicomImage;

/**
 * Compares a DICOM input's Modality and Body Part Examined with what its task declares ({@link Task#acquisition()}).
 * Inputs without DICOM headers (PNG, NIfTI) carry no such evidence and pass.
 */
public final class AcquisitionCheck {
  private AcquisitionCheck() {}

  /**
   * Why {@code input} is outside what {@code task} was built for, e.g. "modality MR is not one the task was built for
   * (CT); the results are not meaningful", or empty.
   */
  public static Optional<String> warning(Task task, PredictionInput input) {
    Acquisition declared = task.acquisition();
    if (declared.equals(Acquisition.ANY)) {
      return Optional.empty();
    }
    for (DicomImage source : input.dicomSources()) {
      String modality = source.modality().orElse(null);
      String bodyPart = source.dataSet().string(Tags.BODY_PART_EXAMINED).orElse(null);
      Optional<String> why = declared.mismatch(modality, bodyPart);
      if (why.isPresent()) {
        return Optional.of(why.get() + "; " + task.name() + " was built for " + declared + ", so its result for "
            + "this input is not meaningful");
      }
    }
    return Optional.empty();
  }
}
