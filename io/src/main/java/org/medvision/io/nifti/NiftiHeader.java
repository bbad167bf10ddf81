package org.medvision.io.nifti;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.medvision.api.MedvisionException;
import org.medvision.io.volume.Affine;

/**
 * The fields of a NIfTI-1 or NIfTI-2 header that matter for reading the image, with NIfTI-2's wider types (NIfTI-1
 * values are widened). Arrays are copied in and out.
 *
 * @param version 1 or 2
 * @param byteOrder the file's byte order
 * @param dim {@code dim[0]} is the number of dimensions, {@code dim[1..7]} their sizes (8 values)
 * @param datatype the {@code datatype} code
 * @param bitpix bits per voxel as the file states it
 * @param pixdim {@code pixdim[0]} is qfac, {@code pixdim[1..7]} the voxel sizes (8 values)
 * @param voxOffset byte offset of the voxel data in the file
 * @param sclSlope data scaling slope; 0 (or not finite) means no scaling
 * @param sclInter data scaling intercept
 * @param qformCode {@code qform_code}; 0 means no qform
 * @param sformCode {@code sform_code}; 0 means no sform
 * @param quatern {@code quatern_b, quatern_c, quatern_d}
 * @param qoffset {@code qoffset_x, qoffset_y, qoffset_z}
 * @param srow {@code srow_x, srow_y, srow_z}, row-major (12 values)
 * @param xyztUnits {@code xyzt_units}
 * @param intentCode {@code intent_code}
 * @param description {@code descrip}, trimmed at the first NUL
 * @param extensions the header extensions found between the header and the voxel data
 */
public record NiftiHeader(
    int version,
    ByteOrder byteOrder,
    long[] dim,
    int datatype,
    int bitpix,
    double[] pixdim,
    long voxOffset,
    double sclSlope,
    double sclInter,
    int qformCode,
    int sformCode,
    double[] quatern,
    double[] qoffset,
    double[] srow,
    int xyztUnits,
    int intentCode,
    String description,
    List<Extension> extensions) {

  /** Size of a NIfTI-1 header in bytes ({@code sizeof_hdr}). */
  public static final int NIFTI1_SIZE = 348;
  /** Size of a NIfTI-2 header in bytes ({@code sizeof_hdr}). */
  public static final int NIFTI2_SIZE = 540;

  /**
   * A header extension.
   *
   * @param code {@code ecode} (e.g. 4 AFNI, 6 comment, 32 CIFTI)
   * @param size {@code esize}: bytes including its 8-byte size/code prefix
   */
  public record Extension(int code, int size) {}

  /** Checks array lengths and copies the arrays. */
  public NiftiHeader {
    Objects.requireNonNull(byteOrder, "byteOrder");
    dim = copy(dim, 8, "dim");
    pixdim = copy(pixdim, 8, "pixdim");
    quatern = copy(quatern, 3, "quatern");
    qoffset = copy(qoffset, 3, "qoffset");
    srow = copy(srow, 12, "srow");
    description = Objects.requireNonNullElse(description, "");
    extensions = List.copyOf(extensions);
  }

  private static long[] copy(long[] a, int n, String name) {
    if (a.length != n) {
      throw new MedvisionException("NIfTI " + name + " needs " + n + " values, got " + a.length);
    }
    return a.clone();
  }

  private static double[] copy(double[] a, int n, String name) {
    if (a.length != n) {
      throw new MedvisionException("NIfTI " + name + " needs " + n + " values, got " + a.length);
    }
    return a.clone();
  }

  /** A copy of {@code dim}. */
  @Override
  public long[] dim() {
    return dim.clone();
  }

  /** A copy of {@code pixdim}. */
  @Override
  public double[] pixdim() {
    return pixdim.clone();
  }

  /** A copy of the quaternion (b, c, d). */
  @Override
  public double[] quatern() {
    return quatern.clone();
  }

  /** A copy of the qform offset. */
  @Override
  public double[] qoffset() {
    return qoffset.clone();
  }

  /** A copy of the sform rows, row-major. */
  @Override
  public double[] srow() {
    return srow.clone();
  }

  /** Number of dimensions, {@code dim[0]}. */
  public int ndim() {
    return (int) dim[0];
  }

  /** The sizes {@code dim[1..ndim]}. */
  public long[] shape() {
    return Arrays.copyOfRange(dim, 1, 1 + ndim());
  }

  /** The product of the sizes. */
  public long voxelCount() {
    long n = 1;
    for (long d : shape()) {
      n *= d;
    }
    return n;
  }

  /** The voxel type, or null when it is one we do not read (see {@link NiftiDataType}). */
  public NiftiDataType dataType() {
    return NiftiDataType.forCode(datatype);
  }

  /** The sform as an affine in NIfTI's RAS world (meaningful only when {@code sformCode > 0}). */
  public Affine sformRas() {
    return Affine.ofRows(new double[][] {
      Arrays.copyOfRange(srow, 0, 4), Arrays.copyOfRange(srow, 4, 8), Arrays.copyOfRange(srow, 8, 12)});
  }

  /** The qform as an affine in NIfTI's RAS world (meaningful only when {@code qformCode > 0}). */
  public Affine qformRas() {
    return Quaternions.toAffine(quatern[0], quatern[1], quatern[2], pixdim[0], pixdim[1], pixdim[2], pixdim[3],
        qoffset);
  }

  /** Which transform {@link #affineRas()} uses: {@code "sform"}, {@code "qform"} or {@code "pixdim"}. */
  public String transformSource() {
    return sformCode > 0 ? "sform" : qformCode > 0 ? "qform" : "pixdim";
  }

  /**
   * The voxel-to-world affine in NIfTI's RAS world, chosen as the standard says: the sform when {@code sform_code >
   * 0}, else the qform when {@code qform_code > 0}, else the voxel sizes alone (non-positive ones taken as 1).
   */
  public Affine affineRas() {
    if (sformCode > 0) {
      return sformRas();
    }
    if (qformCode > 0) {
      return qformRas();
    }
    return Affine.diagonal(positive(pixdim[1]), positive(pixdim[2]), positive(pixdim[3]), 0, 0, 0);
  }

  /** {@link #affineRas()} converted to our LPS world (x and y negated). */
  public Affine affineLps() {
    return affineRas().flipXy();
  }

  private static double positive(double size) {
    return size > 0 && Double.isFinite(size) ? size : 1;
  }

  /**
   * Parses the fixed part of a header ({@link #NIFTI1_SIZE} or {@link #NIFTI2_SIZE} bytes, as {@code sizeof_hdr}
   * says) from {@code bytes}, whose byte order is set here. Extensions are not part of this.
   *
   * @throws NiftiFormatException naming {@code file} and the field when it is not a single-file NIfTI header
   */
  static NiftiHeader parse(ByteBuffer bytes, String file, List<Extension> extensions) {
    bytes.order(ByteOrder.LITTLE_ENDIAN);
    int size = bytes.getInt(0);
    if (size != NIFTI1_SIZE && size != NIFTI2_SIZE) {
      bytes.order(ByteOrder.BIG_ENDIAN);
      size = bytes.getInt(0);
    }
    if (size == NIFTI1_SIZE) {
      checkMagic(bytes, 344, new byte[] {'n', '+', '1', 0}, file, 1);
      return parse1(bytes, extensions);
    }
    if (size == NIFTI2_SIZE) {
      checkMagic(bytes, 4, new byte[] {'n', '+', '2', 0, '\r', '\n', 0x1a, '\n'}, file, 2);
      return parse2(bytes, extensions);
    }
    throw new NiftiFormatException(file + " is not a NIfTI file: sizeof_hdr is " + bytes.order(ByteOrder.LITTLE_ENDIAN)
        .getInt(0) + " (little endian), expected 348 (NIfTI-1) or 540 (NIfTI-2) in either byte order");
  }

  private static void checkMagic(ByteBuffer bytes, int at, byte[] expected, String file, int version) {
    byte[] found = new byte[expected.length];
    bytes.get(at, found);
    if (Arrays.equals(found, expected)) {
      return;
    }
    String text = new String(found, StandardCharsets.ISO_8859_1).replace("\0", "\\0");
    if (found[0] == 'n' && found[1] == 'i' && found[2] == (byte) ('0' + version)) {
      throw new NiftiFormatException(file + " is a two-file NIfTI-" + version + " header (magic \"ni" + version
          + "\"); only single-file .nii / .nii.gz images are read");
    }
    if (version == 2 && found[0] == 'n' && found[1] == '+' && found[2] == '2') {
      throw new NiftiFormatException(file + ": NIfTI-2 magic \"" + text + "\" has damaged line-ending bytes (was "
          + "the file transferred in text mode?)");
    }
    throw new NiftiFormatException(file + " is not a NIfTI-" + version + " file: magic at byte " + at + " is \""
        + text + "\", expected \"n+" + version + "\" (an Analyze 7.5 header has none)");
  }

  private static NiftiHeader parse1(ByteBuffer b, List<Extension> extensions) {
    long[] dim = new long[8];
    double[] pixdim = new double[8];
    double[] srow = new double[12];
    for (int i = 0; i < 8; i++) {
      dim[i] = b.getShort(40 + 2 * i);
      pixdim[i] = b.getFloat(76 + 4 * i);
    }
    for (int i = 0; i < 12; i++) {
      srow[i] = b.getFloat(280 + 4 * i);
    }
    return new NiftiHeader(1, b.order(), dim, b.getShort(70), b.getShort(72), pixdim, (long) b.getFloat(108),
        b.getFloat(112), b.getFloat(116), b.getShort(252), b.getShort(254),
        new double[] {b.getFloat(256), b.getFloat(260), b.getFloat(264)},
        new double[] {b.getFloat(268), b.getFloat(272), b.getFloat(276)}, srow, b.get(123) & 0xff, b.getShort(68),
        text(b, 148, 80), extensions);
  }

  private static NiftiHeader parse2(ByteBuffer b, List<Extension> extensions) {
    long[] dim = new long[8];
    double[] pixdim = new double[8];
    double[] srow = new double[12];
    for (int i = 0; i < 8; i++) {
      dim[i] = b.getLong(16 + 8 * i);
      pixdim[i] = b.getDouble(104 + 8 * i);
    }
    for (int i = 0; i < 12; i++) {
      srow[i] = b.getDouble(400 + 8 * i);
    }
    return new NiftiHeader(2, b.order(), dim, b.getShort(12), b.getShort(14), pixdim, b.getLong(168),
        b.getDouble(176), b.getDouble(184), b.getInt(344), b.getInt(348),
        new double[] {b.getDouble(352), b.getDouble(360), b.getDouble(368)},
        new double[] {b.getDouble(376), b.getDouble(384), b.getDouble(392)}, srow, b.getInt(500), b.getInt(504),
        text(b, 240, 80), extensions);
  }

  private static String text(ByteBuffer b, int at, int length) {
    byte[] raw = new byte[length];
    b.get(at, raw);
    int end = 0;
    while (end < length && raw[end] != 0) {
      end++;
    }
    return new String(raw, 0, end, StandardCharsets.ISO_8859_1).trim();
  }

  /** The version, byte order, shape, type and transform source, for messages. */
  @Override
  public String toString() {
    return "NiftiHeader[NIfTI-" + version + ", " + byteOrder + ", dims " + Arrays.toString(shape()) + ", "
        + NiftiDataType.describe(datatype) + ", vox_offset " + voxOffset + ", qform_code " + qformCode
        + ", sform_code " + sformCode + "]";
  }

  /** Equality by value, arrays by content. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof NiftiHeader)) {
      return false;
    }
    NiftiHeader h = (NiftiHeader) o;
    return version == h.version && byteOrder.equals(h.byteOrder) && Arrays.equals(dim, h.dim)
        && datatype == h.datatype && bitpix == h.bitpix && Arrays.equals(pixdim, h.pixdim) && voxOffset == h.voxOffset
        && Double.compare(sclSlope, h.sclSlope) == 0 && Double.compare(sclInter, h.sclInter) == 0
        && qformCode == h.qformCode && sformCode == h.sformCode && Arrays.equals(quatern, h.quatern)
        && Arrays.equals(qoffset, h.qoffset) && Arrays.equals(srow, h.srow) && xyztUnits == h.xyztUnits
        && intentCode == h.intentCode && description.equals(h.description) && extensions.equals(h.extensions);
  }

  /** Hash consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return Objects.hash(version, byteOrder, Arrays.hashCode(dim), datatype, Arrays.hashCode(pixdim), voxOffset,
        qformCode, sformCode, Arrays.hashCode(srow), description);
  }
}
