package org.medvision.io.synth.cxr;

import java.util.Comparator;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.medvision.io.dataset.ChestXray14;

/**
 * The plan of one synthetic chest radiograph: who it belongs to, what it shows and the acquisition facts
 * {@code Data_Entry_2017.csv} records. The image itself follows from these values alone
 * ({@link ChestXrayPhantom#draw}), so any image can be drawn again by itself.
 *
 * @param patientId the patient number, from 1
 * @param followUp the patient's image number, from 0
 * @param findings what the image shows; empty for "No Finding"
 * @param age age in years at this image
 * @param female the patient's sex
 * @param ap an antero-posterior (bedside) view rather than postero-anterior
 * @param originalWidth the width the original image is recorded with, pixels
 * @param originalHeight its height
 * @param pixelSpacing its pixel spacing, mm (the same in x and y)
 * @param test whether the patient is in the test list
 * @param patientSeed seed of the patient's build
 * @param imageSeed seed of this image's positioning, exposure and findings
 */
public record ChestXrayCase(int patientId, int followUp, Set<CxrFinding> findings, int age, boolean female,
    boolean ap, int originalWidth, int originalHeight, double pixelSpacing, boolean test, long patientSeed,
    long imageSeed) {
  /** Copies the findings. */
  public ChestXrayCase {
    findings = findings.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(findings));
  }

  /** The file name, e.g. {@code 00000001_000.png}: the patient in eight digits, the follow-up in three. */
  public String imageIndex() {
    return String.format(Locale.ROOT, "%08d_%03d.png", patientId, followUp);
  }

  /** The findings as the data set writes them: labels in alphabetical order joined by {@code |}, or "No Finding". */
  public String findingLabels() {
    if (findings.isEmpty()) {
      return ChestXray14.NO_FINDING;
    }
    return findings.stream().map(CxrFinding::label).sorted(Comparator.naturalOrder())
        .collect(Collectors.joining("|"));
  }

  /** The row of {@code Data_Entry_2017.csv}, with the published file's trailing comma. */
  public String dataEntryLine() {
    String spacing = String.format(Locale.ROOT, "%.3f", pixelSpacing);
    return String.join(",", imageIndex(), findingLabels(), Integer.toString(followUp), Integer.toString(patientId),
        Integer.toString(age), female ? "F" : "M", ap ? "AP" : "PA", Integer.toString(originalWidth),
        Integer.toString(originalHeight), spacing, spacing) + ",";
  }
}
