package org.medvision.io.dicom;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medvision.api.MedvisionException;

/**
 * What a {@link StudyScanner} found under one path: patients, their studies, their series, and the files that could
 * not be read.
 *
 * @param root the scanned file, folder or DICOMDIR
 * @param patients patients in order of Patient ID
 * @param unreadable files that looked like DICOM (or that a DICOMDIR names) but could not be read
 * @param filesExamined regular files looked at (DICOM or not)
 */
public record StudyIndex(Path root, List<Patient> patients, List<UnreadableFile> unreadable, int filesExamined) {
  /**
   * One patient.
   *
   * @param id Patient ID (0010,0020), empty when absent
   * @param name Patient's Name (0010,0010), empty when absent
   * @param studies studies in order of Study Date then UID
   */
  public record Patient(String id, String name, List<Study> studies) {
    /** Copies the list. */
    public Patient {
      studies = List.copyOf(studies);
    }
  }

  /**
   * One study.
   *
   * @param studyInstanceUid Study Instance UID (0020,000D)
   * @param date Study Date (0008,0020), empty when absent
   * @param description Study Description (0008,1030), empty when absent
   * @param series series in order of Series Number then UID
   */
  public record Study(String studyInstanceUid, String date, String description, List<DicomSeries> series) {
    /** Copies the list. */
    public Study {
      series = List.copyOf(series);
    }
  }

  /** Copies the lists. */
  public StudyIndex {
    patients = List.copyOf(patients);
    unreadable = List.copyOf(unreadable);
  }

  /** Every series of every study of every patient, in listing order. */
  public List<DicomSeries> series() {
    List<DicomSeries> out = new ArrayList<>();
    for (Patient p : patients) {
      for (Study s : p.studies()) {
        out.addAll(s.series());
      }
    }
    return out;
  }

  /** The series with this Series Instance UID, if found. */
  public Optional<DicomSeries> series(String seriesInstanceUid) {
    return series().stream().filter(s -> s.seriesInstanceUid().equals(seriesInstanceUid)).findFirst();
  }

  /** True when no readable DICOM object was found. */
  public boolean isEmpty() {
    return patients.isEmpty();
  }

  /**
   * The one series with images that a caller who named none means.
   *
   * @param seriesInstanceUid the UID the user asked for, or null to require exactly one series with images
   * @throws MedvisionException when nothing was found, the UID is unknown (listing the UIDs found), or several
   *     series have images and none was named (listing them)
   */
  public DicomSeries select(String seriesInstanceUid) {
    List<DicomSeries> images = series().stream().filter(DicomSeries::hasImages).toList();
    if (images.isEmpty()) {
      throw new MedvisionException("no DICOM images found under " + root + " (" + filesExamined + " files examined, "
          + unreadable.size() + " unreadable" + (unreadable.isEmpty() ? "" : ", first: " + unreadable.get(0).error())
          + ")");
    }
    if (seriesInstanceUid != null) {
      return images.stream().filter(s -> s.seriesInstanceUid().equals(seriesInstanceUid)).findFirst()
          .orElseThrow(() -> new MedvisionException("no series with images has Series Instance UID "
              + seriesInstanceUid + " under " + root + "; found: " + describe(images)));
    }
    if (images.size() > 1) {
      throw new MedvisionException(images.size() + " series found under " + root + "; choose one with --series: "
          + describe(images));
    }
    return images.get(0);
  }

  private static String describe(List<DicomSeries> list) {
    List<String> parts = new ArrayList<>();
    for (DicomSeries s : list) {
      parts.add(s.seriesInstanceUid() + " (" + s.modality() + ", " + s.frameCount() + " frames"
          + (s.description().isEmpty() ? "" : ", " + s.description()) + ")");
    }
    return String.join("; ", parts);
  }
}
