package org.medvision.dicom.iod;

import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.Tags;
import org.medvision.dicom.VR;

/**
 * The identity of a source instance that a derived object points at.
 *
 * @param studyUid Study Instance UID
 * @param seriesUid Series Instance UID
 * @param sopClassUid SOP Class UID
 * @param sopInstanceUid SOP Instance UID
 */
public record SopReference(String studyUid, String seriesUid, String sopClassUid, String sopInstanceUid) {
  /**
   * The reference to {@code source}.
   *
   * @throws DicomException naming the missing UID
   */
  public static SopReference of(DataSet source) {
    return new SopReference(source.getString(Tags.STUDY_INSTANCE_UID), source.getString(Tags.SERIES_INSTANCE_UID),
        source.getString(Tags.SOP_CLASS_UID), source.getString(Tags.SOP_INSTANCE_UID));
  }

  /** Sets Referenced SOP Class UID and Referenced SOP Instance UID in {@code item}. */
  public void fill(DataSet item) {
    item.setString(Tags.REFERENCED_SOP_CLASS_UID, VR.UI, sopClassUid);
    item.setString(Tags.REFERENCED_SOP_INSTANCE_UID, VR.UI, sopInstanceUid);
  }

  /** A short description for messages. */
  public String describe() {
    return "SOP instance " + sopInstanceUid;
  }
}
