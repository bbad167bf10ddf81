package org.medvision.dicom;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that decides, per rule break the peers read past, between failing (strict) and warning (lenient).
 * Keeps at most {@link #LIMIT} warnings per read, so that a hostile file with millions of odd lengths cannot grow
 * the list without bound; the last entry then says how many more were left out.
 */
final class ReadWarnings {
  static final int LIMIT = 100;

  private final boolean strict;
  private final List<DicomReadWarning> warnings = new ArrayList<>();
  private int suppressed;

  ReadWarnings(boolean strict) {
    this.strict = strict;
  }

  /**
   * Fails with {@code problem} at {@code source}, {@code tag} and {@code offset} when strict; otherwise records it
   * with what was assumed instead.
   *
   * @throws DicomParseException in strict mode
   */
  void breakRule(String source, int tag, long offset, String problem, String assumption) {
    if (strict) {
      throw new DicomParseException(source, tag, offset, problem);
    }
    if (warnings.size() < LIMIT) {
      warnings.add(new DicomReadWarning(source, tag, offset, problem, assumption));
    } else {
      suppressed++;
    }
  }

  /** The warnings in the order met, with a final count of those left out past the limit. */
  List<DicomReadWarning> list() {
    if (suppressed == 0) {
      return List.copyOf(warnings);
    }
    List<DicomReadWarning> out = new ArrayList<>(warnings);
    DicomReadWarning last = warnings.get(LIMIT - 1);
    out.add(new DicomReadWarning(last.source(), -1, last.offset(), suppressed
        + " more rule breaks like the above", "not listed"));
    return List.copyOf(out);
  }
}
