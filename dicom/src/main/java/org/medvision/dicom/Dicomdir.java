package org.medvision.dicom;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a DICOMDIR (Media Storage Directory) into its directory records, in the order of the Directory Record
 * Sequence (0004,1220), each with its record type and the file it references, resolved against the DICOMDIR's folder.
 */
public final class Dicomdir {
  /**
   * One directory record.
   *
   * @param type the Directory Record Type (0004,1430), e.g. PATIENT, STUDY, SERIES, IMAGE
   * @param file the referenced file (from Referenced File ID (0004,1500)), if the record references one
   * @param attributes the record's item, with its key attributes (e.g. Patient ID, Series Instance UID)
   */
  public record Record(String type, Optional<Path> file, DataSet attributes) {}

  private Dicomdir() {}

  /**
   * Reads the records of a DICOMDIR file.
   *
   * @throws DicomException when the file is not a DICOMDIR, or a Referenced File ID is absolute or leaves the
   *     file-set folder (a {@code ..} component)
   */
  public static List<Record> read(Path dicomdir) {
    return read(dicomdir, warning -> { });
  }

  /**
   * Reads the records of a DICOMDIR, telling {@code warnings} what the lenient reader assumed (see {@link
   * DicomFile#warnings()}).
   *
   * @throws DicomException as {@link #read(Path)}
   */
  public static List<Record> read(Path dicomdir, Consumer<DicomReadWarning> warnings) {
    DicomFile file = DicomReader.readFile(dicomdir);
    file.warnings().forEach(warnings);
    DataSet dataSet = file.dataSet();
    if (!dataSet.contains(Tags.DIRECTORY_RECORD_SEQUENCE)) {
      throw new DicomException(dicomdir + ": not a DICOMDIR (no " + Tag.toString(Tags.DIRECTORY_RECORD_SEQUENCE)
          + " DirectoryRecordSequence)");
    }
    Path folder = dicomdir.toAbsolutePath().getParent();
    List<Record> records = new ArrayList<>();
    List<DataSet> items = dataSet.sequence(Tags.DIRECTORY_RECORD_SEQUENCE);
    for (int i = 0; i < items.size(); i++) {
      DataSet item = items.get(i);
      String type = item.getString(Tags.DIRECTORY_RECORD_TYPE, "");
      List<String> components = item.strings(Tags.REFERENCED_FILE_ID);
      Optional<Path> referenced = Optional.empty();
      if (!components.isEmpty()) {
        referenced = Optional.of(resolve(dicomdir, folder, components, i));
      }
      records.add(new Record(type, referenced, item));
    }
    return records;
  }

  /** The files referenced by the records, in record order. */
  public static List<Path> referencedFiles(Path dicomdir) {
    return referencedFiles(dicomdir, warning -> { });
  }

  /** The files referenced by the records, in record order, telling {@code warnings} the reader's assumptions. */
  public static List<Path> referencedFiles(Path dicomdir, Consumer<DicomReadWarning> warnings) {
    List<Path> files = new ArrayList<>();
    for (Record record : read(dicomdir, warnings)) {
      record.file().ifPresent(files::add);
    }
    return files;
  }

  private static Path resolve(Path dicomdir, Path folder, List<String> components, int index) {
    Path path = folder;
    for (String component : components) {
      if (component.isEmpty() || component.equals("..") || component.equals(".") || component.contains("/")
          || component.contains(":")) {
        throw new DicomException(dicomdir + ": record " + (index + 1) + " has an invalid Referenced File ID component '"
            + component + "' in " + String.join("\\", components));
      }
      try {
        path = path.resolve(component);
      } catch (InvalidPathException e) {
        // A NUL or another character the file system rejects (a fuzzing finding).
        throw new DicomException(dicomdir + ": record " + (index + 1) + " has a Referenced File ID component that is"
            + " not a valid file name: " + e.getMessage(), e);
      }
    }
    return path;
  }
}
