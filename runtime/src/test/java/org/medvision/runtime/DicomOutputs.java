package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.testkit.fixtures.TestData;

/** Reads back the DICOM objects a prediction wrote, and has the peer validator judge them. */
final class DicomOutputs {
  private DicomOutputs() {}

  static DataSet read(Path file) {
    return DicomReader.readFile(file).dataSet();
  }

  /**
   * Asserts that dciodvfy identifies {@code file} as {@code iod} and reports no error. Skipped where dciodvfy is not
   * installed, failed there when {@code MEDVISION_REQUIRE_TESTDATA=1} (see {@link TestData#tool}).
   */
  static void assertValid(Path file, String iod) {
    Path tool = TestData.tool("dciodvfy");
    String report;
    int exit;
    try {
      Process p = new ProcessBuilder(tool.toString(), file.toString()).redirectErrorStream(true).start();
      report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("dciodvfy did not finish on " + file);
      }
      exit = p.exitValue();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + tool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    String all = report;
    assertTrue(report.lines().noneMatch(l -> l.startsWith("Error")), () -> file + "\n" + all);
    assertEquals(0, exit, () -> file + "\n" + all);
    assertTrue(report.startsWith(iod), () -> "dciodvfy saw another IOD than " + iod + " in " + file + "\n" + all);
  }

  /** An SR's probability per label (its NUM items qualified by a label), in report order. */
  static Map<String, Double> probabilities(DataSet sr) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (DataSet item : walk(sr)) {
      if (item.getString(Tags.VALUE_TYPE).equals("NUM") && !item.sequence(Tags.CONTENT_SEQUENCE).isEmpty()) {
        String label = item.sequence(Tags.CONTENT_SEQUENCE).get(0).sequence(Tags.CONCEPT_CODE_SEQUENCE).get(0)
            .getString(Tags.CODE_MEANING);
        out.put(label, item.sequence(Tags.MEASURED_VALUE_SEQUENCE).get(0).getDouble(Tags.NUMERIC_VALUE));
      }
    }
    return out;
  }

  /** A multi-label SR's findings: each top-level Finding code with the probability it has as a property. */
  static Map<String, Double> findings(DataSet sr) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (DataSet item : sr.sequence(Tags.CONTENT_SEQUENCE)) {
      if (item.getString(Tags.VALUE_TYPE).equals("CODE") && item.getString(Tags.RELATIONSHIP_TYPE).equals("CONTAINS")
          && item.sequence(Tags.CONCEPT_NAME_CODE_SEQUENCE).get(0).getString(Tags.CODE_VALUE).equals("121071")) {
        DataSet property = item.sequence(Tags.CONTENT_SEQUENCE).get(0);
        out.put(item.sequence(Tags.CONCEPT_CODE_SEQUENCE).get(0).getString(Tags.CODE_MEANING),
            property.sequence(Tags.MEASURED_VALUE_SEQUENCE).get(0).getDouble(Tags.NUMERIC_VALUE));
      }
    }
    return out;
  }

  /** An SR's TEXT items by concept meaning (where provenance goes). */
  static Map<String, String> texts(DataSet sr) {
    Map<String, String> out = new LinkedHashMap<>();
    for (DataSet item : walk(sr)) {
      if (item.getString(Tags.VALUE_TYPE).equals("TEXT")) {
        out.put(item.sequence(Tags.CONCEPT_NAME_CODE_SEQUENCE).get(0).getString(Tags.CODE_MEANING),
            item.getString(Tags.TEXT_VALUE));
      }
    }
    return out;
  }

  /** The SOP Instance UIDs an SR lists as evidence. */
  static List<String> evidence(DataSet sr) {
    List<String> out = new ArrayList<>();
    for (DataSet study : sr.sequence(Tags.CURRENT_REQUESTED_PROCEDURE_EVIDENCE_SEQUENCE)) {
      for (DataSet series : study.sequence(Tags.REFERENCED_SERIES_SEQUENCE)) {
        for (DataSet sop : series.sequence(Tags.REFERENCED_SOP_SEQUENCE)) {
          out.add(sop.getString(Tags.REFERENCED_SOP_INSTANCE_UID));
        }
      }
    }
    return out;
  }

  /** The source an SC overlay was derived from. */
  static String source(DataSet sc) {
    return sc.sequence(Tags.SOURCE_IMAGE_SEQUENCE).get(0).getString(Tags.REFERENCED_SOP_INSTANCE_UID);
  }

  static String sop(Path file) {
    return read(file).getString(Tags.SOP_INSTANCE_UID);
  }

  private static List<DataSet> walk(DataSet root) {
    List<DataSet> out = new ArrayList<>();
    for (DataSet item : root.sequence(Tags.CONTENT_SEQUENCE)) {
      out.add(item);
      out.addAll(walk(item));
    }
    return out;
  }
}
