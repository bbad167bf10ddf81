/**
 * DICOM pixel data decoding, independent of how the data set was read: a {@link
 * org.medvision.dicom.pixel.PixelDescription} (the Image Pixel module values) plus native bytes or encapsulated
 * fragments go in, frames of integer samples come out.
 *
 * <p>Codecs: native (PS3.5 section 8), RLE (PS3.5 Annex G), JPEG-LS (ITU-T T.87), lossless JPEG (ISO 10918-1
 * process 14, {@code JpegLosslessDecoder}) and 12-bit sequential JPEG are ours; 8-bit
 * lossy JPEG goes through TwelveMonkeys ImageIO and JPEG 2000 through jai-imageio. Photometric
 * conversion to RGB, MONOCHROME1 inversion, palette lookup and the modality rescale are separate steps in {@link
 * org.medvision.dicom.pixel.PixelTransforms}; {@link org.medvision.dicom.pixel.DataSetPixels} connects our reader's
 * data sets to the decoders. The decoder for a frame is chosen by the {@link
 * org.medvision.dicom.TransferSyntax.Family family} of the core transfer syntax.
 */
package org.medvision.dicom.pixel;
