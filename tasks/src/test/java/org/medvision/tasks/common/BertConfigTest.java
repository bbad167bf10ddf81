package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;

class BertConfigTest {
  /** dmis-lab/biobert-v1.1's config.json as the Hub serves it (papers-addendum §11). */
  private static final String BIOBERT = """
      {
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": 768,
        "initializer_range": 0.02,
        "intermediate_size": 3072,
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": 512,
        "model_type": "bert",
        "num_attention_heads": 12,
        "num_hidden_layers": 12,
        "pad_token_id": 0,
        "type_vocab_size": 2,
        "vocab_size": 28996
      }
      """;

  @TempDir
  Path dir;

  private BertConfig parse(String json) throws IOException {
    Path file = dir.resolve("config.json");
    Files.writeString(file, json);
    return BertConfig.read(file);
  }

  private MedvisionException failure(String json) {
    return assertThrows(MedvisionException.class, () -> parse(json));
  }

  @Test
  void bioBertConfigReadsAsBertBase() throws IOException {
    BertConfig c = parse(BIOBERT);
    assertEquals(BertConfig.base(28_996), c);
    assertEquals(64, c.headSize());
    assertFalse(c.tanhGelu());
    assertEquals(1e-12, c.layerNormEps());
  }

  @Test
  void optionalFieldsTakeHuggingFaceDefaults() throws IOException {
    BertConfig c = parse("{\"vocab_size\": 100, \"hidden_size\": 32, \"num_hidden_layers\": 2,"
        + " \"num_attention_heads\": 4, \"intermediate_size\": 64, \"hidden_act\": null}");
    assertEquals(new BertConfig(100, 32, 2, 4, 64, "gelu", 1e-12, 512, 2, 0, 0.02), c);
  }

  @Test
  void tanhGeluNamesAreAccepted() throws IOException {
    for (String act : new String[] {"gelu_new", "gelu_pytorch_tanh"}) {
      assertTrue(parse(BIOBERT.replace("\"gelu\"", "\"" + act + "\"")).tanhGelu(), act);
    }
  }

  @Test
  void unsupportedOrInconsistentConfigsAreClearErrors() {
    String file = dir.resolve("config.json").toString();
    MedvisionException relu = failure(BIOBERT.replace("\"gelu\"", "\"relu\""));
    assertTrue(relu.getMessage().startsWith(file + ": hidden_act \"relu\" is not supported"), relu.getMessage());

    MedvisionException heads = failure(BIOBERT.replace("\"num_attention_heads\": 12", "\"num_attention_heads\": 7"));
    assertTrue(heads.getMessage().contains("hidden_size 768 is not a multiple of num_attention_heads 7"),
        heads.getMessage());

    MedvisionException missing = failure(BIOBERT.replace("\"intermediate_size\": 3072,", ""));
    assertEquals(file + " lacks \"intermediate_size\"", missing.getMessage());

    MedvisionException fractional = failure(BIOBERT.replace("\"hidden_size\": 768", "\"hidden_size\": 768.5"));
    assertTrue(fractional.getMessage().contains("\"hidden_size\" must be an integer, got 768.5"),
        fractional.getMessage());

    MedvisionException roberta = failure(BIOBERT.replace("\"model_type\": \"bert\"", "\"model_type\": \"roberta\""));
    assertTrue(roberta.getMessage().contains("model_type \"roberta\" is not \"bert\""), roberta.getMessage());

    MedvisionException relative = failure(BIOBERT.replace("\"pad_token_id\": 0,",
        "\"pad_token_id\": 0, \"position_embedding_type\": \"relative_key\","));
    assertTrue(relative.getMessage().contains("relative_key"), relative.getMessage());

    MedvisionException notJson = failure("{\"vocab_size\": ");
    assertTrue(notJson.getMessage().startsWith(file + " is not valid JSON"), notJson.getMessage());

    MedvisionException absent = assertThrows(MedvisionException.class,
        () -> BertConfig.read(dir.resolve("none.json")));
    assertTrue(absent.getMessage().contains("none.json does not exist"), absent.getMessage());
  }

  @Test
  void toJsonReadsBackEqual() {
    BertConfig c = new BertConfig(170, 32, 2, 4, 64, "gelu_new", 1e-12, 64, 2, 0, 0.02);
    assertEquals(c, BertConfig.parse(JsonConfig.parse(c.toJson(), "written")));
  }
}
