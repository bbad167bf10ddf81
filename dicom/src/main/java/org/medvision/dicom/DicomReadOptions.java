package org.medvision.dicom;

/**
 * Limits that keep reading bounded on hostile input. Every length is checked against the bytes that remain before
 * anything is allocated; these limits cap what remains legal.
 *
 * @param maxNestingDepth deepest sequence nesting accepted (items inside items)
 * @param maxInflatedBytes largest size a deflated data set may inflate to
 * @param maxValueLength largest non-pixel value loaded into memory
 * @param maxFragments most fragments accepted in encapsulated pixel data
 * @param allowOddLengths accept odd value lengths (PS3.5 7.1.1 requires even ones; some writers break the rule and
 *     dcmtk reads them with a warning) instead of rejecting them
 */
public record DicomReadOptions(int maxNestingDepth, long maxInflatedBytes, long maxValueLength, int maxFragments,
    boolean allowOddLengths) {
  /** Defaults: nesting 32, inflation to 512 MiB, values of 256 MiB, 1,000,000 fragments, odd lengths rejected. */
  public static final DicomReadOptions DEFAULTS = new DicomReadOptions(32, 512L << 20, 256L << 20, 1_000_000, false);

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

  /** These options with another nesting limit. */
  public DicomReadOptions withMaxNestingDepth(int depth) {
    return new DicomReadOptions(depth, maxInflatedBytes, maxValueLength, maxFragments, allowOddLengths);
  }

  /** These options with another inflation limit. */
  public DicomReadOptions withMaxInflatedBytes(long bytes) {
    return new DicomReadOptions(maxNestingDepth, bytes, maxValueLength, maxFragments, allowOddLengths);
  }

  /** These options with another value length limit. */
  public DicomReadOptions withMaxValueLength(long bytes) {
    return new DicomReadOptions(maxNestingDepth, maxInflatedBytes, bytes, maxFragments, allowOddLengths);
  }

  /** These options with odd value lengths accepted or rejected. */
  public DicomReadOptions withOddLengthsAllowed(boolean allowed) {
    return new DicomReadOptions(maxNestingDepth, maxInflatedBytes, maxValueLength, maxFragments, allowed);
  }
}
