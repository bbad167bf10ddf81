package org.medvision.runtime.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import org.medvision.api.IoErrors;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.VolumeField;
import org.medvision.dicom.DicomScanner;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.CsvParser;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.dicom.StudyIndex;
import org.medvision.io.dicom.StudyScanner;
import org.medvision.io.dicom.UnreadableFile;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.volume.Volume;
import org.medvision.io.volume.VolumeFiles;
import org.medvision.runtime.PredictionInput;

/**
 * The inputs of a batch job, found lazily (one folder or one manifest row at a time, so a tree of millions of files
 * is never listed in memory) and grouped as {@code predict} groups them: for a 2-D task every PNG, JPEG or BMP image,
 * every frame of every DICOM file and every z slice of a NIfTI volume; for a 3-D task every DICOM series (the files of
 * one series are looked for in one folder) and every NIfTI volume. A file that cannot be read becomes an error item,
 * never an exception; files of other kinds are passed over. Hidden files and folders (names starting with {@code .})
 * and DICOMDIR files (their files are met in the walk anyway) are left out.
 *
 * <p>Sources: a folder tree (walked depth first in name order, a folder's files before its subfolders), or a manifest,
 * a CSV file with a {@code path} column naming a file or folder per row (relative paths are resolved against the
 * manifest's folder; other columns are ignored). Not thread-safe: one thread iterates.
 */
public final class BatchInputs implements Iterator<BatchItem> {
  private final DataSchema schema;
  private final boolean volumes;
  /** Folder walk: folders still to visit with their ids, the next on top. */
  private final Deque<Unit> folders = new ArrayDeque<>();
  /** Manifest rows still to expand. */
  private final Iterator<Unit> rows;
  private final Deque<BatchItem> pending = new ArrayDeque<>();
  private final Path source;
  private long units = -1;
  private long unitsDone;
  private long produced;

  /** A file or folder to expand, with the id prefix it gets. */
  private record Unit(Path file, String id) {}

  private BatchInputs(DataSchema schema, Path source, Iterator<Unit> rows) {
    this.schema = schema;
    this.volumes = primaryIsVolume(schema);
    this.source = source;
    this.rows = rows;
  }

  /**
   * The inputs under {@code folder}; ids are paths relative to it.
   *
   * @throws MedvisionException if it is no folder
   */
  public static BatchInputs folder(DataSchema schema, Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new MedvisionException("input folder " + folder + (Files.exists(folder) ? " is a file" : " does not exist")
          + "; give a folder of inputs or a manifest (.csv)");
    }
    BatchInputs in = new BatchInputs(schema, folder, List.<Unit>of().iterator());
    in.folders.push(new Unit(folder, "."));
    return in;
  }

  /**
   * The inputs the rows of {@code csv} name; ids are the {@code path} cells as written (plus a fragment where one row
   * yields several inputs).
   *
   * @throws MedvisionException if the file cannot be read, is no CSV or has no {@code path} column
   */
  public static BatchInputs manifest(DataSchema schema, Path csv) {
    String text;
    try {
      text = Files.readString(csv, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MedvisionException("cannot read manifest " + csv + ": " + IoErrors.describe(e), e);
    }
    List<CsvParser.Record> records = CsvParser.parse(text, csv.toString());
    if (records.isEmpty()) {
      throw new MedvisionException("manifest " + csv + " is empty; it needs a header with a 'path' column");
    }
    int column = records.get(0).fields().indexOf("path");
    if (column < 0) {
      throw new MedvisionException("manifest " + csv + " has no 'path' column; its header is "
          + records.get(0).fields());
    }
    Path base = csv.toAbsolutePath().getParent();
    List<Unit> units = new ArrayList<>(records.size() - 1);
    for (CsvParser.Record r : records.subList(1, records.size())) {
      String cell = column < r.fields().size() ? r.fields().get(column).trim() : "";
      units.add(new Unit(cell.isEmpty() ? null : base.resolve(cell), cell.isEmpty() ? csv.getFileName() + " line "
          + r.line() : cell));
    }
    BatchInputs in = new BatchInputs(schema, csv, units.iterator());
    in.units = units.size();
    return in;
  }

  /**
   * A folder or a manifest, by what {@code path} is.
   *
   * @throws MedvisionException if it is neither a folder nor a {@code .csv} file
   */
  public static BatchInputs of(DataSchema schema, Path path) {
    if (Files.isDirectory(path)) {
      return folder(schema, path);
    }
    if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return manifest(schema, path);
    }
    throw new MedvisionException("input " + path + (Files.exists(path) ? " is neither a folder nor a manifest (.csv)"
        : " does not exist") + "; give a folder of inputs or a CSV manifest with a 'path' column");
  }

  /**
   * The inputs of one file as a 2-D or 3-D task reads it (for a 3-D task a DICOM file is one series of one file),
   * e.g. a file a distributed job copied to local disk; an unreadable file gives one error item.
   *
   * @param inputId the id of the file (fragments are appended where it yields several inputs)
   * @param path the path recorded in the rows, e.g. the file's original URI
   */
  public static List<BatchItem> expand(DataSchema schema, Path file, String inputId, String path) {
    List<BatchItem> out = new ArrayList<>();
    boolean volumes = primaryIsVolume(schema);
    if (!Files.isRegularFile(file)) {
      out.add(BatchItem.failed(inputId, path, path + ": not found"));
    } else if (VolumeFiles.isNifti(file)) {
      nifti(file, inputId, path, volumes, out);
    } else if (!volumes && isImage(file)) {
      out.add(BatchItem.of(inputId, path, new PredictionInput.ImageFile(file, null)));
    } else if (volumes) {
      series(file.toAbsolutePath().getParent(), List.of(file), inputId, path, true, out);
    } else {
      dicomImages(file, inputId, path, out);
    }
    return out;
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty()) {
      if (!folders.isEmpty()) {
        visit(folders.pop());
      } else if (rows.hasNext()) {
        row(rows.next());
      } else {
        return false;
      }
    }
    return true;
  }

  @Override
  public BatchItem next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    produced++;
    return pending.poll();
  }

  /**
   * The number of items this source will give in all: exact once it is exhausted, before that the items given so far
   * plus one per file (2-D tasks) or per folder with files (3-D tasks) still to expand. For a folder the first call
   * lists the tree (names only, no file is read).
   */
  public long estimatedCount() {
    if (units < 0) {
      units = countUnits();
    }
    return produced + pending.size() + Math.max(0, units - unitsDone);
  }

  private void row(Unit u) {
    unitsDone++;
    if (u.file() == null) {
      pending.add(BatchItem.failed(u.id(), "", u.id() + ": empty path"));
    } else if (Files.isDirectory(u.file())) {
      // A folder row is walked like a folder input, its ids under the row's.
      BatchInputs walk = new BatchInputs(schema, u.file(), List.<Unit>of().iterator());
      walk.folders.push(new Unit(u.file(), u.id()));
      walk.forEachRemaining(pending::add);
    } else {
      pending.addAll(expand(schema, u.file(), u.id(), u.file().toString()));
    }
  }

  /** Expands one folder's files and queues its subfolders (in name order). */
  private void visit(Unit folder) {
    List<Path> files = new ArrayList<>();
    List<Path> subfolders = new ArrayList<>();
    for (Path p : list(folder.file())) {
      if (Files.isDirectory(p)) {
        subfolders.add(p);
      } else if (Files.isRegularFile(p) && !isDicomdir(p)) {
        files.add(p);
      }
    }
    for (int i = subfolders.size() - 1; i >= 0; i--) {
      Path s = subfolders.get(i);
      folders.push(new Unit(s, join(folder.id(), s.getFileName().toString())));
    }
    List<Path> dicom = new ArrayList<>();
    for (Path f : files) {
      String id = join(folder.id(), f.getFileName().toString());
      if (VolumeFiles.isNifti(f)) {
        unitsDone++;
        nifti(f, id, f.toString(), volumes, pending);
      } else if (isImage(f)) {
        if (!volumes) {
          unitsDone++;
          pending.add(BatchItem.of(id, f.toString(), new PredictionInput.ImageFile(f, null)));
        }
      } else if (volumes) {
        dicom.add(f);
      } else {
        unitsDone++;
        if (isDicomName(f) || DicomScanner.isDicom(f)) {
          dicomImages(f, id, f.toString(), pending);
        }
      }
    }
    if (!dicom.isEmpty()) {
      unitsDone++;
      series(folder.file(), dicom, folder.id(), folder.file().toString(), false, pending);
    }
  }

  /** A NIfTI file: one scan for a 3-D task (read when predicted), one input per z slice for a 2-D task. */
  private static void nifti(Path file, String id, String path, boolean volumes, Deque<BatchItem> out) {
    if (volumes) {
      out.add(BatchItem.of(id, path, new PredictionInput.Scan(file, null)));
      return;
    }
    Volume v;
    try {
      v = new NiftiReader().read(file).volume();
    } catch (RuntimeException e) {
      out.add(BatchItem.failed(id, path, message(path, e)));
      return;
    }
    for (int z = 0; z < v.nz(); z++) {
      out.add(BatchItem.of(id + "#slice=" + (z + 1), path, new PredictionInput.NiftiSlice(file, v, z)));
    }
  }

  private static void nifti(Path file, String id, String path, boolean volumes, List<BatchItem> out) {
    Deque<BatchItem> items = new ArrayDeque<>();
    nifti(file, id, path, volumes, items);
    out.addAll(items);
  }

  /** The frames of one DICOM file for a 2-D task. */
  private static void dicomImages(Path file, String id, String path, java.util.Collection<BatchItem> out) {
    if (!DicomScanner.isDicom(file)) {
      out.add(BatchItem.failed(id, path, path + ": not a DICOM file (no DICM preamble and no data set at its start)"));
      return;
    }
    StudyIndex index;
    try {
      index = new StudyScanner().scan(file.toAbsolutePath().getParent(), List.of(file), ProgressListener.NONE);
    } catch (RuntimeException e) {
      out.add(BatchItem.failed(id, path, message(path, e)));
      return;
    }
    for (UnreadableFile u : index.unreadable()) {
      out.add(BatchItem.failed(id, path, u.error()));
    }
    for (DicomSeries s : index.series()) {
      for (DicomImage image : s.images()) {
        if (image.frameCount() == 1) {
          out.add(BatchItem.of(id, path, new PredictionInput.ImageFile(file, image)));
        } else {
          for (int f = 1; f <= image.frameCount(); f++) {
            out.add(BatchItem.of(id + "#frame=" + f, path, new PredictionInput.DicomFrame(image, f)));
          }
        }
      }
    }
  }

  /**
   * The DICOM series among {@code files} of one folder for a 3-D task; each unreadable DICOM file is an error item.
   *
   * @param single whether {@code files} is one file named by {@code id} (else they are the folder {@code id}'s)
   */
  private static void series(Path folder, List<Path> files, String id, String path, boolean single,
      java.util.Collection<BatchItem> out) {
    List<Path> candidates = new ArrayList<>();
    for (Path f : files) {
      if (DicomScanner.isDicom(f)) {
        candidates.add(f);
      } else if (isDicomName(f) || single) {
        out.add(BatchItem.failed(single ? id : join(id, f.getFileName().toString()), f.toString(), f
            + ": not a DICOM file (no DICM preamble and no data set at its start)"));
      }
    }
    StudyIndex index;
    try {
      index = new StudyScanner().scan(folder, candidates, ProgressListener.NONE);
    } catch (RuntimeException e) {
      out.add(BatchItem.failed(id, path, message(path, e)));
      return;
    }
    for (UnreadableFile u : index.unreadable()) {
      out.add(BatchItem.failed(single ? id : join(id, u.file().getFileName().toString()), u.file().toString(),
          u.error()));
    }
    for (DicomSeries s : index.series()) {
      if (s.hasImages()) {
        out.add(BatchItem.of(id + "#series=" + s.seriesInstanceUid(), path, new PredictionInput.Scan(folder, s)));
      }
    }
  }

  private long countUnits() {
    long n = 0;
    Deque<Path> todo = new ArrayDeque<>();
    folders.forEach(u -> todo.push(u.file()));
    while (!todo.isEmpty()) {
      boolean dicom = false;
      for (Path p : list(todo.pop())) {
        if (Files.isDirectory(p)) {
          todo.push(p);
        } else if (VolumeFiles.isNifti(p) || (!volumes && Files.isRegularFile(p) && !isDicomdir(p))) {
          n++;
        } else if (volumes && !isImage(p) && !isDicomdir(p)) {
          dicom = true;
        }
      }
      n += dicom ? 1 : 0;
    }
    return n + unitsDone;
  }

  /** The visible entries of {@code folder}, in name order. */
  private static List<Path> list(Path folder) {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    } catch (IOException | RuntimeException e) {
      throw new MedvisionException("cannot list input folder " + folder + ": " + e.getMessage(), e);
    }
  }

  private static String join(String parent, String name) {
    return parent.equals(".") ? name : parent + "/" + name;
  }

  private static String message(String path, RuntimeException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.contains(path) ? m : path + ": " + m;
  }

  private static boolean primaryIsVolume(DataSchema schema) {
    Field primary = schema.primaryInput();
    if (!(primary instanceof VolumeField) && !(primary instanceof ImageField)) {
      throw new MedvisionException("the task's primary input '" + primary.name() + "' is neither an image nor a "
          + "volume");
    }
    return primary instanceof VolumeField;
  }

  private static boolean isImage(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp");
  }

  private static boolean isDicomName(Path file) {
    return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".dcm");
  }

  private static boolean isDicomdir(Path file) {
    return file.getFileName().toString().equalsIgnoreCase("DICOMDIR");
  }

  /** The folder or manifest the inputs come from. */
  public Path source() {
    return source;
  }

  @Override
  public String toString() {
    return "BatchInputs[" + source + "]";
  }
}
