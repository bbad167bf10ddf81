package org.medvision.io.synth.chest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;

/**
 * The manifest of a synthetic chest CT set: {@code manifest.csv}, header {@value #HEADER}, one row per scan.
 *
 * <p>Paths are relative to the manifest's folder with {@code /} separators: {@code ct} is a NIfTI file
 * ({@code ct/case_0001.nii.gz}) or a DICOM series folder ({@code ct/case_0001}); the masks are NIfTI files in
 * {@code masks/}. {@code infection_mask} is empty where the set has no infection mask for the scan. Labels are
 * {@code covid} and {@code cap}. No value contains a comma or a quote, so rows need no quoting.
 */
public final class ChestCtManifest {
  /** The header line. */
  public static final String HEADER = "ct,lung_mask,infection_mask,label,patient_id";

  private ChestCtManifest() {}

  /**
   * One row.
   *
   * @param ct path of the CT file or series folder, relative to the manifest
   * @param lungMask path of the lung mask, relative to the manifest
   * @param infectionMask path of the infection mask, or empty when there is none
   * @param label {@code covid} or {@code cap}
   * @param patientId the patient; a patient's scans share it
   */
  public record Row(String ct, String lungMask, Optional<String> infectionMask, String label, String patientId) {
    /** The CSV line, without a line end. */
    String line() {
      return String.join(",", ct, lungMask, infectionMask.orElse(""), label, patientId);
    }
  }

  /**
   * Writes {@code rows} to {@code file} atomically, with the header and {@code \n} line ends.
   *
   * @throws MedvisionException if writing fails
   */
  public static void write(Path file, List<Row> rows) {
    StringBuilder text = new StringBuilder(HEADER).append('\n');
    for (Row row : rows) {
      text.append(row.line()).append('\n');
    }
    try {
      AtomicFiles.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new MedvisionException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a manifest written by {@link #write}.
   *
   * @throws MedvisionException if the file cannot be read, its header differs, or a line has not five fields (naming
   *     the line)
   */
  public static List<Row> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MedvisionException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new MedvisionException(file + " does not start with the header " + HEADER);
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isEmpty()) {
        continue;
      }
      String[] f = lines.get(i).split(",", -1);
      if (f.length != 5) {
        throw new MedvisionException(file + " line " + (i + 1) + " has " + f.length + " fields, expected 5");
      }
      rows.add(new Row(f[0], f[1], f[2].isEmpty() ? Optional.empty() : Optional.of(f[2]), f[3], f[4]));
    }
    return rows;
  }
}
