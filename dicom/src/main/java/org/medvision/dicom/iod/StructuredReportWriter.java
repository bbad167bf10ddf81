package org.medvision.dicom.iod;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;

/**
 * Writes the findings of a classification or multi-label task as a Comprehensive SR document, laid out in the style
 * of TID 1500 (Measurement Report) without claiming conformance to it (no Content Template Sequence).
 *
 * <p>Content tree under the root CONTAINER (126000, DCM, "Imaging Measurement Report"):
 * <pre>
 * HAS CONCEPT MOD  CODE   (121049, DCM, "Language of Content Item and Descendants") = (en, RFC5646, "English")
 * HAS OBS CONTEXT  CODE   (121005, DCM, "Observer Type") = (121007, DCM, "Device")
 * HAS OBS CONTEXT  UIDREF (121012, DCM, "Device Observer UID") = UID derived from the model name
 * HAS OBS CONTEXT  TEXT   (121013, DCM, "Device Observer Name"), (121014, "... Manufacturer"), (121015, "... Model
 *                         Name")
 * CONTAINS CONTAINER (111028, DCM, "Image Library")
 *   CONTAINS CONTAINER (126200, DCM, "Image Library Group")
 *     CONTAINS IMAGE   one per source image
 * CONTAINS CONTAINER (PROVENANCE, 99MEDVISION, "Model provenance")
 *   CONTAINS TEXT    (111001, DCM, "Algorithm Name"), (111003, DCM, "Algorithm Version"), then one TEXT per other
 *                    provenance entry, named with our codes
 * single-label findings:
 * CONTAINS CONTAINER (PROBABILITIES, 99MEDVISION, "Class probabilities")
 *   CONTAINS NUM     (PROBABILITY, 99MEDVISION, "Class probability") value, units (1, UCUM, "no units")
 *     HAS CONCEPT MOD CODE (121071, DCM, "Finding") = the class label as a code
 * CONTAINS CODE    (121071, DCM, "Finding") = the predicted label as a code
 * multi-label findings:
 * CONTAINS CONTAINER (LABEL_PROBS, 99MEDVISION, "Label probabilities")
 *   CONTAINS NUM     (LABEL_PROB, 99MEDVISION, "Label probability") value, units (1, UCUM, "no units")
 *     HAS CONCEPT MOD CODE (121071, DCM, "Finding") = the label as a code
 * CONTAINS NUM     (FINDING_THRESH, 99MEDVISION, "Finding threshold") t, units (1, UCUM, "no units")
 * CONTAINS CODE    (121071, DCM, "Finding") = a label whose probability is at least t, one item per such label
 *   HAS PROPERTIES NUM (LABEL_PROB, 99MEDVISION, "Label probability") its probability
 * CONTAINS TEXT    (121071, DCM, "Finding") = "no finding above threshold t", only when no label reaches t
 * </pre>
 * Labels become codes with {@link Code#label(String)} in our scheme {@value Code#MEDVISION}: task labels have no
 * standard codes that we could assert are exact. The sources also appear in Current Requested Procedure Evidence
 * Sequence. The document is COMPLETE and UNVERIFIED (a machine wrote it; nobody has signed it).
 */
public final class StructuredReportWriter {
  /** Series Number of the report series. */
  public static final int SERIES_NUMBER = 9002;

  private static final Code FINDING = Code.dcm("121071", "Finding");
  private static final Code CLASS_PROBABILITY = new Code("PROBABILITY", Code.MEDVISION, "Class probability");
  private static final Code LABEL_PROBABILITY = new Code("LABEL_PROB", Code.MEDVISION, "Label probability");
  private static final Code THRESHOLD = new Code("FINDING_THRESH", Code.MEDVISION, "Finding threshold");

  private final Equipment equipment;
  private final Clock clock;

  /** A writer stamping documents with {@code equipment} and the time of {@code clock}. */
  public StructuredReportWriter(Equipment equipment, Clock clock) {
    this.equipment = equipment;
    this.clock = clock;
  }

  /** A writer for medvision and the system clock. */
  public StructuredReportWriter() {
    this(Equipment.MEDVISION, Clock.systemDefaultZone());
  }

  /**
   * Builds the SR document.
   *
   * @throws DicomException when a source lacks an identifying UID or the sources span several studies
   */
  public DataSet build(Findings findings) {
    String what = "SR of task " + findings.taskName();
    Map<String, List<SopReference>> bySeries = CommonModules.bySeries(findings.sources(), what);
    ZonedDateTime now = ZonedDateTime.now(clock);
    DataSet out = new DataSet();
    DataSet first = findings.sources().get(0);
    CommonModules.copyPatientAndStudy(first, out);
    CommonModules.newSeries(out, "SR", SERIES_NUMBER, "medvision " + findings.taskName() + " findings", now);
    out.setSequence(Tags.REFERENCED_PERFORMED_PROCEDURE_STEP_SEQUENCE, List.of());
    equipment.fill(out);
    CommonModules.sopCommon(out, Uids.COMPREHENSIVE_SR_STORAGE, 1, now);
    CommonModules.contentDateTime(out, now);
    out.setString(Tags.COMPLETION_FLAG, VR.CS, "COMPLETE");
    out.setString(Tags.VERIFICATION_FLAG, VR.CS, "UNVERIFIED");
    out.setSequence(Tags.PERFORMED_PROCEDURE_CODE_SEQUENCE, List.of());
    DataSet evidence = out.addItem(Tags.CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE);
    evidence.setString(Tags.STUDY_INSTANCE_UID, VR.UI, first.getString(Tags.STUDY_INSTANCE_UID));
    CommonModules.addSeriesReferences(evidence, bySeries, Tags.REFERENCED_SOP_SEQUENCE);

    out.setString(Tags.VALUE_TYPE, VR.CS, "CONTAINER");
    Code.dcm("126000", "Imaging Measurement Report").addTo(out, Tags.CONCEPT_NAME_CODE_SEQUENCE);
    out.setString(Tags.CONTINUITY_OF_CONTENT, VR.CS, "SEPARATE");
    code(out, "HAS CONCEPT MOD", Code.dcm("121049", "Language of Content Item and Descendants"),
        new Code("en", "RFC5646", "English"));
    observerContext(out, findings);
    DataSet library = container(out, Code.dcm("111028", "Image Library"));
    DataSet group = container(library, Code.dcm("126200", "Image Library Group"));
    for (DataSet source : findings.sources()) {
      DataSet image = item(group, "CONTAINS", "IMAGE");
      SopReference.of(source).fill(image.addItem(Tags.REFERENCED_SOP_SEQUENCE));
    }
    DataSet provenance = container(out, new Code("PROVENANCE", Code.MEDVISION, "Model provenance"));
    String model = findings.provenance().getOrDefault(Findings.MODEL, findings.taskName());
    text(provenance, "CONTAINS", Code.dcm("111001", "Algorithm Name"), model);
    String modelVersion = findings.provenance().get(Findings.MODEL_VERSION);
    if (modelVersion != null) {
      text(provenance, "CONTAINS", Code.dcm("111003", "Algorithm Version"), modelVersion);
    }
    text(provenance, "CONTAINS", new Code("TASK", Code.MEDVISION, "Task"), findings.taskName());
    for (Map.Entry<String, String> entry : findings.provenance().entrySet()) {
      String key = entry.getKey();
      if (!key.equals(Findings.MODEL) && !key.equals(Findings.MODEL_VERSION)) {
        text(provenance, "CONTAINS", Code.label(key), entry.getValue());
      }
    }
    if (findings.multiLabel()) {
      labelFindings(out, findings);
    } else {
      DataSet probabilities = container(out, new Code("PROBABILITIES", Code.MEDVISION, "Class probabilities"));
      for (int i = 0; i < findings.labels().size(); i++) {
        DataSet num = number(probabilities, "CONTAINS", CLASS_PROBABILITY, findings.probabilities().get(i));
        code(num, "HAS CONCEPT MOD", FINDING, Code.label(findings.labels().get(i)));
      }
      code(out, "CONTAINS", FINDING, Code.label(findings.predictedLabel()));
    }
    return out;
  }

  /** Every label's probability, the threshold, then each finding at or above it with its probability, or a note. */
  private static void labelFindings(DataSet out, Findings findings) {
    DataSet probabilities = container(out, new Code("LABEL_PROBS", Code.MEDVISION, "Label probabilities"));
    for (int i = 0; i < findings.labels().size(); i++) {
      DataSet num = number(probabilities, "CONTAINS", LABEL_PROBABILITY, findings.probabilities().get(i));
      code(num, "HAS CONCEPT MOD", FINDING, Code.label(findings.labels().get(i)));
    }
    number(out, "CONTAINS", THRESHOLD, findings.threshold());
    List<Integer> present = findings.presentIndices();
    for (int i : present) {
      DataSet finding = code(out, "CONTAINS", FINDING, Code.label(findings.labels().get(i)));
      number(finding, "HAS PROPERTIES", LABEL_PROBABILITY, findings.probabilities().get(i));
    }
    if (present.isEmpty()) {
      text(out, "CONTAINS", FINDING, "no finding above threshold " + BigDecimal.valueOf(findings.threshold())
          .stripTrailingZeros().toPlainString());
    }
  }

  /**
   * Builds the document (see {@link #build}) and writes it atomically to {@code file}.
   *
   * @return the data set written
   */
  public DataSet write(Path file, Findings findings) {
    DataSet out = build(findings);
    DicomWriter.writeFile(file, out);
    return out;
  }

  private void observerContext(DataSet root, Findings findings) {
    String model = findings.provenance().getOrDefault(Findings.MODEL, findings.taskName());
    code(root, "HAS OBS CONTEXT", Code.dcm("121005", "Observer Type"), Code.dcm("121007", "Device"));
    DataSet uid = item(root, "HAS OBS CONTEXT", "UIDREF");
    Code.dcm("121012", "Device Observer UID").addTo(uid, Tags.CONCEPT_NAME_CODE_SEQUENCE);
    // A stable UID per model, so reports by the same model name the same device.
    uid.setString(Tags.UID, VR.UI, Uids.fromUuid(UUID.nameUUIDFromBytes(("medvision model " + model)
        .getBytes(StandardCharsets.UTF_8))));
    text(root, "HAS OBS CONTEXT", Code.dcm("121013", "Device Observer Name"), model);
    text(root, "HAS OBS CONTEXT", Code.dcm("121014", "Device Observer Manufacturer"), equipment.manufacturer());
    text(root, "HAS OBS CONTEXT", Code.dcm("121015", "Device Observer Model Name"), equipment.modelName());
  }

  private static DataSet item(DataSet parent, String relationship, String valueType) {
    DataSet item = parent.addItem(Tags.CONTENT_SEQUENCE);
    item.setString(Tags.RELATIONSHIP_TYPE, VR.CS, relationship);
    item.setString(Tags.VALUE_TYPE, VR.CS, valueType);
    return item;
  }

  private static DataSet container(DataSet parent, Code concept) {
    DataSet item = item(parent, "CONTAINS", "CONTAINER");
    concept.addTo(item, Tags.CONCEPT_NAME_CODE_SEQUENCE);
    item.setString(Tags.CONTINUITY_OF_CONTENT, VR.CS, "SEPARATE");
    return item;
  }

  private static void text(DataSet parent, String relationship, Code concept, String value) {
    DataSet item = item(parent, relationship, "TEXT");
    concept.addTo(item, Tags.CONCEPT_NAME_CODE_SEQUENCE);
    item.setString(Tags.TEXT_VALUE, VR.UT, value);
  }

  private static DataSet code(DataSet parent, String relationship, Code concept, Code value) {
    DataSet item = item(parent, relationship, "CODE");
    concept.addTo(item, Tags.CONCEPT_NAME_CODE_SEQUENCE);
    value.addTo(item, Tags.CONCEPT_CODE_SEQUENCE);
    return item;
  }

  /** A NUM item of a unitless value. */
  private static DataSet number(DataSet parent, String relationship, Code concept, double value) {
    DataSet num = item(parent, relationship, "NUM");
    concept.addTo(num, Tags.CONCEPT_NAME_CODE_SEQUENCE);
    DataSet measured = num.addItem(Tags.MEASURED_VALUE_SEQUENCE);
    measured.setDouble(Tags.NUMERIC_VALUE, VR.DS, value);
    Code.ucum("1", "no units").addTo(measured, Tags.MEASUREMENT_UNITS_CODE_SEQUENCE);
    return num;
  }
}
