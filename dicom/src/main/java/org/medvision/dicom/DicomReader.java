package org.medvision.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads DICOM Part 10 files (128-byte preamble, {@code DICM}, file meta group, data set) and raw data sets without
 * meta information, whose encoding (implicit or explicit VR, byte order) is detected from the first element.
 *
 * <p>Supported data set encodings: implicit VR little endian, explicit VR little and big endian, and deflated explicit
 * VR little endian (inflated into memory up to {@link DicomReadOptions#maxInflatedBytes()}); the encapsulated
 * (compressed) transfer syntaxes, whose data sets are explicit VR little endian. Pixel Data, Float Pixel Data and
 * Double Float Pixel Data of the top-level data set are not loaded: the data set holds a {@link BulkData} reference.
 *
 * <p>Every problem raises a {@link DicomException}; malformed bytes raise a {@link DicomParseException} naming the
 * file, the tag and the byte offset. Rule breaks that dcmtk and gdcm read past are, unless the options are {@link
 * DicomReadOptions#strict() strict}, read as they describe and listed in {@link DicomFile#warnings()}. The file is
 * closed before {@code read} returns.
 */
public final class DicomReader {
  private static final int PREAMBLE = 128;

  private final DicomReadOptions options;

  /**
   * A reader with {@link DicomReadOptions#processDefault()}: the lenient defaults, or strict ones when the system
   * property {@value DicomReadOptions#STRICT_PROPERTY} is {@code true}.
   */
  public DicomReader() {
    this(DicomReadOptions.processDefault());
  }

  /** A reader with the given limits. */
  public DicomReader(DicomReadOptions options) {
    this.options = options;
  }

  /** Reads a file with {@link DicomReadOptions#processDefault()}. */
  public static DicomFile readFile(Path file) {
    return new DicomReader().read(file);
  }

  /**
   * Reads a file.
   *
   * @throws DicomException when the file cannot be opened or is not a readable DICOM object
   */
  public DicomFile read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new DicomException(file + ": not a readable file");
    }
    try (ByteSource source = ByteSource.open(file)) {
      return read(source, file);
    } catch (IOException e) {
      throw new DicomException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an in-memory object; {@code name} is used in messages and as {@link DicomFile#source()}. Pixel data
   * references keep the array.
   */
  public DicomFile read(byte[] bytes, String name) {
    try (ByteSource source = ByteSource.of(bytes, "memory:" + name)) {
      return read(source, null);
    } catch (IOException e) {
      throw new DicomException("memory:" + name + ": " + e.getMessage(), e);
    }
  }

  private DicomFile read(ByteSource source, Path file) throws IOException {
    String name = source.name();
    ReadWarnings warnings = new ReadWarnings(options.strict());
    DataSetParser parser = new DataSetParser(source, options, warnings);
    long size = parser.size();
    byte[] head = parser.peek(0, PREAMBLE + 4 + 8);
    boolean preamble = head.length >= PREAMBLE + 4 && isMagic(head, PREAMBLE);
    long metaStart;
    if (preamble) {
      metaStart = PREAMBLE + 4;
    } else if (head.length >= 4 && isMagic(head, 0)) {
      metaStart = 4;
    } else {
      metaStart = 0;
    }
    DataSet meta = new DataSet();
    parser.seek(metaStart);
    byte[] first = parser.peek(metaStart, 6);
    boolean hasMetaGroup = first.length >= 6 && first[0] == 2 && first[1] == 0 && VR.fromCode(first[4], first[5])
        != null;
    if (preamble || metaStart == 4 || hasMetaGroup) {
      if (!hasMetaGroup) {
        throw new DicomParseException(name, -1, metaStart, "DICM magic is not followed by a file meta group "
            + "(0002,xxxx) in explicit VR little endian");
      }
      parser.encoding(true, false);
      parser.parseInto(meta, size, 0x0002);
    }
    long dataStart = parser.position();
    TransferSyntax syntax;
    if (meta.isEmpty()) {
      syntax = detect(parser, name, dataStart, size);
    } else if (meta.string(Tags.TRANSFER_SYNTAX_UID).isEmpty()) {
      syntax = guessUnlabelled(parser, dataStart);
      warnings.breakRule(name, Tags.TRANSFER_SYNTAX_UID, metaStart, "file meta information has no Transfer Syntax "
          + "UID", "detected " + syntax.uid() + " (" + syntax.displayName() + ") from the data set's first element");
    } else {
      syntax = metaSyntax(meta, name, metaStart);
    }
    DataSet dataSet = new DataSet();
    if (syntax.deflated()) {
      byte[] inflated = inflate(source, name, dataStart, size);
      try (ByteSource inflatedSource = ByteSource.of(inflated, name + " (inflated data set)")) {
        DataSetParser inner = new DataSetParser(inflatedSource, options, warnings);
        inner.encoding(true, false);
        inner.parseInto(dataSet, inflated.length, -1);
      }
    } else {
      parser.encoding(syntax.explicitVr(), syntax.bigEndian());
      parser.parseInto(dataSet, size, -1);
    }
    return new DicomFile(file != null ? file.toString() : name, file, meta, dataSet, syntax, preamble,
        warnings.list());
  }

  private static boolean isMagic(byte[] bytes, int at) {
    return bytes[at] == 'D' && bytes[at + 1] == 'I' && bytes[at + 2] == 'C' && bytes[at + 3] == 'M';
  }

  private static TransferSyntax metaSyntax(DataSet meta, String name, long metaStart) {
    String uid = meta.string(Tags.TRANSFER_SYNTAX_UID).orElse(null);
    if (uid == null) {
      throw new DicomParseException(name, Tags.TRANSFER_SYNTAX_UID, metaStart,
          "file meta information has no Transfer Syntax UID");
    }
    return TransferSyntax.of(uid).orElseThrow(() -> new UnsupportedTransferSyntaxException(name
        + ": unsupported transfer syntax " + uid + " in " + Tag.toString(Tags.TRANSFER_SYNTAX_UID)
        + " TransferSyntaxUID of the meta group at offset " + metaStart));
  }

  /** Detects the encoding of a raw data set from its first element header. */
  private static TransferSyntax detect(DataSetParser parser, String name, long start, long size) throws IOException {
    byte[] b = parser.peek(start, 8);
    if (b.length < 8) {
      throw new DicomParseException(name, -1, start, "too short to be a DICOM data set (" + size + " bytes)");
    }
    int groupLe = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
    int groupBe = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    boolean vrBytes = VR.fromCode(b[4], b[5]) != null;
    if (plausibleGroup(groupLe) && (!plausibleGroup(groupBe) || groupLe <= groupBe)) {
      return vrBytes ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }
    if (plausibleGroup(groupBe) && vrBytes) {
      return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
    }
    throw new DicomParseException(name, -1, start, "neither DICM magic nor a recognisable data set (first group "
        + String.format("%04X", groupLe) + ")");
  }

  /**
   * The encoding of a data set that follows a meta group without Transfer Syntax UID, as dcmtk guesses it: explicit
   * VR when the first element's bytes 4-5 are a VR code, big endian only when that reads the first group smaller;
   * implicit VR little endian (the default transfer syntax) otherwise and for an empty data set. Unlike {@link
   * #detect}, any group is accepted, because the meta group already shows this is DICOM.
   */
  private static TransferSyntax guessUnlabelled(DataSetParser parser, long start) throws IOException {
    byte[] b = parser.peek(start, 8);
    if (b.length < 8 || VR.fromCode(b[4], b[5]) == null) {
      return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }
    int groupLe = (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
    int groupBe = (b[0] & 0xFF) << 8 | (b[1] & 0xFF);
    return groupBe < groupLe ? TransferSyntax.EXPLICIT_VR_BIG_ENDIAN : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
  }

  private static boolean plausibleGroup(int group) {
    return group >= 0x0002 && group <= 0x00FF && (group & 1) == 0 || group == 0x0008;
  }

  private byte[] inflate(ByteSource source, String name, long start, long size) throws IOException {
    long compressed = size - start;
    if (compressed > Integer.MAX_VALUE - 8) {
      throw new DicomParseException(name, -1, start, "deflated data set of " + compressed + " bytes is too large");
    }
    byte[] input = new byte[(int) compressed];
    source.read(start, input, 0, input.length);
    try {
      return inflate(input, true, name, start);
    } catch (DataFormatException raw) {
      try {
        // Some writers wrap the stream in a zlib header although PS3.5 A.5 says raw deflate; accept both.
        return inflate(input, false, name, start);
      } catch (DataFormatException wrapped) {
        throw new DicomParseException(name, -1, start, "corrupt deflate stream: " + raw.getMessage(), raw);
      }
    }
  }

  private byte[] inflate(byte[] input, boolean nowrap, String name, long start) throws DataFormatException {
    Inflater inflater = new Inflater(nowrap);
    try {
      inflater.setInput(input);
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(input.length * 4 + 64, 1 << 20));
      byte[] buffer = new byte[64 * 1024];
      long limit = options.maxInflatedBytes();
      while (!inflater.finished()) {
        int n = inflater.inflate(buffer);
        if (n == 0) {
          if (inflater.needsInput() || inflater.needsDictionary()) {
            break;
          }
          continue;
        }
        if (out.size() + (long) n > limit) {
          throw new DicomParseException(name, -1, start, "deflated data set expands beyond the limit of " + limit
              + " bytes");
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }
}
