package org.medvision.dicom;

/**
 * A rule of PS3.5 that a file breaks but that dcmtk and gdcm read past, and what the lenient reader assumed in order
 * to go on (see {@link DicomReadOptions#strict()}). {@link #toString()} has the form
 * {@code <source>: <problem> at (GGGG,EEEE) Keyword offset N; <assumption>}, like a {@link DicomParseException}.
 *
 * @param source the file path or stream name
 * @param tag the tag being read, or -1 when no element header applies
 * @param offset the byte offset of the problem in the source (in the inflated stream for deflated syntaxes)
 * @param problem what was wrong, without the location
 * @param assumption what the reader did instead of failing
 */
public record DicomReadWarning(String source, int tag, long offset, String problem, String assumption) {
  @Override
  public String toString() {
    return source + ": " + problem + DicomParseException.location(tag, offset) + "; " + assumption;
  }
}
