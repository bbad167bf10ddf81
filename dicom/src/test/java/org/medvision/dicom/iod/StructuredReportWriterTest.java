package org.medvision.dicom.iod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.testing.Corpus;
import org.medvision.dicom.testing.PeerTools;

class StructuredReportWriterTest {
  static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  @TempDir Path dir;

  static Map<String, String> provenance() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(Findings.MODEL, "convnext-tiny");
    p.put(Findings.MODEL_VERSION, "1.0");
    p.put(Findings.TASK_VERSION, "0.1.0");
    p.put(Findings.ENGINE, "onnx");
    p.put(Findings.ENGINE_VERSION, "1.20.0");
    p.put(Findings.WEIGHTS_SHA256, SHA);
    p.put(Findings.DEVICE, "cpu");
    p.put(Findings.SEED, "7");
    return p;
  }

  @Test
  void findingsOnRealCtPassPeersAndReadBack() {
    DataSet ct = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    List<String> labels = List.of("normal", "hemorrhagic", "ischemic", "Pleural_Thickening_long");
    List<Double> probabilities = List.of(0.1, 0.7000000000000001, 0.15, 0.05);
    Findings findings = new Findings("strokenext", labels, probabilities, provenance(), List.of(ct));
    Path file = dir.resolve("sr.dcm");
    new StructuredReportWriter(Equipment.MEDVISION, SecondaryCaptureWriterTest.CLOCK).write(file, findings);

    Peers.assertValid(file, "ComprehensiveSR");
    Peers.assertDcmdump(file);
    PeerTools.Run dsr = PeerTools.run("dsrdump", "-Ec", file.toString());
    assertEquals(0, dsr.exitCode(), () -> "dsrdump failed:\n" + dsr.output());
    assertTrue(dsr.output().contains("Imaging Measurement Report"), dsr.output());
    assertTrue(!dsr.output().contains("E: ") && !dsr.output().contains("W: "), dsr.output());

    DataSet back = DicomReader.readFile(file).dataSet();
    assertEquals(Uids.COMPREHENSIVE_SR_STORAGE, back.getString(Tags.SOP_CLASS_UID));
    assertEquals("SR", back.getString(Tags.MODALITY));
    assertEquals(ct.getString(Tags.STUDY_INSTANCE_UID), back.getString(Tags.STUDY_INSTANCE_UID));
    assertEquals(ct.getString(Tags.PATIENT_NAME), back.getString(Tags.PATIENT_NAME));
    DataSet evidence = back.sequence(Tags.CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE).get(0);
    assertEquals(ct.getString(Tags.SOP_INSTANCE_UID), evidence.sequence(Tags.REFERENCED_SERIES_SEQUENCE).get(0)
        .sequence(Tags.REFERENCED_SOP_SEQUENCE).get(0).getString(Tags.REFERENCED_SOP_INSTANCE_UID));

    Map<String, String> texts = new LinkedHashMap<>();
    List<Double> numbers = new ArrayList<>();
    List<String> numberLabels = new ArrayList<>();
    String predicted = null;
    List<String> images = new ArrayList<>();
    for (DataSet item : walk(back)) {
      String type = item.getString(Tags.VALUE_TYPE);
      DataSet concept = item.sequence(Tags.CONCEPT_NAME_CODE_SEQUENCE).isEmpty() ? null
          : item.sequence(Tags.CONCEPT_NAME_CODE_SEQUENCE).get(0);
      if (type.equals("TEXT")) {
        texts.put(concept.getString(Tags.CODE_MEANING), item.getString(Tags.TEXT_VALUE));
      } else if (type.equals("NUM")) {
        numbers.add(item.sequence(Tags.MEASURED_VALUE_SEQUENCE).get(0).getDouble(Tags.NUMERIC_VALUE));
        numberLabels.add(item.sequence(Tags.CONTENT_SEQUENCE).get(0).sequence(Tags.CONCEPT_CODE_SEQUENCE).get(0)
            .getString(Tags.CODE_MEANING));
      } else if (type.equals("CODE") && item.parent() == back
          && concept.getString(Tags.CODE_VALUE).equals("121071")) {
        predicted = item.sequence(Tags.CONCEPT_CODE_SEQUENCE).get(0).getString(Tags.CODE_MEANING);
      } else if (type.equals("IMAGE")) {
        images.add(item.sequence(Tags.REFERENCED_SOP_SEQUENCE).get(0).getString(Tags.REFERENCED_SOP_INSTANCE_UID));
      }
    }
    assertEquals(labels, numberLabels);
    for (int i = 0; i < labels.size(); i++) {
      assertEquals(probabilities.get(i), numbers.get(i), 1e-15, "probability of " + labels.get(i));
    }
    assertEquals("hemorrhagic", predicted);
    assertEquals(List.of(ct.getString(Tags.SOP_INSTANCE_UID)), images);
    assertEquals("convnext-tiny", texts.get("Algorithm Name"));
    assertEquals("1.0", texts.get("Algorithm Version"));
    assertEquals(SHA, texts.get(Findings.WEIGHTS_SHA256));
    assertEquals("onnx", texts.get(Findings.ENGINE));
    assertEquals("cpu", texts.get(Findings.DEVICE));
    assertEquals("7", texts.get(Findings.SEED));
    assertEquals("strokenext", texts.get("Task"));
  }

  /** Multi-label findings, read back: every label's probability, the threshold, and the labels at or above it. */
  private record LabelReport(Map<String, Double> probabilities, Double threshold, Map<String, Double> findings,
      List<String> notes) {
    static LabelReport of(DataSet sr) {
      Map<String, Double> probabilities = new LinkedHashMap<>();
      Map<String, Double> findings = new LinkedHashMap<>();
      List<String> notes = new ArrayList<>();
      Double threshold = null;
      for (DataSet item : walk(sr)) {
        String type = item.getString(Tags.VALUE_TYPE);
        if (item.sequence(Tags.CONCEPT_NAME_CODE_SEQUENCE).isEmpty()) {
          continue;
        }
        String concept = item.sequence(Tags.CONCEPT_NAME_CODE_SEQUENCE).get(0).getString(Tags.CODE_MEANING);
        if (type.equals("NUM") && concept.equals("Finding threshold")) {
          threshold = value(item);
        } else if (type.equals("NUM") && item.getString(Tags.RELATIONSHIP_TYPE).equals("CONTAINS")) {
          assertEquals("Label probability", concept);
          probabilities.put(meaning(item.sequence(Tags.CONTENT_SEQUENCE).get(0)), value(item));
        } else if (type.equals("CODE") && item.parent() == sr && concept.equals("Finding")) {
          DataSet property = item.sequence(Tags.CONTENT_SEQUENCE).get(0);
          assertEquals("HAS PROPERTIES", property.getString(Tags.RELATIONSHIP_TYPE));
          findings.put(meaning(item), value(property));
        } else if (type.equals("TEXT") && concept.equals("Finding")) {
          notes.add(item.getString(Tags.TEXT_VALUE));
        }
      }
      return new LabelReport(probabilities, threshold, findings, notes);
    }

    private static double value(DataSet num) {
      return num.sequence(Tags.MEASURED_VALUE_SEQUENCE).get(0).getDouble(Tags.NUMERIC_VALUE);
    }

    private static String meaning(DataSet code) {
      return code.sequence(Tags.CONCEPT_CODE_SEQUENCE).get(0).getString(Tags.CODE_MEANING);
    }
  }

  @Test
  void multiLabelFindingsListTheLabelsAtOrAboveTheThresholdAndPassPeers() {
    DataSet ct = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    List<String> labels = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass", "Nodule",
        "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening",
        "Hernia");
    List<Double> probabilities = List.of(0.12, 0.81, 0.5, 0.49999, 0.03, 0.2, 0.07, 0.66, 0.3, 0.01, 0.02, 0.05,
        0.93, 0.0);
    Findings findings = new Findings("cxr-prototype", labels, probabilities, 0.5, provenance(), List.of(ct));
    assertEquals(List.of(1, 2, 7, 12), findings.presentIndices());
    Path file = dir.resolve("sr-multi.dcm");
    new StructuredReportWriter(Equipment.MEDVISION, SecondaryCaptureWriterTest.CLOCK).write(file, findings);

    Peers.assertValid(file, "ComprehensiveSR");
    Peers.assertDcmdump(file);
    PeerTools.Run dsr = PeerTools.run("dsrdump", "-Ec", file.toString());
    assertEquals(0, dsr.exitCode(), () -> "dsrdump failed:\n" + dsr.output());
    assertTrue(!dsr.output().contains("E: ") && !dsr.output().contains("W: "), dsr.output());
    assertTrue(dsr.output().contains("Pleural_Thickening"), dsr.output());

    LabelReport back = LabelReport.of(DicomReader.readFile(file).dataSet());
    assertEquals(labels, List.copyOf(back.probabilities().keySet()));
    for (int i = 0; i < labels.size(); i++) {
      assertEquals(probabilities.get(i), back.probabilities().get(labels.get(i)), 1e-15, labels.get(i));
    }
    assertEquals(0.5, back.threshold());
    assertEquals(Map.of("Cardiomegaly", 0.81, "Effusion", 0.5, "Pneumothorax", 0.66, "Pleural_Thickening", 0.93),
        back.findings());
    assertEquals(List.of("Cardiomegaly", "Effusion", "Pneumothorax", "Pleural_Thickening"),
        List.copyOf(back.findings().keySet()), "findings in label order");
    assertEquals(List.of(), back.notes());
  }

  @Test
  void multiLabelFindingsWithNothingAtTheThresholdSaySo() {
    DataSet ct = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    Findings findings = new Findings("cxr-prototype", List.of("Mass", "Nodule"), List.of(0.2, 0.34999), 0.35,
        provenance(), List.of(ct));
    Path file = dir.resolve("sr-none.dcm");
    new StructuredReportWriter(Equipment.MEDVISION, SecondaryCaptureWriterTest.CLOCK).write(file, findings);
    Peers.assertValid(file, "ComprehensiveSR");
    PeerTools.Run dsr = PeerTools.run("dsrdump", "-Ec", "+Pl", file.toString());
    assertEquals(0, dsr.exitCode(), () -> "dsrdump failed:\n" + dsr.output());
    assertTrue(dsr.output().contains("<contains TEXT:(,,\"Finding\")=\"no finding above threshold 0.35\">"),
        dsr.output());

    LabelReport back = LabelReport.of(DicomReader.readFile(file).dataSet());
    assertEquals(Map.of(), back.findings());
    assertEquals(List.of("no finding above threshold 0.35"), back.notes());
    assertEquals(0.35, back.threshold());
  }

  @Test
  void longLabelsGetDistinctHashedCodes() {
    Code a = Code.label("Pleural_Thickening_long");
    Code b = Code.label("Pleural_Thickening_longer");
    assertEquals(16, a.value().length());
    assertTrue(a.value().startsWith("MV"));
    assertTrue(!a.value().equals(b.value()));
    assertEquals("normal", Code.label("normal").value());
  }

  @Test
  void badFindingsAreRefused() {
    DataSet ct = DicomReader.readFile(Corpus.pydicom("CT_small.dcm")).dataSet();
    DicomException count = assertThrows(DicomException.class, () -> new Findings("t", List.of("a", "b"),
        List.of(0.5), Map.of(), List.of(ct)));
    assertTrue(count.getMessage().contains("2 labels but 1 probabilities"), count.getMessage());
    DicomException range = assertThrows(DicomException.class, () -> new Findings("t", List.of("a"),
        List.of(1.5), Map.of(), List.of(ct)));
    assertTrue(range.getMessage().contains("label 'a'"), range.getMessage());
    DataSet otherStudy = ct.copy();
    otherStudy.setString(Tags.STUDY_INSTANCE_UID, Uids.create());
    DicomException study = assertThrows(DicomException.class, () -> new StructuredReportWriter().build(
        new Findings("t", List.of("a"), List.of(0.5), Map.of(), List.of(ct, otherStudy))));
    assertTrue(study.getMessage().contains("one study"), study.getMessage());
    DicomException threshold = assertThrows(DicomException.class, () -> new Findings("t", List.of("a"),
        List.of(0.5), 1.5, Map.of(), List.of(ct)));
    assertTrue(threshold.getMessage().contains("label threshold 1.5 is not in [0, 1]"), threshold.getMessage());
    assertThrows(IllegalStateException.class, () -> new Findings("t", List.of("a"), List.of(0.5), Map.of(),
        List.of(ct)).presentIndices());
  }

  static List<DataSet> walk(DataSet root) {
    List<DataSet> out = new ArrayList<>();
    for (DataSet item : root.sequence(Tags.CONTENT_SEQUENCE)) {
      out.add(item);
      out.addAll(walk(item));
    }
    return out;
  }
}
