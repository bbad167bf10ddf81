package org.medvision.cli;

import java.util.Locale;

/** Number formats shared by the commands; fixed to the root locale so output is the same everywhere. */
final class Formats {
  private Formats() {}

  /** {@code 57607618} as {@code 57,607,618}. */
  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code 57607618} as {@code 57.61 M}. */
  static String millions(long n) {
    return String.format(Locale.ROOT, "%.2f M", n / 1e6);
  }

  /** {@code 8977000000} as {@code 8.977 G}. */
  static String giga(long n) {
    return String.format(Locale.ROOT, "%.3f G", n / 1e9);
  }

  /** A value with {@code digits} decimals. */
  /** A number without a trailing {@code .0}: {@code -1200}, {@code 99.5}. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  static String fixed(double v, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  /** Bytes as MiB with one decimal. */
  static String mebibytes(long bytes) {
    return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / (1024.0 * 1024.0));
  }
}
