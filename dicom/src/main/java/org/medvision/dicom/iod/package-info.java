/**
 * Writers of new DICOM objects: the results of a model as Comprehensive SR ({@link
 * org.medvision.dicom.iod.StructuredReportWriter}), Segmentation ({@link org.medvision.dicom.iod.SegmentationWriter})
 * and Multi-frame True Color Secondary Capture ({@link org.medvision.dicom.iod.SecondaryCaptureWriter}), and CT
 * Image series from volumes in Hounsfield units ({@link org.medvision.dicom.iod.CtSeriesWriter}).
 *
 * <p>Every derived object gets new UIDs ({@code 2.25.<uuid>}), a new series in the source study, the Patient and
 * General Study modules copied from its source, our equipment identity and SOP Common, and is written as Part 10
 * explicit VR little endian, atomically ({@link org.medvision.dicom.DicomWriter}).
 */
package org.medvision.dicom.iod;
