package org.medvision.train.report;

import java.util.Locale;

/** Escaping and number formatting for the HTML report. */
final class Html {
  private Html() {}

  /** {@code text} safe inside an element or a double-quoted attribute: {@code & < > " '} become entities. */
  static String escape(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      switch (ch) {
        case '&':
          sb.append("&amp;");
          break;
        case '<':
          sb.append("&lt;");
          break;
        case '>':
          sb.append("&gt;");
          break;
        case '"':
          sb.append("&quot;");
          break;
        case '\'':
          sb.append("&#39;");
          break;
        default:
          sb.append(ch);
      }
    }
    return sb.toString();
  }

  /** {@code value} with four decimals, or {@code n/a} when undefined. */
  static String number(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
  }

  /** A p-value: four significant digits, scientific below 1e-4. */
  static String pValue(double p) {
    if (Double.isNaN(p)) {
      return "n/a";
    }
    return p < 1e-4 ? String.format(Locale.ROOT, "%.3e", p) : String.format(Locale.ROOT, "%.4f", p);
  }
}
