package org.medvision.dicom;

/**
 * The bytes of a DICOM stream are malformed or break a limit: truncation, a length past the end, an odd or
 * undefined length where none is allowed, nesting too deep, an absurd size, a deflate bomb, a lying fragment table.
 * The message has the form {@code <source>: <problem> at (GGGG,EEEE) offset N}; the parts are also available as
 * {@link #source()}, {@link #tag()} and {@link #offset()}.
 */
public class DicomParseException extends DicomException {
  private final String source;
  private final int tag;
  private final long offset;

  /**
   * Creates the exception.
   *
   * @param source the file path or stream name
   * @param tag the tag being read, or -1 when no element header was read yet
   * @param offset the byte offset in the source (in the inflated stream for deflated syntaxes)
   * @param problem what was wrong, without the location
   */
  public DicomParseException(String source, int tag, long offset, String problem) {
    super(format(source, tag, offset, problem));
    this.source = source;
    this.tag = tag;
    this.offset = offset;
  }

  /** Creates the exception with an underlying cause (an I/O or inflation error). */
  public DicomParseException(String source, int tag, long offset, String problem, Throwable cause) {
    super(format(source, tag, offset, problem), cause);
    this.source = source;
    this.tag = tag;
    this.offset = offset;
  }

  /** The file path or stream name. */
  public String source() {
    return source;
  }

  /** The tag being read, or -1 before the first element header. */
  public int tag() {
    return tag;
  }

  /** The byte offset of the problem in the source. */
  public long offset() {
    return offset;
  }

  private static String format(String source, int tag, long offset, String problem) {
    return source + ": " + problem + location(tag, offset);
  }

  /** " at (GGGG,EEEE) Keyword offset N", without the tag part when {@code tag} is -1 and the keyword when unknown. */
  static String location(int tag, long offset) {
    if (tag == -1) {
      return " offset " + offset;
    }
    String keyword = DicomDictionary.standard().keyword(tag);
    return " at " + Tag.toString(tag) + (keyword.isEmpty() ? "" : " " + keyword) + " offset " + offset;
  }
}
