package org.medvision.runtime.batch;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medvision.api.AtomicFiles;
import org.medvision.api.IoErrors;
import org.medvision.api.MedvisionException;

/**
 * A batch job's output folder: the header ({@value #HEADER}), one subfolder per format holding part files, and
 * {@code maps/}. A part is complete when it exists in every format; each part file is written under a hidden temporary
 * name and renamed when whole, so a job killed at any moment leaves complete parts, possibly one part missing in some
 * format, and hidden temporary files. Opening the folder removes the last two, so a resumed job redoes exactly the
 * inputs of the parts that were not complete. Thread-safe.
 */
public final class BatchFolder {
  /** The header's file name; the leading {@code _} makes Spark and Hadoop pass it over as data. */
  public static final String HEADER = "_medvision_batch.json";
  /** The maps' subfolder. */
  public static final String MAPS = "maps";
  private static final Pattern PART = Pattern.compile("part-(\\d+)\\.([a-z]+)");

  private final Path out;
  private final BatchHeader header;
  private final PredictionSchema schema;
  private final List<OutputFormat> formats;
  private final InputIdSet done = new InputIdSet();
  private long failedBefore;
  /** Why parts found when the folder was opened are redone. */
  private final List<String> redone = new ArrayList<>();
  private boolean headerWritten;
  private int nextPart;

  private BatchFolder(Path out, BatchHeader header, PredictionSchema schema, List<OutputFormat> formats) {
    this.out = out;
    this.header = header;
    this.schema = schema;
    this.formats = formats;
  }

  /**
   * Opens {@code out} for a job with {@code header}, creating it when missing. A folder with results of the same
   * header is resumed: its incomplete parts and temporary files are removed and the input ids of its complete parts
   * are {@link #done()}. A folder whose header differs is refused, naming the differences, unless {@code force}, which
   * deletes its results (header, part files, maps) first.
   *
   * @throws MedvisionException if the folder cannot be created or read, or belongs to another job
   */
  public static BatchFolder open(Path out, BatchHeader header, PredictionSchema schema, List<OutputFormat> formats,
      boolean force) {
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new MedvisionException("output folder " + out + " is an existing file; give a folder (it is created when "
          + "missing)");
    }
    BatchFolder folder = new BatchFolder(out, header, schema, formats);
    try {
      Files.createDirectories(out);
      Path file = out.resolve(HEADER);
      if (Files.exists(file)) {
        List<String> differences;
        try {
          differences = BatchHeader.parse(Files.readString(file, StandardCharsets.UTF_8)).differences(header);
        } catch (JsonParseException | IllegalStateException e) {
          differences = List.of(file + " is no batch header (" + e.getMessage() + ")");
        }
        if (!differences.isEmpty() && !force) {
          throw new MedvisionException("output folder " + out + " holds results of another job: "
              + String.join("; ", differences) + "; give --force to delete them and start over, or another output "
              + "folder");
        }
        if (!differences.isEmpty()) {
          folder.deleteResults();
        } else {
          folder.headerWritten = true;
        }
      } else if (!folder.parts().isEmpty()) {
        if (!force) {
          throw new MedvisionException("output folder " + out + " holds part files but no " + HEADER + "; give "
              + "--force to delete them and start over, or another output folder");
        }
        folder.deleteResults();
      }
      folder.resume();
    } catch (IOException e) {
      throw new MedvisionException("cannot use output folder " + out + ": " + IoErrors.describe(e), e);
    }
    return folder;
  }

  /** The input ids of the complete parts (and of those this job commits). */
  public boolean isDone(String inputId) {
    return done.contains(inputId);
  }

  /** The error rows of the complete parts the folder held when it was opened. */
  public long failedBefore() {
    return failedBefore;
  }

  /** Why complete-looking parts were removed when the folder was opened (their inputs are predicted again). */
  public List<String> redone() {
    return List.copyOf(redone);
  }

  /** The number of input ids done. */
  public int doneCount() {
    return done.size();
  }

  /** The folder maps are written to. */
  public Path maps() {
    return out.resolve(MAPS);
  }

  /** The folder. */
  public Path path() {
    return out;
  }

  /**
   * Writes the header if the folder has none yet; a job calls it once it knows its model fits the inputs, so a failed
   * start leaves no header that would refuse the next attempt.
   */
  public synchronized void begin() {
    if (headerWritten) {
      return;
    }
    try {
      // On disk like the parts, so that a power cut cannot leave parts without their header.
      AtomicFiles.writeDurably(out.resolve(HEADER), header.toJson().getBytes(StandardCharsets.UTF_8));
      AtomicFiles.syncFolder(out);
    } catch (IOException e) {
      throw new MedvisionException("cannot write " + out.resolve(HEADER) + ": " + IoErrors.describe(e), e);
    }
    headerWritten = true;
  }

  /**
   * Writes {@code rows} as the next part in every format: each under a hidden temporary name first, then all renamed.
   *
   * @return the part's number
   * @throws MedvisionException if a file cannot be written (its temporary files are removed)
   */
  public int commit(List<PredictionRow> rows) {
    begin();
    int number;
    synchronized (this) {
      number = nextPart++;
    }
    List<Path> temporary = new ArrayList<>();
    try {
      for (OutputFormat f : formats) {
        Path target = f.part(out, number);
        Files.createDirectories(target.getParent());
        Path tmp = AtomicFiles.createSibling(target, "");
        temporary.add(tmp);
        f.write(tmp, schema, rows);
        // On disk before the rename: after a power cut a part is whole or absent, never empty under its final name.
        AtomicFiles.sync(tmp);
      }
      for (int i = 0; i < formats.size(); i++) {
        AtomicFiles.replace(temporary.get(i), formats.get(i).part(out, number));
      }
      temporary.clear();
      for (OutputFormat f : formats) {
        AtomicFiles.syncFolder(out.resolve(f.extension()));
      }
    } catch (IOException | RuntimeException e) {
      throw new MedvisionException("cannot write part " + number + " of " + out + ": " + (e instanceof IOException io
          ? IoErrors.describe(io) : e.toString()), e);
    } finally {
      for (Path t : temporary) {
        try {
          Files.deleteIfExists(t);
        } catch (IOException ignored) {
          // The next run's resume removes it.
        }
      }
    }
    rows.forEach(r -> done.add(r.inputId()));
    return number;
  }

  /**
   * The rows of every complete part of {@code out} in {@code format}, in part order, read with the columns its header
   * records.
   *
   * @throws MedvisionException if the folder has no header or a part cannot be read
   */
  public static List<PredictionRow> readRows(Path out, OutputFormat format) {
    Path file = out.resolve(HEADER);
    try {
      BatchHeader header = BatchHeader.parse(Files.readString(file, StandardCharsets.UTF_8));
      PredictionSchema schema = header.schema();
      List<PredictionRow> rows = new ArrayList<>();
      for (Path part : partFiles(out, format).values()) {
        rows.addAll(format.read(part, schema));
      }
      return rows;
    } catch (IOException | JsonParseException e) {
      throw new MedvisionException("cannot read batch results in " + out + ": " + e.getMessage(), e);
    }
  }

  /**
   * Removes temporary files and incomplete parts, reads the done ids, and numbers the next part. A part is complete
   * when every format holds it, each readable and with the same input ids (a file damaged after it was written, e.g. on
   * a disk that lost its last writes, makes its part incomplete, so its inputs are predicted again).
   */
  private void resume() throws IOException {
    Map<OutputFormat, Map<Integer, Path>> byFormat = new TreeMap<>();
    for (OutputFormat f : OutputFormat.values()) {
      deleteTemporary(out.resolve(f.extension()));
      byFormat.put(f, partFiles(out, f));
    }
    TreeSet<Integer> numbers = new TreeSet<>();
    byFormat.values().forEach(m -> numbers.addAll(m.keySet()));
    for (int n : numbers) {
      boolean complete = formats.stream().allMatch(f -> byFormat.get(f).containsKey(n));
      if (!complete) {
        for (OutputFormat f : formats) {
          Path p = byFormat.get(f).remove(n);
          if (p != null) {
            Files.delete(p);
          }
        }
      }
    }
    for (int n : new TreeSet<>(byFormat.get(formats.get(0)).keySet())) {
      List<PredictionRow> rows = consistentRows(byFormat, n);
      if (rows == null) {
        for (OutputFormat f : formats) {
          Files.delete(byFormat.get(f).remove(n));
        }
        continue;
      }
      for (PredictionRow r : rows) {
        done.add(r.inputId());
        failedBefore += r.failed() ? 1 : 0;
      }
    }
    nextPart = numbers.isEmpty() ? 0 : numbers.last() + 1;
  }

  /**
   * The rows of part {@code n}, or null (saying why in {@link #redone}) when a format's file cannot be read or holds
   * other ids than the first format's.
   */
  private List<PredictionRow> consistentRows(Map<OutputFormat, Map<Integer, Path>> byFormat, int n) {
    List<PredictionRow> first = null;
    for (OutputFormat f : formats) {
      Path file = byFormat.get(f).get(n);
      List<PredictionRow> rows;
      try {
        rows = f.read(file, schema);
      } catch (IOException | RuntimeException e) {
        redone.add(file + " does not read (" + e.getMessage() + ")");
        return null;
      }
      if (first == null) {
        first = rows;
      } else if (!ids(first).equals(ids(rows))) {
        redone.add(file + " holds other inputs than " + byFormat.get(formats.get(0)).get(n).getFileName());
        return null;
      }
    }
    return first;
  }

  private static List<String> ids(List<PredictionRow> rows) {
    return rows.stream().map(PredictionRow::inputId).toList();
  }

  /** The part files of {@code format} by number. */
  private static Map<Integer, Path> partFiles(Path out, OutputFormat format) throws IOException {
    Map<Integer, Path> parts = new TreeMap<>();
    Path dir = out.resolve(format.extension());
    if (!Files.isDirectory(dir)) {
      return parts;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = PART.matcher(p.getFileName().toString());
        if (m.matches() && m.group(2).equals(format.extension())) {
          parts.put(Integer.parseInt(m.group(1)), p);
        }
      }
    }
    return parts;
  }

  private List<Path> parts() throws IOException {
    List<Path> all = new ArrayList<>();
    for (OutputFormat f : OutputFormat.values()) {
      all.addAll(partFiles(out, f).values());
    }
    return all;
  }

  private static void deleteTemporary(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith(".part-")
          && p.getFileName().toString().endsWith(".tmp")).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Deletes the header, every part and temporary file, and the maps folder. */
  private void deleteResults() throws IOException {
    Files.deleteIfExists(out.resolve(HEADER));
    for (OutputFormat f : OutputFormat.values()) {
      deleteTemporary(out.resolve(f.extension()));
      for (Path p : partFiles(out, f).values()) {
        Files.delete(p);
      }
    }
    Path maps = maps();
    if (Files.isDirectory(maps)) {
      try (Stream<Path> tree = Files.walk(maps)) {
        for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
