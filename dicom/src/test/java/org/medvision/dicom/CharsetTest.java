package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.testing.Corpus;

/**
 * Person names in pydicom's character set files decode to the names the files were made from. dcmdump (+U8)
 * covers the single-byte sets, UTF-8 and GB18030 in {@link DcmdumpAgreementTest}; its iconv lacks ISO 2022 JIS, so
 * the Japanese and Korean files are checked here against the published names and, for JIS, against Java's own
 * ISO-2022-JP decoder as a second formulation.
 */
class CharsetTest {
  private static String name(String file) {
    return DicomReader.readFile(Corpus.charset(file)).dataSet().getString(Tags.PATIENT_NAME);
  }

  @Test
  void japaneseIso2022WithJisX0208() {
    assertEquals("Yamada^Tarou=山田^太郎=やまだ^たろう", name("chrH31.dcm"));
    byte[] raw = DicomReader.readFile(Corpus.charset("chrH31.dcm")).dataSet().bytes(Tags.PATIENT_NAME);
    String java = new String(raw, Charset.forName("ISO-2022-JP")).strip();
    assertEquals(java, name("chrH31.dcm"));
  }

  @Test
  void japaneseWithKatakanaAndRomaji() {
    assertEquals("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", name("chrH32.dcm"));
  }

  @Test
  void koreanIso2022WithKsX1001() {
    assertEquals("Hong^Gildong=洪^吉洞=홍^길동", name("chrI2.dcm"));
  }

  @Test
  void singleByteAndUnicodeSets() {
    assertEquals("Buc^Jérôme", name("chrFren.dcm"));
    assertEquals("Äneas^Rüdiger", name("chrGerm.dcm"));
    assertEquals("\u0394\u03b9\u03bf\u03bd\u03c5\u03c3\u03b9\u03bf\u03c2", name("chrGreek.dcm"));
    assertEquals("\u041b\u044e\u043a" + "ce" + "\u043c\u0431" + "yp" + "\u0433", name("chrRuss.dcm"));
    assertEquals("Wang^XiaoDong=王^小東=", name("chrX1.dcm"));
    assertEquals("Wang^XiaoDong=王^小东=", name("chrX2.dcm"));
  }

  @Test
  void itemsInheritOrOverrideTheCharacterSet() {
    DataSet outer = DicomReader.readFile(Corpus.charset("chrSQEncoding.dcm")).dataSet();
    DataSet item = firstItem(outer);
    assertEquals(List.of("ISO_IR 192"), outer.specificCharacterSet().terms());
    assertEquals(List.of("ISO 2022 IR 13", "ISO 2022 IR 87"), item.specificCharacterSet().terms());
    assertEquals("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", item.getString(Tags.PATIENT_NAME));
    DataSet inherited = firstItem(DicomReader.readFile(Corpus.charset("chrSQEncoding1.dcm")).dataSet());
    assertEquals(item.getString(Tags.PATIENT_NAME), inherited.getString(Tags.PATIENT_NAME));
  }

  private static DataSet firstItem(DataSet dataSet) {
    for (DataElement element : dataSet) {
      if (!element.items().isEmpty()) {
        return element.items().get(0);
      }
    }
    throw new AssertionError("no sequence item");
  }

  @Test
  void settersEncodeWithTheDataSetCharacterSet() {
    DataSet dataSet = new DataSet();
    DicomException e = assertThrows(DicomException.class, () -> dataSet.setString(Tags.PATIENT_NAME, "Jérôme"));
    assertTrue(e.getMessage().contains("ISO_IR 192"), e.getMessage());
    dataSet.setString(Tags.SPECIFIC_CHARACTER_SET, "ISO_IR 100");
    dataSet.setString(Tags.PATIENT_NAME, "Buc^Jérôme");
    assertEquals("Buc^Jérôme", dataSet.getString(Tags.PATIENT_NAME));
    assertEquals(10, dataSet.bytes(Tags.PATIENT_NAME).length);
    dataSet.setString(Tags.SPECIFIC_CHARACTER_SET, "ISO_IR 192");
    dataSet.setString(Tags.PATIENT_NAME, "王^小東");
    assertEquals("王^小東", dataSet.getString(Tags.PATIENT_NAME));
    assertEquals(new String(dataSet.bytes(Tags.PATIENT_NAME), StandardCharsets.UTF_8).strip(), "王^小東");
  }
}
