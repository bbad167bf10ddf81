package org.medvision.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds DICOM files in a directory tree: files with the Part 10 {@code DICM} magic at offset 128, and raw data sets
 * without meta information whose first element header is plausible (an even group from 0008 with a valid explicit VR,
 * or an implicit VR length that fits the file). Everything else (text, images, archives) is skipped. Only the first
 * 140 bytes of each file are read.
 */
public final class DicomScanner {
  private DicomScanner() {}

  /**
   * The DICOM files under {@code root} (or {@code root} itself when it is a file), sorted by path.
   *
   * @throws DicomException when the tree cannot be walked
   */
  public static List<Path> scan(Path root) {
    if (Files.isRegularFile(root)) {
      return isDicom(root) ? List.of(root) : List.of();
    }
    try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
      List<Path> out = new ArrayList<>();
      walk.filter(Files::isRegularFile).sorted().forEach(file -> {
        if (isDicom(file)) {
          out.add(file);
        }
      });
      return out;
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DicomException(root + ": cannot scan for DICOM files: " + e.getMessage(), e);
    }
  }

  /** True when the file starts like a DICOM Part 10 file or a raw data set; false if it cannot be read. */
  public static boolean isDicom(Path file) {
    byte[] head = new byte[132];
    int n;
    long size;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
      size = Files.size(file);
    } catch (IOException e) {
      return false;
    }
    if (n >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
      return true;
    }
    if (n < 8) {
      return false;
    }
    int groupLe = (head[0] & 0xFF) | (head[1] & 0xFF) << 8;
    int groupBe = (head[0] & 0xFF) << 8 | (head[1] & 0xFF);
    boolean explicit = VR.fromCode(head[4], head[5]) != null;
    if (groupLe == 0x0002 || groupLe == 0x0008 || groupBe == 0x0008 && explicit) {
      if (explicit) {
        return true;
      }
      long length = (head[4] & 0xFFL) | (head[5] & 0xFFL) << 8 | (head[6] & 0xFFL) << 16 | (head[7] & 0xFFL) << 24;
      return groupLe == 0x0008 && length + 8 <= size;
    }
    return false;
  }
}
