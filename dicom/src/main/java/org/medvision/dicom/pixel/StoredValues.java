package org.medvision.dicom.pixel;

/**
 * Turns the raw bits of a sample into its stored value: keeps Bits Stored bits ending at High Bit and sign-extends
 * them when Pixel Representation is 1 (PS3.5 8.1.1).
 */
final class StoredValues {
  private final int shift;
  private final int mask;
  private final int signBit;
  private final boolean signed;

  private StoredValues(int shift, int bitsStored, boolean signed) {
    this.shift = shift;
    this.mask = bitsStored >= 32 ? -1 : (1 << bitsStored) - 1;
    this.signBit = bitsStored >= 32 ? 0 : 1 << (bitsStored - 1);
    this.signed = signed && bitsStored < 32;
  }

  /** For native data: the stored bits sit below High Bit in the container. */
  static StoredValues forNative(PixelDescription description) {
    return new StoredValues(description.highBit() - description.bitsStored() + 1, description.bitsStored(),
        description.signed());
  }

  /** For codec output: the codec returns the stored value itself, right-aligned, possibly unsigned. */
  static StoredValues forCodec(PixelDescription description) {
    return new StoredValues(0, description.bitsStored(), description.signed());
  }

  int apply(int raw) {
    int value = (raw >>> shift) & mask;
    if (signed && (value & signBit) != 0) {
      value -= signBit << 1;
    }
    return value;
  }

  void applyInPlace(int[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = apply(values[i]);
    }
  }
}
