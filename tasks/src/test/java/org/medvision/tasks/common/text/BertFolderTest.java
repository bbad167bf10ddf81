package org.medvision.tasks.common.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;
import org.medvision.tasks.common.BertConfig;
import org.medvision.testkit.ReferenceInterpreter;

class BertFolderTest {
  @TempDir
  Path dir;

  private MedvisionException failure(Path folder) {
    return assertThrows(MedvisionException.class, () -> BertFolder.read(folder));
  }

  private static void assertMentions(Exception e, String... parts) {
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
    }
  }

  @Test
  void tinyFolderReadsBackAsWritten() throws IOException {
    Path folder = TinyBertFolder.write(dir.resolve("tiny"), 12);
    BertFolder f = BertFolder.read(folder);
    assertEquals(TinyBertFolder.config(), f.config());
    assertEquals(TinyBertFolder.vocabulary(), f.tokenizer().vocabulary().tokens());
    assertFalse(f.tokenizer().lowerCase(), "tokenizer_config.json says do_lower_case false");
    assertEquals(List.of(), f.warnings());
    assertTrue(f.hasPooler());
    TinyBertFolder.weights(f.config(), 12).tensors().forEach((k, v) ->
        assertTrue(v.contentEquals(f.weights().tensors().get(k)), k));
    for (String label : TinyBertFolder.LABELS) {
      assertFalse(f.tokenizer().tokenize(label).contains("[UNK]"), label);
    }
    // Whole label words are tokens; other forms fall back to pieces and letters, never to [UNK].
    assertEquals(List.of("Pleural", "Thickening", "Pneumonia", "##s", "Thick", "##e", "##n", "##e", "##d"),
        f.tokenizer().tokenize("Pleural Thickening Pneumonias Thickened"));
  }

  @Test
  void generatorIsDeterministicBySeed() throws IOException {
    Path a = TinyBertFolder.write(dir.resolve("a"), 4);
    Path b = TinyBertFolder.write(dir.resolve("b"), 4);
    Path c = TinyBertFolder.write(dir.resolve("c"), 5);
    for (String file : List.of(BertFolder.CONFIG, BertFolder.VOCAB_TXT, BertFolder.WEIGHTS)) {
      assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
    }
    assertFalse(Arrays.equals(Files.readAllBytes(a.resolve(BertFolder.WEIGHTS)),
        Files.readAllBytes(c.resolve(BertFolder.WEIGHTS))));
  }

  @Test
  void labelPrototypesComeOutOfOneBatch() throws IOException {
    BertFolder f = BertFolder.read(TinyBertFolder.write(dir, 1));
    BertBatch batch = f.tokenizer().encodeAll(TinyBertFolder.LABELS);
    Graph g = f.prototypeGraph(batch.length());
    Map<String, Tensor> out = ReferenceInterpreter.run(g, f.weights(), batch.inputs(true));
    float[] prototypes = out.get("mean_pooled").toFloatArray();
    int h = f.config().hiddenSize();
    assertEquals(TinyBertFolder.LABELS.size() * h, prototypes.length);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < TinyBertFolder.LABELS.size(); i++) {
      rows.add(Arrays.toString(Arrays.copyOfRange(prototypes, i * h, (i + 1) * h)));
    }
    assertEquals(rows.size(), rows.stream().distinct().count(), "fourteen different prototypes");
    for (float v : prototypes) {
      assertTrue(Float.isFinite(v));
    }
  }

  @Test
  void missingPiecesNameWhatIsMissing() throws IOException {
    assertMentions(failure(dir.resolve("nowhere")), "nowhere does not exist");
    Files.writeString(dir.resolve("plain.txt"), "x");
    assertMentions(failure(dir.resolve("plain.txt")), "plain.txt is not a directory");

    Path folder = TinyBertFolder.write(dir.resolve("m"), 1);
    Files.delete(folder.resolve(BertFolder.VOCAB_TXT));
    assertMentions(failure(folder), "has no vocabulary: neither vocab.txt nor tokenizer.json");
    Files.delete(folder.resolve(BertFolder.CONFIG));
    assertMentions(failure(folder), folder + " has no config.json");
  }

  @Test
  void pytorchBinAloneAsksForSafetensorsWithTheCommand() throws IOException {
    Path folder = TinyBertFolder.write(dir, 1);
    Files.move(folder.resolve(BertFolder.WEIGHTS), folder.resolve(BertFolder.PYTORCH_BIN));
    assertMentions(failure(folder), "holds pytorch_model.bin but no model.safetensors",
        "safetensors.torch as st; st.save_file({k: v.clone().contiguous()",
        "torch.load('pytorch_model.bin', map_location='cpu')", "'model.safetensors')");
    Files.delete(folder.resolve(BertFolder.PYTORCH_BIN));
    assertMentions(failure(folder), "has no model.safetensors");
  }

  @Test
  void aConfigThatDisagreesWithTheWeightsNamesBothFiles() throws IOException {
    Path folder = TinyBertFolder.write(dir, 1);
    BertConfig c = TinyBertFolder.config();
    Files.writeString(folder.resolve(BertFolder.CONFIG), new BertConfig(c.vocabSize(), 32, 2, 4, 48, "gelu", 1e-12, 64,
        2, 0, 0.02).toJson());
    assertMentions(failure(folder), folder.resolve(BertFolder.WEIGHTS) + " does not match "
        + folder.resolve(BertFolder.CONFIG), "tensor 'encoder.layer.0.intermediate.dense.weight' has shape [64, 32]",
        "implies [48, 32]");

    Files.writeString(folder.resolve(BertFolder.CONFIG), new BertConfig(c.vocabSize(), 32, 3, 4, 64, "gelu", 1e-12, 64,
        2, 0, 0.02).toJson());
    assertMentions(failure(folder), "lacks 16 tensor(s), e.g. [encoder.layer.2.attention.self.query.weight");

    Files.writeString(folder.resolve(BertFolder.CONFIG), new BertConfig(50, 32, 2, 4, 64, "gelu", 1e-12, 64, 2, 0,
        0.02).toJson());
    assertMentions(failure(folder), folder.resolve(BertFolder.VOCAB_TXT) + " has " + c.vocabSize() + " tokens but "
        + folder.resolve(BertFolder.CONFIG) + " says vocab_size 50");
  }

  @Test
  void casedVocabularyWithLowerCasingWarnsTheBioBertPitfall() throws IOException {
    Path folder = TinyBertFolder.write(dir, 1);
    Files.writeString(folder.resolve(BertFolder.TOKENIZER_CONFIG), "{\"do_lower_case\": true}");
    BertFolder f = BertFolder.read(folder);
    assertTrue(f.tokenizer().lowerCase(), "the file is obeyed");
    assertEquals(1, f.warnings().size());
    assertMentions(new Exception(f.warnings().get(0)), "\"do_lower_case\": true", "is cased (it has both \"",
        "BioBERT", "pass lowerCase=false");
    assertEquals(List.of("pleural", "t", "##h", "##i", "##c", "##k", "##ening"),
        f.tokenizer().tokenize("Pleural Thickening"),
        "lower-cased text misses the cased word \"Thickening\": the harm the warning is about");

    BertFolder forced = BertFolder.read(folder, false);
    assertFalse(forced.tokenizer().lowerCase());
    assertEquals(List.of(), forced.warnings());

    Files.delete(folder.resolve(BertFolder.TOKENIZER_CONFIG));
    BertFolder unstated = BertFolder.read(folder);
    assertFalse(unstated.tokenizer().lowerCase(), "a cased vocabulary without a flag keeps case");
    assertMentions(new Exception(unstated.warnings().get(0)), "no do_lower_case", "Hugging Face would default to"
        + " lower-casing");
  }

  @Test
  void uncasedVocabularyWithoutAFlagIsLowerCased() throws IOException {
    Path folder = TinyBertFolder.write(dir, 1);
    Files.delete(folder.resolve(BertFolder.TOKENIZER_CONFIG));
    List<String> uncased = TinyBertFolder.vocabulary().stream().filter(t -> t.startsWith("[")
        || t.equals(t.toLowerCase(Locale.ROOT))).toList();
    Files.writeString(folder.resolve(BertFolder.VOCAB_TXT), String.join("\n", uncased) + "\n");
    BertFolder f = BertFolder.read(folder);
    assertTrue(f.tokenizer().lowerCase());
    assertEquals(List.of(), f.warnings());
    assertEquals(List.of("pleural", "t", "##h", "##i", "##c", "##k", "##ening"),
        f.tokenizer().tokenize("Pleural Thickening"));
  }

  @Test
  void tokenizerJsonWordPieceIsReadAndOtherModelsAreRefused() throws IOException {
    Path folder = TinyBertFolder.write(dir, 1);
    Files.delete(folder.resolve(BertFolder.VOCAB_TXT));
    Files.delete(folder.resolve(BertFolder.TOKENIZER_CONFIG));
    Map<String, Integer> vocab = new LinkedHashMap<>();
    List<String> tokens = TinyBertFolder.vocabulary();
    for (int i = 0; i < tokens.size(); i++) {
      vocab.put(tokens.get(i), i);
    }
    String vocabJson = new Gson().toJson(vocab);
    Path tokenizerJson = folder.resolve(BertFolder.TOKENIZER_JSON);
    Files.writeString(tokenizerJson, "{\"version\": \"1.0\", \"normalizer\": {\"type\": \"BertNormalizer\","
        + " \"clean_text\": true, \"handle_chinese_chars\": true, \"strip_accents\": null, \"lowercase\": false},"
        + " \"model\": {\"type\": \"WordPiece\", \"unk_token\": \"[UNK]\", \"continuing_subword_prefix\": \"##\","
        + " \"max_input_chars_per_word\": 100, \"vocab\": " + vocabJson + "}}");
    BertFolder f = BertFolder.read(folder);
    assertEquals(tokens, f.tokenizer().vocabulary().tokens());
    assertFalse(f.tokenizer().lowerCase());
    assertEquals(List.of(), f.warnings());

    // tokenizer_config.json's do_lower_case overrides the normalizer, as in Hugging Face; with a cased vocabulary
    // the normalizer's own lower-casing draws the warning.
    Files.writeString(tokenizerJson, Files.readString(tokenizerJson).replace("\"lowercase\": false",
        "\"lowercase\": true"));
    BertFolder lowered = BertFolder.read(folder);
    assertTrue(lowered.tokenizer().lowerCase());
    assertMentions(new Exception(lowered.warnings().get(0)), tokenizerJson + "'s normalizer lower-cases");
    Files.writeString(folder.resolve(BertFolder.TOKENIZER_CONFIG), "{\"do_lower_case\": false}");
    assertFalse(BertFolder.read(folder).tokenizer().lowerCase());

    Files.writeString(tokenizerJson, "{\"model\": {\"type\": \"BPE\", \"vocab\": {}, \"merges\": []}}");
    assertMentions(failure(folder), tokenizerJson + " describes a BPE tokenizer (model.type \"BPE\")", "WordPiece");
    Files.writeString(tokenizerJson, "{\"model\": {\"type\": \"Unigram\", \"vocab\": []}}");
    assertMentions(failure(folder), tokenizerJson + " describes a Unigram tokenizer");
    Files.writeString(tokenizerJson, "{\"normalizer\": {\"type\": \"NFKC\"}, \"model\": {\"type\": \"WordPiece\","
        + " \"vocab\": " + vocabJson + "}}");
    assertMentions(failure(folder), tokenizerJson + ": normalizer: normalizer type \"NFKC\" is not supported");
  }
}
