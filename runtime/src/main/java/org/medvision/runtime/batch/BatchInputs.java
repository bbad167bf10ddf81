package org.medvision.runtime.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
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
  /**
   * The current folder's files (or its DICOM series), each expanded when the items before it are taken, so that at
   * most one file's items (one NIfTI volume's slices for a 2-D task) wait in {@link #pending}.
   */
  private final Deque<Runnable> expansions = new ArrayDeque<>();
  /** The walk of a manifest row that names a folder, while it lasts. */
  private BatchInputs rowWalk;
  private final Deque<BatchItem> pending = new ArrayDeque<>();
  /** The real paths of the folders met in the walk. */
  private final Set<Path> visited = new HashSet<>();
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
    firstVisit(folder, in.visited);
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
    // One pass to check the whole file and count its rows; the rows are then parsed again as they are expanded.
    Iterator<CsvParser.Record> check = CsvParser.iterate(text, csv.toString());
    if (!check.hasNext()) {
      throw new MedvisionException("manifest " + csv + " is empty; it needs a header with a 'path' column");
    }
    List<String> header = check.next().fields();
    int column = header.indexOf("path");
    if (column < 0) {
      throw new MedvisionException("manifest " + csv + " has no 'path' column; its header is " + header);
    }
    long count = 0;
    for (; check.hasNext(); check.next()) {
      count++;
    }
    Iterator<CsvParser.Record> records = CsvParser.iterate(text, csv.toString());
    records.next();
    Path base = csv.toAbsolutePath().getParent();
    Iterator<Unit> units = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Unit next() {
        CsvParser.Record r = records.next();
        String cell = column < r.fields().size() ? r.fields().get(column).trim() : "";
        return new Unit(cell.isEmpty() ? null : base.resolve(cell), cell.isEmpty() ? csv.getFileName() + " line "
            + r.line() : cell);
      }
    };
    BatchInputs in = new BatchInputs(schema, csv, units);
    in.units = count;
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
      if (!expansions.isEmpty()) {
        expansions.poll().run();
      } else if (rowWalk != null && rowWalk.hasNext()) {
        pending.add(rowWalk.next());
      } else if (!folders.isEmpty()) {
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
    long walking = rowWalk == null ? 0 : rowWalk.estimatedCount() - rowWalk.produced;
    return produced + pending.size() + walking + Math.max(0, units - unitsDone);
  }

  /**
   * Leaves {@code folder} out of the walk if it lies under the input folder, e.g. the job's own output folder, whose
   * maps would otherwise become inputs of the next run.
   */
  public void passOver(Path folder) {
    if (Files.isDirectory(folder)) {
      firstVisit(folder, visited);
    }
  }

  private void row(Unit u) {
    unitsDone++;
    if (u.file() == null) {
      pending.add(BatchItem.failed(u.id(), "", u.id() + ": empty path"));
    } else if (Files.isDirectory(u.file())) {
      // Walked like a folder input, its ids under the row's, one item at a time as this source is asked for them.
      BatchInputs walk = new BatchInputs(schema, u.file(), List.<Unit>of().iterator());
      walk.visited.addAll(visited);
      if (walk.firstVisitOrError(u)) {
        walk.folders.push(u);
      }
      rowWalk = walk;
    } else {
      pending.addAll(expand(schema, u.file(), u.id(), u.file().toString()));
    }
  }

  /**
   * Lists one folder: queues its subfolders (in name order) and the expansion of its files. A folder that cannot be
   * listed is an error item with its id, and the walk goes on.
   */
  private void visit(Unit folder) {
    List<Path> entries;
    try {
      entries = list(folder.file());
    } catch (MedvisionException e) {
      if (folder.id().equals(".")) {
        throw e;
      }
      pending.add(BatchItem.failed(folder.id(), folder.file().toString(), e.getMessage()));
      return;
    }
    List<Path> files = new ArrayList<>();
    List<Unit> subfolders = new ArrayList<>();
    for (Path p : entries) {
      if (Files.isDirectory(p)) {
        Unit sub = new Unit(p, join(folder.id(), p.getFileName().toString()));
        if (firstVisitOrError(sub)) {
          subfolders.add(sub);
        }
      } else if (Files.isRegularFile(p) && !isDicomdir(p)) {
        files.add(p);
      }
    }
    for (int i = subfolders.size() - 1; i >= 0; i--) {
      folders.push(subfolders.get(i));
    }
    List<Path> dicom = new ArrayList<>();
    for (Path f : files) {
      String id = join(folder.id(), f.getFileName().toString());
      if (VolumeFiles.isNifti(f)) {
        expansions.add(() -> {
          unitsDone++;
          nifti(f, id, f.toString(), volumes, pending);
        });
      } else if (isImage(f)) {
        if (!volumes) {
          expansions.add(() -> {
            unitsDone++;
            pending.add(BatchItem.of(id, f.toString(), new PredictionInput.ImageFile(f, null)));
          });
        }
      } else if (volumes) {
        dicom.add(f);
      } else {
        expansions.add(() -> {
          unitsDone++;
          if (isDicomName(f) || DicomScanner.isDicom(f)) {
            dicomImages(f, id, f.toString(), pending);
          }
        });
      }
    }
    if (!dicom.isEmpty()) {
      expansions.add(() -> {
        unitsDone++;
        series(folder.file(), dicom, folder.id(), folder.file().toString(), false, pending);
      });
    }
  }

  /**
   * Whether folder {@code u} is to be walked: met for the first time; a folder whose real path cannot be resolved is
   * an error item instead.
   */
  private boolean firstVisitOrError(Unit u) {
    try {
      return firstVisit(u.file(), visited);
    } catch (MedvisionException e) {
      pending.add(BatchItem.failed(u.id(), u.file().toString(), e.getMessage()));
      return false;
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
    Set<Path> seen = new HashSet<>(visited);
    folders.forEach(u -> todo.push(u.file()));
    while (!todo.isEmpty()) {
      boolean dicom = false;
      List<Path> entries;
      try {
        entries = list(todo.pop());
      } catch (MedvisionException e) {
        // The walk makes it an error item; the estimate counts it as one.
        n++;
        continue;
      }
      for (Path p : entries) {
        if (Files.isDirectory(p)) {
          if (firstVisitQuietly(p, seen)) {
            todo.push(p);
          }
        } else if (VolumeFiles.isNifti(p) || (!volumes && Files.isRegularFile(p) && !isDicomdir(p))) {
          n++;
        } else if (volumes && !isImage(p) && !isDicomdir(p)) {
          dicom = true;
        }
      }
      n += dicom ? 1 : 0;
    }
    // Files of the folder being walked are listed but not yet expanded: one unit each.
    return n + unitsDone + expansions.size();
  }

  /**
   * Whether folder {@code p} is met for the first time (by its real path), so that a symbolic link back up the tree
   * does not walk it forever.
   */
  private static boolean firstVisit(Path p, Set<Path> visited) {
    try {
      return visited.add(p.toRealPath());
    } catch (IOException e) {
      throw new MedvisionException("cannot resolve input folder " + p + ": " + IoErrors.describe(e), e);
    }
  }

  private static boolean firstVisitQuietly(Path p, Set<Path> visited) {
    try {
      return firstVisit(p, visited);
    } catch (MedvisionException e) {
      return false;
    }
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
