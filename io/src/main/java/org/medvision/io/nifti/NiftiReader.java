package org.medvision.io.nifti;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/**
 * Reads single-file NIfTI-1 and NIfTI-2 images, plain or gzip-compressed (recognised by content, not by name), in
 * either byte order.
 *
 * <p>Voxels start at {@code vox_offset}; extensions between the header and the data are walked (their sizes must
 * fit before {@code vox_offset}) and skipped. Values are scaled by {@code scl_slope} and {@code scl_inter} when the
 * slope is finite and non-zero, as the standard says. {@code bitpix} is not trusted; {@code datatype} decides the
 * voxel size. Every failure is a {@link NiftiFormatException} naming the file and the field.
 */
public final class NiftiReader {
  private static final int CHUNK_BYTES = 1 << 20;

  private final long maxVoxels;

  /** A reader that accepts any image a {@link Volume} can hold. */
  public NiftiReader() {
    this(Volume.MAX_VOXELS);
  }

  /**
   * A reader that rejects images of more than {@code maxVoxels} voxels before allocating them.
   *
   * @param maxVoxels at least 1 and at most {@link Volume#MAX_VOXELS}
   */
  public NiftiReader(long maxVoxels) {
    if (maxVoxels < 1 || maxVoxels > Volume.MAX_VOXELS) {
      throw new IllegalArgumentException("maxVoxels must be 1 to " + Volume.MAX_VOXELS + ", got " + maxVoxels);
    }
    this.maxVoxels = maxVoxels;
  }

  /**
   * Reads only the header and its extensions.
   *
   * @throws NiftiFormatException if the file cannot be read or is not a valid NIfTI header
   */
  public NiftiHeader readHeader(Path file) {
    try (InputStream in = open(file)) {
      return readHeader(in, file);
    } catch (NoSuchFileException e) {
      throw new NiftiFormatException("cannot read " + file + ": no such file", e);
    } catch (IOException e) {
      throw new NiftiFormatException("cannot read " + file + ": " + e, e);
    }
  }

  /**
   * Reads the header and all voxels.
   *
   * @throws NiftiFormatException if the file cannot be read, is not NIfTI, is truncated, or has absurd dimensions or
   *     an unsupported datatype
   */
  public NiftiImage read(Path file) {
    try (InputStream in = open(file)) {
      NiftiHeader header = readHeader(in, file);
      boolean compressed = isGzip(file);
      if (!compressed) {
        long needed = header.voxOffset() + header.voxelCount() * header.dataType().bytes();
        long size = Files.size(file);
        if (size < needed) {
          throw new NiftiFormatException(file + " is truncated: dims " + Arrays.toString(header.shape()) + " of "
              + header.dataType() + " from vox_offset " + header.voxOffset() + " need " + needed + " bytes, the file "
              + "has " + size);
        }
      }
      float[] voxels = readVoxels(in, header, file);
      return new NiftiImage(header, Volume.adopt(volumeDims(header), voxels, affine(header, file)));
    } catch (EOFException e) {
      throw new NiftiFormatException(file + " is truncated: the compressed stream ends early (" + e.getMessage() + ")",
          e);
    } catch (NoSuchFileException e) {
      throw new NiftiFormatException("cannot read " + file + ": no such file", e);
    } catch (IOException e) {
      throw new NiftiFormatException("cannot read " + file + ": " + e, e);
    }
  }

  private static InputStream open(Path file) throws IOException {
    BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      in.mark(2);
      int b0 = in.read();
      int b1 = in.read();
      in.reset();
      return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return in.read() == 0x1f && in.read() == 0x8b;
    }
  }

  private NiftiHeader readHeader(InputStream in, Path file) throws IOException {
    byte[] first = new byte[4];
    int got = readFully(in, first, 0, 4);
    if (got < 4) {
      throw new NiftiFormatException(file + " is not a NIfTI file: it holds " + got + " bytes, fewer than a header");
    }
    int little = ByteBuffer.wrap(first).order(ByteOrder.LITTLE_ENDIAN).getInt();
    int big = ByteBuffer.wrap(first).order(ByteOrder.BIG_ENDIAN).getInt();
    int size = little == NiftiHeader.NIFTI1_SIZE || little == NiftiHeader.NIFTI2_SIZE ? little : big;
    if (size != NiftiHeader.NIFTI1_SIZE && size != NiftiHeader.NIFTI2_SIZE) {
      throw new NiftiFormatException(file + " is not a NIfTI file: sizeof_hdr is " + little + " (little endian) / "
          + big + " (big endian), expected 348 (NIfTI-1) or 540 (NIfTI-2)");
    }
    byte[] bytes = Arrays.copyOf(first, size + 4);
    got = readFully(in, bytes, 4, size);
    if (got < size - 4) {
      throw new NiftiFormatException(file + " is truncated inside its " + size + "-byte NIfTI header (" + (4 + got)
          + " bytes)");
    }
    boolean hasExtensionFlag = got == size;
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, size);
    NiftiHeader fixed = NiftiHeader.parse(buffer.slice(), file.toString(), List.of());
    validate(fixed, file);
    long position = size;
    List<NiftiHeader.Extension> extensions = new ArrayList<>();
    if (hasExtensionFlag) {
      position += 4;
      if (bytes[size] != 0) {
        position = readExtensions(in, fixed, file, position, extensions);
      }
    }
    skip(in, fixed.voxOffset() - position, file, fixed);
    return new NiftiHeader(fixed.version(), fixed.byteOrder(), fixed.dim(), fixed.datatype(), fixed.bitpix(),
        fixed.pixdim(), fixed.voxOffset(), fixed.sclSlope(), fixed.sclInter(), fixed.qformCode(), fixed.sformCode(),
        fixed.quatern(), fixed.qoffset(), fixed.srow(), fixed.xyztUnits(), fixed.intentCode(), fixed.description(),
        extensions);
  }

  private void validate(NiftiHeader h, Path file) {
    long[] dim = h.dim();
    if (dim[0] < 1 || dim[0] > 7) {
      throw new NiftiFormatException(file + ": dim[0] (the number of dimensions) is " + dim[0] + ", must be 1 to 7");
    }
    long count = 1;
    for (int i = 1; i <= dim[0]; i++) {
      if (dim[i] < 1) {
        throw new NiftiFormatException(file + ": dim[" + i + "] is " + dim[i] + ", must be at least 1 (dim = "
            + Arrays.toString(dim) + ")");
      }
      if (dim[i] > Integer.MAX_VALUE) {
        throw new NiftiFormatException(file + ": dim[" + i + "] is " + dim[i] + ", more than we can index");
      }
      count = Math.multiplyExact(count, Math.min(dim[i], maxVoxels + 1));
      if (count > maxVoxels) {
        throw new NiftiFormatException(file + ": dim " + Arrays.toString(h.shape()) + " holds more than the limit of "
            + maxVoxels + " voxels");
      }
    }
    if (h.dataType() == null) {
      throw new NiftiFormatException(file + ": datatype " + NiftiDataType.describe(h.datatype())
          + " is not supported; supported: " + Arrays.toString(NiftiDataType.values()));
    }
    long minimum = h.version() == 1 ? NiftiHeader.NIFTI1_SIZE + 4 : NiftiHeader.NIFTI2_SIZE + 4;
    if (h.voxOffset() < minimum) {
      throw new NiftiFormatException(file + ": vox_offset is " + h.voxOffset() + ", but voxel data of a single-file "
          + "NIfTI-" + h.version() + " starts at byte " + minimum + " or later");
    }
  }

  private static long readExtensions(InputStream in, NiftiHeader h, Path file, long start,
      List<NiftiHeader.Extension> out) throws IOException {
    long position = start;
    byte[] prefix = new byte[8];
    while (position + 8 <= h.voxOffset()) {
      if (readFully(in, prefix, 0, 8) < 8) {
        throw new NiftiFormatException(file + " is truncated inside header extension " + (out.size() + 1)
            + " at byte " + position);
      }
      ByteBuffer b = ByteBuffer.wrap(prefix).order(h.byteOrder());
      int esize = b.getInt(0);
      int ecode = b.getInt(4);
      if (esize == 0 && ecode == 0) {
        // Zero padding after the last extension: the data follows at vox_offset.
        return position + 8;
      }
      if (esize < 8 || position + esize > h.voxOffset()) {
        throw new NiftiFormatException(file + ": header extension " + (out.size() + 1) + " at byte " + position
            + " has esize " + esize + ", which " + (esize < 8 ? "is smaller than its own 8-byte prefix"
            : "runs past vox_offset " + h.voxOffset()));
      }
      skip(in, esize - 8L, file, h);
      out.add(new NiftiHeader.Extension(ecode, esize));
      position += esize;
    }
    return position;
  }

  private static void skip(InputStream in, long count, Path file, NiftiHeader h) throws IOException {
    try {
      in.skipNBytes(count);
    } catch (EOFException e) {
      throw new NiftiFormatException(file + " is truncated before vox_offset " + h.voxOffset(), e);
    }
  }

  private static float[] readVoxels(InputStream in, NiftiHeader h, Path file) throws IOException {
    NiftiDataType type = h.dataType();
    int count = (int) h.voxelCount();
    float[] out = new float[count];
    int perChunk = Math.max(1, CHUNK_BYTES / type.bytes());
    byte[] chunk = new byte[perChunk * type.bytes()];
    double slope = h.sclSlope();
    double inter = h.sclInter();
    boolean scaled = slope != 0 && Double.isFinite(slope) && Double.isFinite(inter);
    int done = 0;
    while (done < count) {
      int n = Math.min(perChunk, count - done);
      int bytes = n * type.bytes();
      int got = readFully(in, chunk, 0, bytes);
      if (got < bytes) {
        long voxelsRead = done + (long) got / type.bytes();
        throw new NiftiFormatException(file + " is truncated: the voxel data ends after " + voxelsRead + " of "
            + count + " voxels (" + type + ", dims " + Arrays.toString(h.shape()) + ", vox_offset " + h.voxOffset()
            + ")");
      }
      ByteBuffer b = ByteBuffer.wrap(chunk, 0, bytes).order(h.byteOrder());
      for (int i = 0; i < n; i++) {
        double raw = type.read(b);
        out[done + i] = (float) (scaled ? raw * slope + inter : raw);
      }
      done += n;
    }
    return out;
  }

  private static int[] volumeDims(NiftiHeader h) {
    long[] shape = h.shape();
    int[] dims = new int[Math.max(3, shape.length)];
    Arrays.fill(dims, 1);
    for (int i = 0; i < shape.length; i++) {
      dims[i] = (int) shape[i];
    }
    return dims;
  }

  private static Affine affine(NiftiHeader h, Path file) {
    try {
      Affine affine = h.affineLps();
      affine.inverse();
      return affine;
    } catch (MedvisionException e) {
      throw new NiftiFormatException(file + ": the " + h.transformSource() + " (sform_code " + h.sformCode()
          + ", qform_code " + h.qformCode() + ") is not a usable voxel-to-world transform: " + e.getMessage(), e);
    }
  }

  /** Reads up to {@code length} bytes; returns how many were read (fewer only at end of stream). */
  private static int readFully(InputStream in, byte[] into, int offset, int length) throws IOException {
    int total = 0;
    while (total < length) {
      int n = in.read(into, offset + total, length - total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }
}
