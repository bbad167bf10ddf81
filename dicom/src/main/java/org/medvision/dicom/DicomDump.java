package org.medvision.dicom;

import java.util.List;

/**
 * A text rendering of a data set, one element a line: tag, VR, keyword and value, with sequence items indented,
 * for {@code medvision dicom info} and debugging. Binary values show their numbers, OB/UN a byte count, and bulk
 * pixel data where it lies in the file (it is never read).
 */
public final class DicomDump {
  private final int maxValueChars;

  /** A dump that shortens values to {@code maxValueChars} characters (at least 8) with an ellipsis. */
  public DicomDump(int maxValueChars) {
    this.maxValueChars = Math.max(8, maxValueChars);
  }

  /** A dump with values shortened to 64 characters. */
  public DicomDump() {
    this(64);
  }

  /** Renders a whole file: meta group, a transfer syntax line, then the data set. */
  public String render(DicomFile file) {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(file.source()).append('\n');
    if (file.hasMeta()) {
      out.append("# file meta information\n");
      render(file.meta(), 0, out);
    }
    out.append("# data set, ").append(file.transferSyntax().name()).append(" (").append(file.transferSyntax().uid())
        .append(")\n");
    render(file.dataSet(), 0, out);
    return out.toString();
  }

  /** Renders a data set. */
  public String render(DataSet dataSet) {
    StringBuilder out = new StringBuilder();
    render(dataSet, 0, out);
    return out.toString();
  }

  private void render(DataSet dataSet, int depth, StringBuilder out) {
    String indent = "  ".repeat(depth);
    for (DataElement element : dataSet) {
      int tag = element.tag();
      String keyword = DicomDictionary.standard().keyword(tag);
      out.append(indent).append(Tag.toString(tag)).append(' ').append(element.vr()).append(' ');
      out.append(pad(keyword.isEmpty() ? "?" : keyword, 36 - indent.length())).append(' ');
      if (element.isSequence()) {
        List<DataSet> items = element.items();
        out.append(items.size()).append(items.size() == 1 ? " item" : " items").append('\n');
        for (int i = 0; i < items.size(); i++) {
          out.append(indent).append("  > item ").append(i + 1).append('\n');
          render(items.get(i), depth + 1, out);
        }
      } else if (element.isBulkData()) {
        out.append(element.bulkData()).append(" (not loaded)\n");
      } else {
        out.append(value(dataSet, element)).append('\n');
      }
    }
  }

  private String value(DataSet dataSet, DataElement element) {
    VR vr = element.vr();
    if (vr == VR.OB || vr == VR.UN) {
      return element.length() + " bytes";
    }
    String text = dataSet.text(element.tag()).orElse("");
    if (text.isEmpty()) {
      return "(empty)";
    }
    if (text.length() > maxValueChars) {
      text = text.substring(0, maxValueChars - 3) + "...";
    }
    StringBuilder escaped = new StringBuilder(text.length() + 2).append('[');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      escaped.append(c < 0x20 ? String.format("\\x%02X", (int) c) : String.valueOf(c));
    }
    return escaped.append(']').toString();
  }

  private static String pad(String text, int width) {
    return text.length() >= width ? text : text + " ".repeat(width - text.length());
  }
}
