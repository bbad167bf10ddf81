package org.medvision.dicom;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** Encodes data set elements in one encoding (explicit or implicit VR, byte order); sequences get defined lengths. */
final class ElementEncoder {
  private static final int COPY_CHUNK = 1 << 20;

  private final boolean explicit;
  private final boolean bigEndian;
  private final String target;
  private final boolean encapsulatedSyntax;
  private final byte[] header = new byte[12];

  ElementEncoder(boolean explicit, boolean bigEndian, String target, boolean encapsulatedSyntax) {
    this.explicit = explicit;
    this.bigEndian = bigEndian;
    this.target = target;
    this.encapsulatedSyntax = encapsulatedSyntax;
  }

  void writeDataSet(OutputStream out, DataSet dataSet, boolean meta) throws IOException {
    for (DataElement element : dataSet) {
      int tag = element.tag();
      if (!meta && (Tag.group(tag) == 0x0002 || Tag.isGroupLength(tag))) {
        continue;
      }
      writeElement(out, element);
    }
  }

  private void writeElement(OutputStream out, DataElement element) throws IOException {
    int tag = element.tag();
    VR vr = element.vr();
    if (element.isSequence()) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (DataSet item : element.items()) {
        ByteArrayOutputStream itemBody = new ByteArrayOutputStream();
        writeDataSet(itemBody, item, false);
        writeTagLength(body, Tag.ITEM, itemBody.size());
        itemBody.writeTo(body);
      }
      writeHeader(out, tag, VR.SQ, body.size());
      body.writeTo(out);
      return;
    }
    if (element.isBulkData()) {
      writeBulk(out, element);
      return;
    }
    byte[] value = element.rawBytes();
    int length = value.length + (value.length & 1);
    writeHeader(out, tag, vr, length);
    if (bigEndian && vr.valueSize() > 1) {
      byte[] swapped = value.clone();
      ByteOrderSwap.swap(swapped, 0, swapped.length, vr.valueSize());
      out.write(swapped);
    } else {
      out.write(value);
    }
    if ((value.length & 1) != 0) {
      out.write(vr.paddingByte());
    }
  }

  private void writeBulk(OutputStream out, DataElement element) throws IOException {
    BulkData bulk = element.bulkData();
    int tag = element.tag();
    if (bulk.isEncapsulated() != encapsulatedSyntax && tag == Tags.PIXEL_DATA) {
      throw new DicomException(target + ": " + (bulk.isEncapsulated() ? "encapsulated" : "native")
          + " Pixel Data cannot be written in a " + (encapsulatedSyntax ? "compressed" : "native")
          + " transfer syntax; decode or encode the pixels first");
    }
    try (BulkData.Handle handle = bulk.open()) {
      if (bulk.isEncapsulated()) {
        writeHeader(out, tag, VR.OB, 0xFFFFFFFFL);
        long[] table = bulk.basicOffsetTable();
        writeTagLength(out, Tag.ITEM, table.length * 4L);
        for (long offset : table) {
          writeU32(out, offset);
        }
        List<BulkData.Fragment> fragments = bulk.fragments();
        for (int i = 0; i < fragments.size(); i++) {
          byte[] fragment = handle.readFragment(i);
          writeTagLength(out, Tag.ITEM, fragment.length + (fragment.length & 1));
          out.write(fragment);
          if ((fragment.length & 1) != 0) {
            out.write(0);
          }
        }
        writeTagLength(out, Tag.SEQUENCE_DELIMITATION, 0);
        return;
      }
      long length = bulk.length();
      writeHeader(out, tag, bulk.vr(), length + (length & 1));
      for (long done = 0; done < length; ) {
        int n = (int) Math.min(COPY_CHUNK, length - done);
        byte[] chunk = handle.read(done, n);
        if (bigEndian) {
          ByteOrderSwap.swap(chunk, 0, chunk.length, bulk.vr().valueSize());
        }
        out.write(chunk);
        done += n;
      }
      if ((length & 1) != 0) {
        out.write(0);
      }
    }
  }

  private void writeHeader(OutputStream out, int tag, VR vr, long length) throws IOException {
    if (!explicit) {
      writeTagLength(out, tag, length);
      return;
    }
    putU16(0, Tag.group(tag));
    putU16(2, Tag.element(tag));
    header[4] = (byte) vr.name().charAt(0);
    header[5] = (byte) vr.name().charAt(1);
    if (vr.isLongLength()) {
      header[6] = 0;
      header[7] = 0;
      putU32(8, length);
      out.write(header, 0, 12);
    } else {
      if (length > 0xFFFF) {
        throw new DicomException(target + ": value of " + Tag.toString(tag) + " " + DataSet.keyword(tag) + " is "
            + length + " bytes, more than the 65535 that VR " + vr + " can hold in explicit VR");
      }
      putU16(6, (int) length);
      out.write(header, 0, 8);
    }
  }

  private void writeTagLength(OutputStream out, int tag, long length) throws IOException {
    putU16(0, Tag.group(tag));
    putU16(2, Tag.element(tag));
    putU32(4, length);
    out.write(header, 0, 8);
  }

  private void writeU32(OutputStream out, long value) throws IOException {
    putU32(0, value);
    out.write(header, 0, 4);
  }

  private void putU16(int at, int value) {
    if (bigEndian) {
      header[at] = (byte) (value >>> 8);
      header[at + 1] = (byte) value;
    } else {
      header[at] = (byte) value;
      header[at + 1] = (byte) (value >>> 8);
    }
  }

  private void putU32(int at, long value) {
    if (value < 0 || value > 0xFFFFFFFFL) {
      throw new DicomException(target + ": length " + value + " does not fit the 32-bit length field");
    }
    if (bigEndian) {
      putU16(at, (int) (value >>> 16));
      putU16(at + 2, (int) value & 0xFFFF);
    } else {
      putU16(at, (int) value & 0xFFFF);
      putU16(at + 2, (int) (value >>> 16));
    }
  }
}
