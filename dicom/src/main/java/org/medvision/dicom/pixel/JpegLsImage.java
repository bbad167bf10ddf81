package org.medvision.dicom.pixel;

/**
 * A decoded JPEG-LS image.
 *
 * @param width samples per line (X)
 * @param height lines (Y)
 * @param components components (Nf)
 * @param precision bits per sample (P)
 * @param near the largest NEAR of its scans; 0 means the image is lossless
 * @param samples {@code width * height * components} values, pixel by pixel, components interleaved
 */
record JpegLsImage(int width, int height, int components, int precision, int near, int[] samples) {}
