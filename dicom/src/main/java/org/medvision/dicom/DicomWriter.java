package org.medvision.dicom;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.medvision.api.AtomicFiles;

/**
 * Writes DICOM Part 10 files: a zero preamble, {@code DICM}, a file meta group built by {@link #meta} (group length,
 * version 00 01, media storage SOP class and instance from the data set's (0008,0016) and (0008,0018), the transfer
 * syntax, our implementation class UID and version name), then the data set.
 *
 * <p>Data set encodings: explicit VR little endian (the default), implicit VR little endian, explicit VR big endian,
 * deflated explicit VR little endian, and the encapsulated syntaxes when Pixel Data is {@link BulkData#isEncapsulated()
 * encapsulated}. Sequences and items are written with defined lengths; odd-length values are padded with the VR's
 * padding byte; group length elements (gggg,0000) of the data set are dropped, being retired and easily stale.
 * Files appear atomically: the bytes go to a temporary file beside the target, which is moved over it only when
 * complete.
 */
public final class DicomWriter {
  private final TransferSyntax syntax;

  /** A writer for explicit VR little endian. */
  public DicomWriter() {
    this(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
  }

  /** A writer for the given transfer syntax. */
  public DicomWriter(TransferSyntax syntax) {
    this.syntax = syntax;
  }

  /** Writes a data set as explicit VR little endian Part 10 file. */
  public static void writeFile(Path target, DataSet dataSet) {
    new DicomWriter().write(target, dataSet);
  }

  /**
   * Writes a Part 10 file atomically.
   *
   * @throws DicomException naming the target when the data set cannot be encoded or the file cannot be written;
   *     the target is then unchanged
   */
  public void write(Path target, DataSet dataSet) {
    Path temporary = null;
    try {
      temporary = AtomicFiles.createSibling(target, ".dcm");
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary), 64 * 1024)) {
        write(out, dataSet, target.toString());
      }
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new DicomException(target + ": cannot write: " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // The original failure is the one to report.
        }
      }
    }
  }

  /** Encodes a Part 10 file into memory. */
  public byte[] toBytes(DataSet dataSet) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      write(out, dataSet, "memory");
    } catch (IOException e) {
      throw new DicomException("memory: cannot encode: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  /** Writes a Part 10 stream (preamble, magic, meta, data set) to {@code out}, which stays open. */
  public void write(OutputStream out, DataSet dataSet, String targetName) throws IOException {
    DataSet meta = meta(dataSet, syntax);
    out.write(new byte[128]);
    out.write(new byte[] {'D', 'I', 'C', 'M'});
    ElementEncoder metaEncoder = new ElementEncoder(true, false, targetName, false);
    metaEncoder.writeDataSet(out, meta, true);
    writeDataSet(out, dataSet, targetName);
  }

  /** Writes only the data set, encoded in this writer's transfer syntax (no preamble or meta). */
  public void writeDataSet(OutputStream out, DataSet dataSet, String targetName) throws IOException {
    ElementEncoder encoder = new ElementEncoder(syntax.explicitVr(), syntax.bigEndian(), targetName,
        syntax.encapsulated());
    if (syntax.deflated()) {
      Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      try {
        DeflaterOutputStream deflating = new DeflaterOutputStream(new NonClosing(out), deflater, 64 * 1024);
        encoder.writeDataSet(deflating, dataSet, false);
        deflating.finish();
      } finally {
        deflater.end();
      }
    } else {
      encoder.writeDataSet(out, dataSet, false);
    }
  }

  /**
   * The file meta group for a data set: (0002,0000-0013) with our implementation UID and version name.
   *
   * @throws DicomException when the data set lacks SOP Class UID (0008,0016) or SOP Instance UID (0008,0018)
   */
  public static DataSet meta(DataSet dataSet, TransferSyntax syntax) {
    String sopClass = dataSet.string(Tags.SOP_CLASS_UID).orElseThrow(() -> new DicomException(
        "cannot write a Part 10 file: the data set has no (0008,0016) SOPClassUID"));
    String sopInstance = dataSet.string(Tags.SOP_INSTANCE_UID).orElseThrow(() -> new DicomException(
        "cannot write a Part 10 file: the data set has no (0008,0018) SOPInstanceUID"));
    DataSet meta = new DataSet();
    meta.setBytes(Tags.FILE_META_INFORMATION_VERSION, VR.OB, new byte[] {0, 1});
    meta.setString(Tags.MEDIA_STORAGE_SOP_CLASS_UID, VR.UI, sopClass);
    meta.setString(Tags.MEDIA_STORAGE_SOP_INSTANCE_UID, VR.UI, sopInstance);
    meta.setString(Tags.TRANSFER_SYNTAX_UID, VR.UI, syntax.uid());
    meta.setString(Tags.IMPLEMENTATION_CLASS_UID, VR.UI, Uids.IMPLEMENTATION_CLASS_UID);
    meta.setString(Tags.IMPLEMENTATION_VERSION_NAME, VR.SH, Uids.IMPLEMENTATION_VERSION_NAME);
    long length = 0;
    for (DataElement element : meta) {
      length += 12 + padded(element.length());
    }
    // OB, UN etc. use the 12-byte header; the short-length VRs (UI, SH, UL) use 8 bytes.
    for (DataElement element : meta) {
      if (!element.vr().isLongLength()) {
        length -= 4;
      }
    }
    meta.setLong(Tags.FILE_META_INFORMATION_GROUP_LENGTH, VR.UL, length);
    return meta;
  }

  private static long padded(long length) {
    return length + (length & 1);
  }

  /** Keeps a DeflaterOutputStream from closing the caller's stream. */
  private static final class NonClosing extends OutputStream {
    private final OutputStream out;

    NonClosing(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
