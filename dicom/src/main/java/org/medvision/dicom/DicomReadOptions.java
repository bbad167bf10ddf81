package org.medvision.dicom;

/**
 * How a reader treats input: limits that keep reading bounded on hostile input (every length is checked against the
 * bytes that remain before anything is allocated; these limits cap what remains legal), and whether rule breaks that
 * dcmtk and gdcm read past are errors.
 *
 * <p>Lenient (the default) reads what the peers read and records a {@link DicomReadWarning} naming the file, tag,
 * offset and what was assumed: odd value lengths are taken as given; a file meta group without Transfer Syntax UID
 * gets the encoding detected from the data set's first element; a Basic Offset Table that does not match the
 * fragments (an entry that does not increase or is not at a fragment item) is ignored, so
 * frames are found by fragments or codestream markers. Strict turns each of these into a {@link
 * DicomParseException}. Bytes that cannot be read either way (truncation, lengths past the end, invalid VRs) fail in
 * both modes.
 *
 * @param maxNestingDepth deepest sequence nesting accepted (items inside items)
 * @param maxInflatedBytes largest size a deflated data set may inflate to
 * @param maxValueLength largest non-pixel value loaded into memory
 * @param maxFragments most fragments accepted in encapsulated pixel data
 * @param strict reject the rule breaks listed above instead of warning
 */
public record DicomReadOptions(int maxNestingDepth, long maxInflatedBytes, long maxValueLength, int maxFragments,
    boolean strict) {
  /** Defaults: nesting 32, inflation to 512 MiB, values of 256 MiB, 1,000,000 fragments, lenient. */
  public static final DicomReadOptions DEFAULTS = new DicomReadOptions(32, 512L << 20, 256L << 20, 1_000_000, false);

  /** The defaults, strict. */
  public static final DicomReadOptions STRICT = DEFAULTS.withStrict(true);

  /**
   * Java system property that makes {@link DicomReader#DicomReader()} strict when {@code true}; this is how the
   * command line's {@code --strict} reaches every reader the process creates without its own options.
   */
  public static final String STRICT_PROPERTY = "medvision.dicom.strict";

  /** Validates the limits. */
  public DicomReadOptions {
    if (maxNestingDepth < 1 || maxInflatedBytes < 1 || maxValueLength < 1 || maxFragments < 1) {
      throw new DicomException("read limits must be positive: " + maxNestingDepth + ", " + maxInflatedBytes + ", "
          + maxValueLength + ", " + maxFragments);
    }
    if (maxInflatedBytes > Integer.MAX_VALUE - 8) {
      throw new DicomException("maxInflatedBytes must fit in an array: " + maxInflatedBytes);
    }
  }

  /**
   * The options a reader without explicit options uses: {@link #STRICT} when the system property {@value
   * #STRICT_PROPERTY} is {@code true}, else {@link #DEFAULTS}. Read at each call, so setting the property affects
   * readers created afterwards.
   */
  public static DicomReadOptions processDefault() {
    return Boolean.getBoolean(STRICT_PROPERTY) ? STRICT : DEFAULTS;
  }

  /** These options with another nesting limit. */
  public DicomReadOptions withMaxNestingDepth(int depth) {
    return new DicomReadOptions(depth, maxInflatedBytes, maxValueLength, maxFragments, strict);
  }

  /** These options with another inflation limit. */
  public DicomReadOptions withMaxInflatedBytes(long bytes) {
    return new DicomReadOptions(maxNestingDepth, bytes, maxValueLength, maxFragments, strict);
  }

  /** These options with another value length limit. */
  public DicomReadOptions withMaxValueLength(long bytes) {
    return new DicomReadOptions(maxNestingDepth, maxInflatedBytes, bytes, maxFragments, strict);
  }

  /** These options, strict or lenient. */
  public DicomReadOptions withStrict(boolean strictReading) {
    return new DicomReadOptions(maxNestingDepth, maxInflatedBytes, maxValueLength, maxFragments, strictReading);
  }
}
