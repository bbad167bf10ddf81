package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.medvision.dicom.testing.Corpus;

/**
 * Read -> write -> read gives the same data set, in every native transfer syntax we write, and dcmdump reads what we
 * write with the same elements and values (the agreement check of {@link DcmdumpAgreementTest} run on our output).
 */
class RoundTripTest {
  private static final List<String> FILES = List.of("CT_small.dcm", "MR_small.dcm", "MR_small_bigendian.dcm",
      "MR_small_implicit.dcm", "image_dfl.dcm", "test-SR.dcm", "liver_1frame.dcm", "rtplan.dcm", "reportsi.dcm",
      "SC_rgb_rle_2frame.dcm", "JPEG2000.dcm", "UN_sequence.dcm", "priv_SQ.dcm");
  private static final List<TransferSyntax> NATIVE = List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
      TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
      TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);

  static Stream<Arguments> cases() {
    return FILES.stream().flatMap(name -> NATIVE.stream().map(syntax -> Arguments.of(name, syntax)));
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("cases")
  void roundTripsAndDcmdumpAgrees(String name, TransferSyntax target, @TempDir Path dir) {
    DicomFile original = DicomReader.readFile(Corpus.pydicom(name));
    TransferSyntax syntax = original.transferSyntax().encapsulated() ? original.transferSyntax() : target;
    DataSet source = withoutGroupLengths(original.dataSet());
    if (!source.contains(Tags.SOP_CLASS_UID)) {
      source.setString(Tags.SOP_CLASS_UID, VR.UI, Uids.SECONDARY_CAPTURE_IMAGE_STORAGE);
      source.setString(Tags.SOP_INSTANCE_UID, VR.UI, Uids.create());
    }
    Path out = dir.resolve("out.dcm");
    new DicomWriter(syntax).write(out, source);
    DicomFile again = DicomReader.readFile(out);
    assertEquals(syntax, again.transferSyntax());
    if (syntax.explicitVr()) {
      assertEquals(source, again.dataSet(), "elements differ after writing " + name + " as " + syntax);
    } else {
      assertEquals(tags(source), tags(again.dataSet()));
    }
    for (int tag : new int[] {Tags.PIXEL_DATA}) {
      BulkData before = source.bulkData(tag).orElse(null);
      BulkData after = again.dataSet().bulkData(tag).orElse(null);
      assertEquals(before == null, after == null);
      if (before != null && !before.isEncapsulated()) {
        assertArrayEquals(before.readValue(), after.readValue(), "pixel bytes of " + name);
      } else if (before != null) {
        assertEquals(before.fragments().size(), after.fragments().size());
        for (int i = 0; i < before.fragments().size(); i++) {
          assertArrayEquals(before.readFragment(i), after.readFragment(i), "fragment " + i + " of " + name);
        }
      }
    }
    DcmdumpAgreementTest.agree(out);
  }

  private static DataSet withoutGroupLengths(DataSet dataSet) {
    DataSet copy = dataSet.copy();
    for (DataElement element : List.copyOf(copy.elements())) {
      if (Tag.isGroupLength(element.tag())) {
        copy.remove(element.tag());
      }
    }
    return copy;
  }

  private static List<Integer> tags(DataSet dataSet) {
    return dataSet.elements().stream().map(DataElement::tag).toList();
  }
}
