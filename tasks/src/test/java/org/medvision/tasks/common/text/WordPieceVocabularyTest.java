package org.medvision.tasks.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;

class WordPieceVocabularyTest {
  @TempDir
  Path dir;

  @Test
  void vocabTxtIdsAreLineIndicesWithCrLfAndNoFinalNewline() throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nthe\r\n##s");
    WordPieceVocabulary v = WordPieceVocabulary.read(file);
    assertEquals(6, v.size());
    assertEquals(4, v.id("the"));
    assertEquals(5, v.id("##s"));
    assertEquals("[SEP]", v.token(3));
  }

  @Test
  void malformedVocabulariesNameTheFileAndLine() throws IOException {
    Path file = dir.resolve("vocab.txt");
    Files.writeString(file, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\nthe\n");
    MedvisionException twice = assertThrows(MedvisionException.class, () -> WordPieceVocabulary.read(file));
    assertTrue(twice.getMessage().contains(file.toString()) && twice.getMessage().contains("lines 5 and 6"),
        twice.getMessage());

    Files.writeString(file, "[PAD]\n[CLS]\n[SEP]\nthe\n");
    MedvisionException noUnk = assertThrows(MedvisionException.class, () -> WordPieceVocabulary.read(file));
    assertTrue(noUnk.getMessage().contains(file + " has no [UNK]"), noUnk.getMessage());

    Files.writeString(file, "[PAD]\n\n[UNK]\n[CLS]\n[SEP]\n");
    assertTrue(assertThrows(MedvisionException.class, () -> WordPieceVocabulary.read(file)).getMessage()
        .contains("line 2) is empty"));

    MedvisionException missing = assertThrows(MedvisionException.class,
        () -> WordPieceVocabulary.read(dir.resolve("nope.txt")));
    assertTrue(missing.getMessage().contains("nope.txt does not exist"), missing.getMessage());
  }

  @Test
  void tokenIdMapsMustCoverZeroToNMinusOne() {
    assertEquals("the", WordPieceVocabulary.of(Map.of("[PAD]", 0, "[UNK]", 1, "[CLS]", 2, "[SEP]", 3, "the", 4),
        "t.json").token(4));
    MedvisionException gap = assertThrows(MedvisionException.class, () -> WordPieceVocabulary.of(
        Map.of("[PAD]", 0, "[UNK]", 1, "[CLS]", 2, "[SEP]", 3, "the", 7), "t.json"));
    assertTrue(gap.getMessage().contains("'the' has id 7, outside 0..4"), gap.getMessage());
  }

  @Test
  void casedVocabulariesAreRecognised() {
    List<String> base = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cafe");
    assertFalse(WordPieceVocabulary.of(base, "uncased").looksCased(), "brackets of specials do not count");
    List<String> cased = new ArrayList<>(base);
    cased.add("The");
    assertTrue(WordPieceVocabulary.of(cased, "cased").looksCased());
    List<String> capitalOnly = new ArrayList<>(base);
    capitalOnly.add("Paris");
    assertFalse(WordPieceVocabulary.of(capitalOnly, "one capital").looksCased(), "no lower-case twin");
    List<String> bioBertSized = new ArrayList<>(base);
    for (int i = bioBertSized.size(); i < WordPieceVocabulary.BERT_BASE_CASED_SIZE; i++) {
      bioBertSized.add("t" + i);
    }
    assertTrue(WordPieceVocabulary.of(bioBertSized, "28996").looksCased(), "BioBERT's size");
  }
}
