package org.medvision.io.nifti;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A deliberately tiny, independent reading of NIfTI header fields by byte offset (nifti1.h / nifti2.h layouts), so
 * tests can check {@link NiftiReader} against the bytes rather than against itself.
 */
final class RawNifti {
  final ByteBuffer bytes;
  final boolean nifti2;

  private RawNifti(byte[] all) {
    bytes = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
    int size = bytes.getInt(0);
    if (size != 348 && size != 540) {
      bytes.order(ByteOrder.BIG_ENDIAN);
      size = bytes.getInt(0);
    }
    nifti2 = size == 540;
  }

  static RawNifti of(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    if ((all[0] & 0xff) == 0x1f && (all[1] & 0xff) == 0x8b) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        all = in.readAllBytes();
      }
    }
    return new RawNifti(all);
  }

  long dim(int i) {
    return nifti2 ? bytes.getLong(16 + 8 * i) : bytes.getShort(40 + 2 * i);
  }

  int datatype() {
    return nifti2 ? bytes.getShort(12) : bytes.getShort(70);
  }

  double pixdim(int i) {
    return nifti2 ? bytes.getDouble(104 + 8 * i) : bytes.getFloat(76 + 4 * i);
  }

  long voxOffset() {
    return nifti2 ? bytes.getLong(168) : (long) bytes.getFloat(108);
  }

  double sclSlope() {
    return nifti2 ? bytes.getDouble(176) : bytes.getFloat(112);
  }

  double sclInter() {
    return nifti2 ? bytes.getDouble(184) : bytes.getFloat(116);
  }

  int qformCode() {
    return nifti2 ? bytes.getInt(344) : bytes.getShort(252);
  }

  int sformCode() {
    return nifti2 ? bytes.getInt(348) : bytes.getShort(254);
  }

  /** srow_x, srow_y, srow_z: row r, column c. */
  double srow(int r, int c) {
    return nifti2 ? bytes.getDouble(400 + 32 * r + 8 * c) : bytes.getFloat(280 + 16 * r + 4 * c);
  }

  double quatern(int i) {
    return nifti2 ? bytes.getDouble(352 + 8 * i) : bytes.getFloat(256 + 4 * i);
  }

  /** Raw (unscaled) voxel {@code index} for the integer and float types these tests use. */
  double rawVoxel(long index) {
    int at = (int) voxOffset();
    switch (datatype()) {
      case 2:
        return bytes.get(at + (int) index) & 0xff;
      case 4:
        return bytes.getShort(at + 2 * (int) index);
      case 8:
        return bytes.getInt(at + 4 * (int) index);
      case 16:
        return bytes.getFloat(at + 4 * (int) index);
      default:
        throw new IllegalStateException("datatype " + datatype() + " not handled by this test helper");
    }
  }
}
