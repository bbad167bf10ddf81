package org.medvision.io.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomScanner;
import org.medvision.dicom.Dicomdir;
import org.medvision.dicom.Tags;
import org.medvision.io.ProgressListener;
import org.medvision.io.volume.SeriesAssembler;

/**
 * Indexes DICOM objects under a path into patients, studies and series.
 *
 * <p>The path may be one file, a folder (walked recursively; files are recognised by content, not by name, and
 * non-DICOM files are skipped) or a DICOMDIR, whose referenced files are read instead of walking. A DICOMDIR met in
 * a folder walk is not an image and is left out. A file that looks like DICOM but cannot be read, or that a DICOMDIR
 * names but is missing, is listed in {@link StudyIndex#unreadable()} with the reader's message; the scan goes on.
 * What the lenient reader assumed to read a file that breaks a rule (see {@code DicomReadOptions}) is told to the
 * progress listener as a warning naming the file, tag and offset.
 * Only metadata is read: pixel data stays in the files until a volume is loaded.
 */
public final class StudyScanner {
  private final SeriesAssembler assembler;

  /** A scanner whose series assemble with the default tolerances. */
  public StudyScanner() {
    this(new SeriesAssembler());
  }

  /** A scanner whose series assemble with {@code assembler}. */
  public StudyScanner(SeriesAssembler assembler) {
    this.assembler = Objects.requireNonNull(assembler, "assembler");
  }

  /** Scans without reporting progress; see {@link #scan(Path, ProgressListener)}. */
  public StudyIndex scan(Path root) {
    return scan(root, ProgressListener.NONE);
  }

  /**
   * Scans {@code root}, reporting progress once per file examined.
   *
   * @throws MedvisionException when {@code root} does not exist, a folder cannot be walked, or a DICOMDIR cannot be
   *     read (the message names the path)
   */
  public StudyIndex scan(Path root, ProgressListener progress) {
    if (!Files.exists(root)) {
      throw new MedvisionException("no such file or folder: " + root);
    }
    List<Path> files;
    boolean fromDicomdir = Files.isRegularFile(root) && isDicomdir(root);
    if (fromDicomdir) {
      files = Dicomdir.referencedFiles(root, w -> progress.warning(w.toString()));
    } else if (Files.isRegularFile(root)) {
      files = List.of(root);
    } else {
      files = walk(root);
    }
    return scan(root, files, fromDicomdir, progress);
  }

  /**
   * Indexes exactly {@code files} (no folder walk), e.g. the files of one folder of a tree walked elsewhere; files that
   * are not DICOM are skipped and counted as examined.
   *
   * @param root the folder the index reports as its root
   */
  public StudyIndex scan(Path root, List<Path> files, ProgressListener progress) {
    return scan(root, List.copyOf(files), false, progress);
  }

  private StudyIndex scan(Path root, List<Path> files, boolean fromDicomdir, ProgressListener progress) {
    List<UnreadableFile> unreadable = new ArrayList<>();
    List<DicomImage> objects = new ArrayList<>();
    progress.progress(0, files.size());
    for (int i = 0; i < files.size(); i++) {
      Path file = files.get(i);
      if (fromDicomdir && !Files.isRegularFile(file)) {
        unreadable.add(new UnreadableFile(file, file + ": referenced by " + root + " but missing"));
      } else if (fromDicomdir || DicomScanner.isDicom(file)) {
        read(file, objects, unreadable, progress);
      }
      progress.progress(i + 1, files.size());
    }
    return new StudyIndex(root, group(objects), unreadable, files.size());
  }

  private static boolean isDicomdir(Path file) {
    if (file.getFileName().toString().toUpperCase(Locale.ROOT).equals("DICOMDIR")) {
      return true;
    }
    // Some media name it otherwise; only a real DICOMDIR carries a Directory Record Sequence.
    try {
      return DicomScanner.isDicom(file)
          && DicomImage.read(file).dataSet().contains(Tags.DIRECTORY_RECORD_SEQUENCE);
    } catch (MedvisionException e) {
      return false;
    }
  }

  private static List<Path> walk(Path root) {
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      throw new MedvisionException("cannot walk " + root + ": " + e.getMessage(), e);
    }
  }

  private static void read(Path file, List<DicomImage> objects, List<UnreadableFile> unreadable,
      ProgressListener progress) {
    try {
      DicomImage image = DicomImage.read(file);
      image.file().warnings().forEach(w -> progress.warning(w.toString()));
      if (image.dataSet().contains(Tags.DIRECTORY_RECORD_SEQUENCE)) {
        return;
      }
      image.slices();
      objects.add(image);
    } catch (DicomException e) {
      unreadable.add(new UnreadableFile(file, e.getMessage()));
    } catch (MedvisionException e) {
      unreadable.add(new UnreadableFile(file, file + ": " + e.getMessage()));
    } catch (RuntimeException e) {
      // A reader bug on one odd file must not end a scan of thousands; it is reported like any unreadable file.
      unreadable.add(new UnreadableFile(file, file + ": unexpected " + e));
    }
  }

  private List<StudyIndex.Patient> group(List<DicomImage> objects) {
    Map<String, Map<String, Map<String, List<DicomImage>>>> tree = new LinkedHashMap<>();
    for (DicomImage o : objects) {
      DataSet d = o.dataSet();
      String series = d.string(Tags.SERIES_INSTANCE_UID).orElse("(no Series Instance UID: " + o.source() + ")");
      tree.computeIfAbsent(d.getString(Tags.PATIENT_ID, ""), k -> new LinkedHashMap<>())
          .computeIfAbsent(d.getString(Tags.STUDY_INSTANCE_UID, ""), k -> new LinkedHashMap<>())
          .computeIfAbsent(series, k -> new ArrayList<>()).add(o);
    }
    List<StudyIndex.Patient> patients = new ArrayList<>();
    for (Map.Entry<String, Map<String, Map<String, List<DicomImage>>>> p : tree.entrySet()) {
      List<StudyIndex.Study> studies = new ArrayList<>();
      String name = "";
      for (Map.Entry<String, Map<String, List<DicomImage>>> s : p.getValue().entrySet()) {
        List<DicomSeries> series = new ArrayList<>();
        for (Map.Entry<String, List<DicomImage>> e : s.getValue().entrySet()) {
          series.add(new DicomSeries(e.getKey(), e.getValue(), assembler));
        }
        series.sort(Comparator.comparing((DicomSeries x) -> x.seriesNumber().orElse(Integer.MAX_VALUE))
            .thenComparing(DicomSeries::seriesInstanceUid));
        DataSet first = series.get(0).first();
        name = first.getString(Tags.PATIENT_NAME, "");
        studies.add(new StudyIndex.Study(s.getKey(), first.getString(Tags.STUDY_DATE, ""),
            first.getString(Tags.STUDY_DESCRIPTION, ""), series));
      }
      studies.sort(Comparator.comparing(StudyIndex.Study::date).thenComparing(StudyIndex.Study::studyInstanceUid));
      patients.add(new StudyIndex.Patient(p.getKey(), name, studies));
    }
    patients.sort(Comparator.comparing(StudyIndex.Patient::id));
    return patients;
  }
}
