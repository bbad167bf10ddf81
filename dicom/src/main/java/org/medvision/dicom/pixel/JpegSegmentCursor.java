package org.medvision.dicom.pixel;

/**
 * A read position in an ISO 10918 or ITU-T T.87 stream, for the marker segments both of our JPEG decoders parse:
 * big endian bytes and words, and errors that name the codec, the stream and the byte offset.
 */
abstract class JpegSegmentCursor {
  /** The whole stream, SOI to EOI. */
  final byte[] data;
  /** Names the stream in messages (e.g. "frame 3"). */
  final String what;
  /** The offset of the next byte to read. */
  int position;
  private final String codec;

  JpegSegmentCursor(String codec, byte[] data, String what) {
    this.codec = codec;
    this.data = data;
    this.what = what;
  }

  /** An error about this stream; the message starts with the codec name and the stream's name. */
  final PixelDecodingException error(String message) {
    return new PixelDecodingException(codec + " " + what + ": " + message);
  }

  /** The next byte, unsigned; fails when the stream has ended. */
  final int u8() {
    if (position >= data.length) {
      throw error("stream ends at byte offset " + position + " inside a marker segment");
    }
    return data[position++] & 0xFF;
  }

  /** The next two bytes as a big endian unsigned word. */
  final int u16() {
    return (u8() << 8) | u8();
  }
}
