package org.medvision.dicom.pixel;

/** The Pixel Data element's value: native bytes or encapsulated fragments. */
public sealed interface PixelData permits NativePixelData, EncapsulatedPixelData {}
