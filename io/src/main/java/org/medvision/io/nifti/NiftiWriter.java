package org.medvision.io.nifti;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/**
 * Writes a {@link Volume} as a single-file NIfTI-1 or NIfTI-2 image, little endian, gzip-compressed when the name ends
 * in {@code .gz}. The file appears atomically: it is written beside the target and moved over it.
 *
 * <p>The LPS affine is converted to RAS and stored as the sform (code {@link #SCANNER_ANAT}); when its columns are
 * orthogonal it is also stored as the qform with the same code, else {@code qform_code} is 0 (a gantry-tilted,
 * sheared grid has no quaternion form). {@code pixdim[1..3]} are the column lengths. Voxels are written as the
 * chosen {@link NiftiDataType} with {@code scl_slope = 1}, {@code scl_inter = 0}; a voxel the type cannot hold
 * exactly is an error, never a silent rounding. Extra dimensions are written as {@code dim[4..]} with
 * {@code pixdim} 1. Instances are immutable; the {@code with...} methods return new writers.
 */
public final class NiftiWriter {
  /** {@code NIFTI_XFORM_SCANNER_ANAT}: world coordinates are the scanner's (e.g. from DICOM positions). */
  public static final int SCANNER_ANAT = 1;

  private static final int CHUNK_VOXELS = 1 << 18;
  private static final double ORTHOGONAL_COSINE = 1e-6;

  private final int version;
  private final NiftiDataType dataType;
  private final String description;

  private NiftiWriter(int version, NiftiDataType dataType, String description) {
    this.version = version;
    this.dataType = dataType;
    this.description = description;
  }

  /** A NIfTI-1 writer of float32 voxels. */
  public static NiftiWriter nifti1() {
    return new NiftiWriter(1, NiftiDataType.FLOAT32, "medvision");
  }

  /** A NIfTI-2 writer of float32 voxels (64-bit dimensions and double-precision geometry). */
  public static NiftiWriter nifti2() {
    return new NiftiWriter(2, NiftiDataType.FLOAT32, "medvision");
  }

  /** This writer storing voxels as {@code type}. */
  public NiftiWriter withDataType(NiftiDataType type) {
    return new NiftiWriter(version, Objects.requireNonNull(type, "type"), description);
  }

  /** This writer with {@code descrip} set to {@code text} (ASCII, at most 79 characters, longer text is cut). */
  public NiftiWriter withDescription(String text) {
    String ascii = text.replaceAll("[^\\x20-\\x7e]", "?");
    return new NiftiWriter(version, dataType, ascii.length() > 79 ? ascii.substring(0, 79) : ascii);
  }

  /**
   * Writes {@code volume} to {@code target}, replacing any existing file only once the new one is complete.
   *
   * @throws MedvisionException if a voxel cannot be stored exactly in the data type (naming the voxel), a dimension
   *     does not fit NIfTI-1's 16-bit fields, or the file cannot be written
   */
  public void write(Volume volume, Path target) {
    checkFits(volume, target);
    Path temporary = null;
    try {
      temporary = AtomicFiles.createSibling(target, ".nii");
      try (OutputStream file = Files.newOutputStream(temporary);
          OutputStream buffered = new BufferedOutputStream(file, 1 << 16);
          OutputStream out = target.getFileName().toString().endsWith(".gz")
              ? new GZIPOutputStream(buffered, 1 << 16) : buffered) {
        out.write(header(volume));
        writeVoxels(volume, out);
      }
      try {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new MedvisionException("cannot write NIfTI file " + target + ": " + e, e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // The write already failed; a leftover hidden temporary file is the lesser problem.
        }
      }
    }
  }

  private void checkFits(Volume volume, Path target) {
    int[] dims = volume.dims();
    if (version == 1) {
      for (int d : dims) {
        if (d > Short.MAX_VALUE) {
          throw new MedvisionException("cannot write " + target + " as NIfTI-1: dimension " + d + " of "
              + Arrays.toString(dims) + " exceeds 32767; use NIfTI-2");
        }
      }
    }
    FloatBuffer voxels = volume.voxels();
    for (int i = 0; i < voxels.limit(); i++) {
      float v = voxels.get(i);
      if (!dataType.holdsExactly(v)) {
        throw new MedvisionException("cannot write " + target + " as " + dataType + ": voxel " + i + " of volume "
            + Arrays.toString(dims) + " is " + v + ", which " + dataType + " cannot hold exactly");
      }
    }
  }

  private byte[] header(Volume volume) {
    int size = version == 1 ? NiftiHeader.NIFTI1_SIZE : NiftiHeader.NIFTI2_SIZE;
    ByteBuffer b = ByteBuffer.allocate(size + 4).order(ByteOrder.LITTLE_ENDIAN);
    Affine ras = volume.affine().flipXy();
    double[] spacing = ras.spacing();
    boolean orthogonal = ras.isOrthogonal(ORTHOGONAL_COSINE);
    double[] q = orthogonal ? Quaternions.fromAffine(ras) : new double[] {0, 0, 0, 1};
    int[] dims = volume.dims();
    long[] dim = new long[8];
    double[] pixdim = new double[8];
    dim[0] = dims.length;
    pixdim[0] = q[3];
    for (int i = 1; i < 8; i++) {
      dim[i] = i <= dims.length ? dims[i - 1] : 1;
      pixdim[i] = i <= 3 ? spacing[i - 1] : 1;
    }
    double[] origin = ras.origin();
    int qformCode = orthogonal ? SCANNER_ANAT : 0;
    // xyzt_units: NIFTI_UNITS_MM (2); time units unknown.
    int units = 2;
    byte[] text = Arrays.copyOf(description.getBytes(StandardCharsets.US_ASCII), 80);
    if (version == 1) {
      b.putInt(0, size);
      b.put(38, (byte) 'r');
      for (int i = 0; i < 8; i++) {
        b.putShort(40 + 2 * i, (short) dim[i]);
        b.putFloat(76 + 4 * i, (float) pixdim[i]);
      }
      b.putShort(70, (short) dataType.code());
      b.putShort(72, (short) dataType.bitpix());
      b.putFloat(108, size + 4);
      b.putFloat(112, 1);
      b.putFloat(116, 0);
      b.put(123, (byte) units);
      b.put(148, text);
      b.putShort(252, (short) qformCode);
      b.putShort(254, (short) SCANNER_ANAT);
      for (int i = 0; i < 3; i++) {
        b.putFloat(256 + 4 * i, (float) q[i]);
        b.putFloat(268 + 4 * i, (float) origin[i]);
      }
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          b.putFloat(280 + 16 * r + 4 * c, (float) ras.get(r, c));
        }
      }
      b.put(344, new byte[] {'n', '+', '1', 0});
    } else {
      b.putInt(0, size);
      b.put(4, new byte[] {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'});
      b.putShort(12, (short) dataType.code());
      b.putShort(14, (short) dataType.bitpix());
      for (int i = 0; i < 8; i++) {
        b.putLong(16 + 8 * i, dim[i]);
        b.putDouble(104 + 8 * i, pixdim[i]);
      }
      b.putLong(168, size + 4);
      b.putDouble(176, 1);
      b.putDouble(184, 0);
      b.put(240, text);
      b.putInt(344, qformCode);
      b.putInt(348, SCANNER_ANAT);
      for (int i = 0; i < 3; i++) {
        b.putDouble(352 + 8 * i, q[i]);
        b.putDouble(376 + 8 * i, origin[i]);
      }
      for (int r = 0; r < 3; r++) {
        for (int c = 0; c < 4; c++) {
          b.putDouble(400 + 32 * r + 8 * c, ras.get(r, c));
        }
      }
      b.putInt(500, units);
    }
    // The four bytes after the header are the extension flag: 0, no extensions.
    return b.array();
  }

  private void writeVoxels(Volume volume, OutputStream out) throws IOException {
    FloatBuffer voxels = volume.voxels();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_VOXELS * dataType.bytes()).order(ByteOrder.LITTLE_ENDIAN);
    int total = voxels.limit();
    for (int start = 0; start < total; start += CHUNK_VOXELS) {
      int end = Math.min(total, start + CHUNK_VOXELS);
      chunk.clear();
      for (int i = start; i < end; i++) {
        dataType.write(chunk, voxels.get(i));
      }
      out.write(chunk.array(), 0, chunk.position());
    }
  }
}
