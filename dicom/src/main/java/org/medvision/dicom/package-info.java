/**
 * The medvision DICOM core: the data model ({@link org.medvision.dicom.DataSet}, {@link org.medvision.dicom.VR},
 * {@link org.medvision.dicom.Tags}), our data dictionary, the Part 10 reader and writer, DICOMDIR reading, a
 * directory scanner and a text dump.
 *
 * <p>Reading never loads pixel data: Pixel Data is a {@link org.medvision.dicom.BulkData} reference into the file.
 * Every malformed input raises a {@link org.medvision.dicom.DicomException}; parse errors name the file, the tag and
 * the byte offset.
 */
package org.medvision.dicom;
