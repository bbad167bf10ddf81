/**
 * DICOM objects as volumes and model inputs: {@link org.medvision.io.dicom.DicomImage} turns one file into
 * {@link org.medvision.io.volume.SliceRecord}s (single-frame, classic multi-frame and enhanced multi-frame with
 * functional groups) whose pixels are rescaled floats (Hounsfield units for CT); {@link
 * org.medvision.io.dicom.StudyScanner} indexes a folder tree or DICOMDIR into patients, studies and series; {@link
 * org.medvision.io.dicom.DicomSeries#volume()} assembles a series with {@link org.medvision.io.volume.SeriesAssembler}.
 * Running models over them is the runtime module's job.
 */
package org.medvision.io.dicom;
