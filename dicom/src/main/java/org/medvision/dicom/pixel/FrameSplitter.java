package org.medvision.dicom.pixel;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.medvision.dicom.TransferSyntax;

/**
 * Finds each frame's bytes among the fragments of encapsulated Pixel Data (PS3.5 A.4): through the Extended Offset
 * Table, else the Basic Offset Table when it has one entry per frame, else one fragment per frame when the counts
 * match, else by the codestream start markers that begin every frame.
 *
 * <p>Offsets count from the first byte of the first fragment item's tag, and each item adds 8 header bytes.
 */
final class FrameSplitter {
  private FrameSplitter() {}

  /**
   * The frames' encoded bytes.
   *
   * @param pixels the fragments and tables
   * @param frames Number of Frames
   * @param syntax the transfer syntax, which decides the codestream start marker used without tables
   * @throws PixelDecodingException when a table lies (offset past the data, not increasing, not at an item) or the
   *     fragments cannot be divided into {@code frames} frames
   */
  static List<byte[]> split(EncapsulatedPixelData pixels, int frames, TransferSyntax syntax) {
    List<byte[]> fragments = pixels.fragments();
    if (fragments.isEmpty()) {
      throw new PixelDecodingException("encapsulated Pixel Data (" + syntax.uid() + ") has no fragments");
    }
    long[] itemStarts = new long[fragments.size() + 1];
    for (int i = 0; i < fragments.size(); i++) {
      itemStarts[i + 1] = itemStarts[i] + 8 + fragments.get(i).length;
    }
    long[] extended = pixels.extendedOffsets();
    if (extended.length > 0) {
      return byOffsets(fragments, itemStarts, extended, pixels.extendedLengths(), frames, "Extended Offset Table");
    }
    long[] basic = pixels.basicOffsets();
    // A Basic Offset Table with the wrong number of entries describes some other frame count; real files (gdcm's
    // 00191113.dcm has 5 entries for 4 frames) carry such tables, and peers ignore them, so we fall back to the
    // table-less rules, which check every frame's start marker themselves.
    if (basic.length == frames) {
      return byOffsets(fragments, itemStarts, basic, new long[0], frames, "Basic Offset Table");
    }
    if (frames == 1) {
      return List.of(concat(fragments, 0, fragments.size()));
    }
    if (fragments.size() == frames) {
      return fragments;
    }
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < fragments.size(); i++) {
      if (startsCodestream(syntax.family(), fragments.get(i))) {
        starts.add(i);
      }
    }
    if (starts.size() != frames || starts.get(0) != 0) {
      throw new PixelDecodingException("encapsulated Pixel Data (" + syntax.uid() + ") has no offset table, "
          + fragments.size() + " fragments and " + starts.size() + " codestream starts, which cannot be divided into "
          + frames + " frames");
    }
    List<byte[]> out = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      int end = f + 1 < frames ? starts.get(f + 1) : fragments.size();
      out.add(concat(fragments, starts.get(f), end));
    }
    return out;
  }

  /** Whether a fragment begins a codestream of this family: the markers every frame of it starts with. */
  private static boolean startsCodestream(TransferSyntax.Family family, byte[] fragment) {
    switch (family) {
      case JPEG, JPEG_LS -> {
        return fragment.length >= 2 && (fragment[0] & 0xFF) == 0xFF && (fragment[1] & 0xFF) == 0xD8;
      }
      case JPEG_2000 -> {
        boolean codestream = fragment.length >= 4 && (fragment[0] & 0xFF) == 0xFF && (fragment[1] & 0xFF) == 0x4F
            && (fragment[2] & 0xFF) == 0xFF && (fragment[3] & 0xFF) == 0x51;
        boolean jp2 = fragment.length >= 8 && fragment[4] == 'j' && fragment[5] == 'P' && fragment[6] == ' '
            && fragment[7] == ' ';
        return codestream || jp2;
      }
      default -> {
        return false;
      }
    }
  }

  private static List<byte[]> byOffsets(List<byte[]> fragments, long[] itemStarts, long[] offsets, long[] lengths,
      int frames, String table) {
    long total = itemStarts[fragments.size()];
    if (offsets.length != frames) {
      throw new PixelDecodingException(table + " has " + offsets.length + " entries but Number of Frames is "
          + frames);
    }
    if (lengths.length != 0 && lengths.length != offsets.length) {
      throw new PixelDecodingException(table + " has " + offsets.length + " offsets but " + lengths.length
          + " lengths");
    }
    int[] first = new int[frames];
    for (int f = 0; f < frames; f++) {
      long offset = offsets[f];
      if (offset < 0 || offset >= total) {
        throw new PixelDecodingException(table + " offset " + offset + " of frame " + (f + 1)
            + " lies past the end of the fragments (" + total + " bytes with item headers)");
      }
      if (f > 0 && offset <= offsets[f - 1]) {
        throw new PixelDecodingException(table + " offset " + offset + " of frame " + (f + 1)
            + " is not greater than frame " + f + "'s offset " + offsets[f - 1]);
      }
      int index = Arrays.binarySearch(itemStarts, 0, fragments.size(), offset);
      if (index < 0) {
        throw new PixelDecodingException(table + " offset " + offset + " of frame " + (f + 1)
            + " does not point at the start of a fragment item");
      }
      first[f] = index;
    }
    if (first[0] != 0) {
      throw new PixelDecodingException(table + " offset " + offsets[0] + " of frame 1 skips the first fragment");
    }
    List<byte[]> out = new ArrayList<>(frames);
    for (int f = 0; f < frames; f++) {
      int end = f + 1 < frames ? first[f + 1] : fragments.size();
      byte[] frame = concat(fragments, first[f], end);
      if (lengths.length != 0) {
        long length = lengths[f];
        if (length > frame.length || length < 0) {
          throw new PixelDecodingException(table + " length " + length + " of frame " + (f + 1) + " is more than"
              + " the " + frame.length + " bytes of its fragments");
        }
        frame = Arrays.copyOf(frame, (int) length);
      }
      out.add(frame);
    }
    return out;
  }

  private static byte[] concat(List<byte[]> fragments, int from, int to) {
    if (to - from == 1) {
      return fragments.get(from);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      out.writeBytes(fragments.get(i));
    }
    return out.toByteArray();
  }
}
