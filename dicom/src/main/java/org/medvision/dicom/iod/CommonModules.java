package org.medvision.dicom.iod;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.medvision.dicom.DataElement;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;

/**
 * The modules every derived object shares: Patient, General Study and Patient Study copied from the source; a new
 * series; equipment; SOP Common; content date and time; and the Common Instance Reference / evidence structure
 * grouping sources by series.
 */
final class CommonModules {
  /** Patient module attributes, Type 2 marked in {@link #TYPE2}. */
  private static final int[] PATIENT = {Tags.PATIENT_NAME, Tags.PATIENT_ID, Tags.ISSUER_OF_PATIENT_ID,
      Tags.PATIENT_BIRTH_DATE, Tags.PATIENT_BIRTH_TIME, Tags.PATIENT_SEX, Tags.ETHNIC_GROUP, Tags.PATIENT_COMMENTS,
      Tags.PATIENT_IDENTITY_REMOVED, Tags.DEIDENTIFICATION_METHOD, Tags.DEIDENTIFICATION_METHOD_CODE_SEQUENCE};
  /** General Study and Patient Study module attributes. */
  private static final int[] STUDY = {Tags.STUDY_INSTANCE_UID, Tags.STUDY_DATE, Tags.STUDY_TIME,
      Tags.REFERRING_PHYSICIAN_NAME, Tags.REFERRING_PHYSICIAN_IDENTIFICATION_SEQUENCE, Tags.STUDY_ID,
      Tags.ACCESSION_NUMBER, Tags.ISSUER_OF_ACCESSION_NUMBER_SEQUENCE, Tags.STUDY_DESCRIPTION,
      Tags.PHYSICIANS_OF_RECORD, Tags.NAME_OF_PHYSICIANS_READING_STUDY, Tags.PROCEDURE_CODE_SEQUENCE,
      Tags.REFERENCED_STUDY_SEQUENCE, Tags.PATIENT_AGE, Tags.PATIENT_SIZE, Tags.PATIENT_WEIGHT};
  /** Type 2 attributes: written empty when the source lacks them. */
  private static final int[] TYPE2 = {Tags.PATIENT_NAME, Tags.PATIENT_ID, Tags.PATIENT_BIRTH_DATE, Tags.PATIENT_SEX,
      Tags.STUDY_DATE, Tags.STUDY_TIME, Tags.REFERRING_PHYSICIAN_NAME, Tags.STUDY_ID, Tags.ACCESSION_NUMBER};

  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyyMMdd", Locale.ROOT);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss.SSS", Locale.ROOT);

  private CommonModules() {}

  /**
   * Copies Specific Character Set, Patient, General Study and Patient Study attributes from {@code source} (the
   * values keep their encoded bytes, so the character set travels with them) and writes absent Type 2 ones empty.
   *
   * @throws DicomException when the source has no Study Instance UID
   */
  static void copyPatientAndStudy(DataSet source, DataSet target) {
    source.getString(Tags.STUDY_INSTANCE_UID);
    copy(source, target, Tags.SPECIFIC_CHARACTER_SET);
    for (int tag : PATIENT) {
      copy(source, target, tag);
    }
    for (int tag : STUDY) {
      copy(source, target, tag);
    }
    for (int tag : TYPE2) {
      if (!target.contains(tag)) {
        target.setString(tag);
      }
    }
  }

  private static void copy(DataSet source, DataSet target, int tag) {
    Optional<DataElement> element = source.element(tag);
    element.ifPresent(target::set);
  }

  /** Sets Modality, a new Series Instance UID, Series Number, Series Description, Series Date and Time. */
  static String newSeries(DataSet target, String modality, int seriesNumber, String description, ZonedDateTime now) {
    String uid = Uids.create();
    target.setString(Tags.MODALITY, VR.CS, modality);
    target.setString(Tags.SERIES_INSTANCE_UID, VR.UI, uid);
    target.setInt(Tags.SERIES_NUMBER, VR.IS, seriesNumber);
    target.setString(Tags.SERIES_DESCRIPTION, VR.LO, description);
    target.setString(Tags.SERIES_DATE, VR.DA, DATE.format(now));
    target.setString(Tags.SERIES_TIME, VR.TM, TIME.format(now));
    return uid;
  }

  /**
   * Sets Laterality (General Series, Type 2C) to the source's value, or empty when the source has none: the body part
   * of a derived image is that of its source, and dciodvfy asks for the element whenever it cannot rule it out.
   */
  static void laterality(DataSet source, DataSet target) {
    Optional<DataElement> element = source.element(Tags.LATERALITY);
    if (element.isPresent()) {
      target.set(element.get());
    } else {
      target.setString(Tags.LATERALITY, VR.CS);
    }
  }

  /** Sets SOP Class, a new SOP Instance UID, Instance Creation Date/Time and Instance Number; returns the UID. */
  static String sopCommon(DataSet target, String sopClassUid, int instanceNumber, ZonedDateTime now) {
    String uid = Uids.create();
    target.setString(Tags.SOP_CLASS_UID, VR.UI, sopClassUid);
    target.setString(Tags.SOP_INSTANCE_UID, VR.UI, uid);
    target.setString(Tags.INSTANCE_CREATION_DATE, VR.DA, DATE.format(now));
    target.setString(Tags.INSTANCE_CREATION_TIME, VR.TM, TIME.format(now));
    target.setInt(Tags.INSTANCE_NUMBER, VR.IS, instanceNumber);
    return uid;
  }

  /** Sets Content Date and Content Time. */
  static void contentDateTime(DataSet target, ZonedDateTime now) {
    target.setString(Tags.CONTENT_DATE, VR.DA, DATE.format(now));
    target.setString(Tags.CONTENT_TIME, VR.TM, TIME.format(now));
  }

  /**
   * Checks that all sources belong to one study and returns their references grouped by series, in first-seen order.
   *
   * @throws DicomException naming the instance whose study differs, or when there are no sources
   */
  static Map<String, List<SopReference>> bySeries(List<DataSet> sources, String what) {
    if (sources.isEmpty()) {
      throw new DicomException(what + " needs at least one source image");
    }
    Map<String, List<SopReference>> out = new LinkedHashMap<>();
    String study = null;
    for (DataSet source : sources) {
      SopReference ref = SopReference.of(source);
      if (study == null) {
        study = ref.studyUid();
      } else if (!study.equals(ref.studyUid())) {
        throw new DicomException(what + ": source " + ref.describe() + " is in study " + ref.studyUid()
            + ", not in study " + study + " of the first source; all sources must share one study");
      }
      out.computeIfAbsent(ref.seriesUid(), k -> new ArrayList<>()).add(ref);
    }
    return out;
  }

  /**
   * Adds one Referenced Series Sequence item per series with its instances; {@code instanceTag} is Referenced
   * Instance Sequence (Common Instance Reference) or Referenced SOP Sequence (SR evidence).
   */
  static void addSeriesReferences(DataSet target, Map<String, List<SopReference>> bySeries, int instanceTag) {
    for (Map.Entry<String, List<SopReference>> series : bySeries.entrySet()) {
      DataSet item = target.addItem(Tags.REFERENCED_SERIES_SEQUENCE);
      item.setString(Tags.SERIES_INSTANCE_UID, VR.UI, series.getKey());
      for (SopReference ref : series.getValue()) {
        ref.fill(item.addItem(instanceTag));
      }
    }
  }
}
