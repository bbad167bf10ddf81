package org.medvision.dicom;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A parsed DICOM object: its file meta information (empty when the source had none), its data set and the transfer
 * syntax the data set was encoded with. Pixel values stay in the source; see {@link BulkData}.
 */
public final class DicomFile {
  private final String source;
  private final Path file;
  private final DataSet meta;
  private final DataSet dataSet;
  private final TransferSyntax transferSyntax;
  private final boolean preamble;
  private final List<DicomReadWarning> warnings;

  DicomFile(String source, Path file, DataSet meta, DataSet dataSet, TransferSyntax transferSyntax,
      boolean preamble, List<DicomReadWarning> warnings) {
    this.source = source;
    this.file = file;
    this.meta = meta;
    this.dataSet = dataSet;
    this.transferSyntax = transferSyntax;
    this.preamble = preamble;
    this.warnings = List.copyOf(warnings);
  }

  /** The file path, or the name given for an in-memory source; used in messages. */
  public String source() {
    return source;
  }

  /** The path when read from a file. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The file meta information group (0002,xxxx); empty for raw data sets. */
  public DataSet meta() {
    return meta;
  }

  /** The data set. */
  public DataSet dataSet() {
    return dataSet;
  }

  /** The transfer syntax of the data set (from the meta group, or detected for raw data sets). */
  public TransferSyntax transferSyntax() {
    return transferSyntax;
  }

  /** True when the source started with a 128-byte preamble and {@code DICM}. */
  public boolean hasPreamble() {
    return preamble;
  }

  /** True when the source had a file meta information group. */
  public boolean hasMeta() {
    return !meta.isEmpty();
  }

  /**
   * The rule breaks the lenient reader read past, each with what it assumed, in the order met; empty for a
   * well-formed file and always empty when the reader was strict.
   */
  public List<DicomReadWarning> warnings() {
    return warnings;
  }
}
