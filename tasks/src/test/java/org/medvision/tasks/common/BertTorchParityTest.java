package org.medvision.tasks.common;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.text.BertBatch;
import org.medvision.tasks.common.text.BertEncoding;
import org.medvision.tasks.common.text.BertFolder;
import org.medvision.tasks.common.text.BertTokenizer;
import org.medvision.tasks.common.text.TinyBertFolder;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.PythonOracle;

/**
 * {@link BertEncoder} against an independent BERT written with plain PyTorch tensor operations
 * ({@code bert_reference.py}, float64, run through {@code /usr/bin/python3} by {@link ResNet3dTorchScript}): Hugging
 * Face's state-dict names and shapes, and the outputs of the label-prototype graph on the same weights and the same
 * tokenized batch, on the reference interpreter and on every engine on this module's test class path.
 */
class BertTorchParityTest {
  /** Largest allowed |ours − PyTorch| on any compared element. */
  private static final double TOLERANCE = 1e-4;
  private static final String SCRIPT = "bert_reference.py";
  /** Two texts of different lengths; the second is a pair, so token type 1 is exercised too. */
  private static final String FIRST = "Pleural Thickening";
  private static final String SECOND_A = "chest x ray showing left Effusion";
  private static final String SECOND_B = "Pneumothorax";
  private static final int LENGTH = 16;

  @TempDir
  Path dir;

  @BeforeEach
  void needsTorch() {
    PythonOracle.requireTorchAndNumpy();
  }

  private String script(String mode, String argument) throws IOException {
    return ResNet3dTorchScript.script(dir, BertTorchParityTest.class, SCRIPT, mode, argument);
  }

  @Test
  void stateDictNamesAndShapesMatchHuggingFace() throws IOException {
    for (BertConfig config : List.of(TinyBertFolder.config(), BertConfig.base(28_996))) {
      Path configFile = dir.resolve("config.json");
      Files.writeString(configFile, config.toJson());
      Map<String, Shape> torch = new LinkedHashMap<>();
      long torchParams = -1;
      for (String line : script("keys", configFile.toString()).split("\n")) {
        String[] f = line.trim().split(" ");
        if (f[0].equals("params")) {
          torchParams = Long.parseLong(f[1]);
        } else if (f[0].equals("key")) {
          torch.put(f[1], Shape.of(Arrays.stream(f[2].split(",")).mapToLong(Long::parseLong).toArray()));
        }
      }
      Graph g = new BertEncoder(config).graph(8, true);
      Map<String, Shape> ours = new LinkedHashMap<>();
      for (ParameterSpec p : g.parameters()) {
        ours.put(p.name(), p.shape());
      }
      assertEquals(List.copyOf(torch.keySet()), List.copyOf(ours.keySet()), "names, in state-dict order");
      assertEquals(torch, ours, "shapes");
      assertEquals(torchParams, GraphStats.of(g, 1).parameters());
      if (config.hiddenSize() == 768) {
        // bert-base-cased / BioBERT v1.1 with pooler: the published 108.3 M.
        assertEquals(108_310_272L, torchParams);
      }
    }
  }

  @ParameterizedTest(name = "hidden_act {0}")
  @ValueSource(strings = {"gelu", "gelu_new"})
  void prototypeGraphMatchesPyTorch(String act) throws IOException {
    BertConfig config = TinyBertFolder.config().withHiddenAct(act);
    BertFolder folder = BertFolder.read(TinyBertFolder.write(dir, config, 31));
    BertBatch batch = batch(folder.tokenizer());
    Safetensors.write(dir.resolve("inputs.safetensors"), Weights.of(batch.inputs(true), "inputs"));
    script("forward", dir.toString());
    compareEverywhere("tiny BERT, " + act, folder, batch);
  }

  /**
   * A checkpoint PyTorch writes the way converted BERT checkpoints (BioBERT's among them) hold a
   * {@code BertForPreTraining}: {@code bert.} prefix, LayerNorm {@code gamma}/{@code beta}, the {@code position_ids}
   * buffer and the {@code cls.*} heads. The folder must load it through the key map and compute the same outputs.
   */
  @Test
  void bertForPreTrainingCheckpointLoadsAndMatches() throws IOException {
    TinyBertFolder.write(dir, 5);
    BertBatch batch = batch(BertFolder.read(dir).tokenizer());
    Safetensors.write(dir.resolve("inputs.safetensors"), Weights.of(batch.inputs(true), "inputs"));
    Files.writeString(dir.resolve("seed.txt"), "77");
    script("pretraining", dir.toString());
    Weights checkpoint = Safetensors.read(dir.resolve(BertFolder.WEIGHTS));
    assertTrue(checkpoint.find("bert.encoder.layer.1.output.LayerNorm.gamma").isPresent());
    assertTrue(checkpoint.find("cls.predictions.decoder.weight").isPresent());
    assertTrue(checkpoint.find("bert.embeddings.position_ids").isPresent());
    BertFolder folder = BertFolder.read(dir);
    assertTrue(folder.hasPooler());
    compareEverywhere("BertForPreTraining checkpoint", folder, batch);
  }

  private static BertBatch batch(BertTokenizer tokenizer) {
    BertEncoding first = tokenizer.encode(FIRST, LENGTH);
    BertEncoding second = tokenizer.encodePair(SECOND_A, SECOND_B, LENGTH);
    assertTrue(first.realTokens() < second.realTokens() && second.realTokens() < LENGTH,
        "two lengths, both padded: " + first.tokens() + " " + second.tokens());
    assertTrue(!first.tokens().contains("[UNK]") && !second.tokens().contains("[UNK]"), second.tokens().toString());
    return new BertBatch(List.of(first, second));
  }

  private void compareEverywhere(String name, BertFolder folder, BertBatch batch) {
    Graph g = folder.prototypeGraph(LENGTH);
    Map<String, Tensor> inputs = batch.inputs(true);
    List<Executable> checks = new ArrayList<>();
    checks.addAll(compare(name + " / reference interpreter", ReferenceInterpreter.run(g, folder.weights(), inputs),
        batch));
    int engines = 0;
    for (EngineProvider provider : ServiceLoader.load(EngineProvider.class)) {
      engines++;
      try (Engine engine = provider.create();
          CompiledModel model = engine.compile(g, folder.weights(), CompileOptions.defaults())) {
        checks.addAll(compare(name + " / " + provider.name(), model.run(inputs), batch));
      }
    }
    System.out.printf(Locale.ROOT, "bert parity: %s: %d engine(s) on the class path besides the interpreter%n", name,
        engines);
    assertAll(checks);
  }

  private List<Executable> compare(String name, Map<String, Tensor> ours, BertBatch batch) {
    float[] mask = batch.inputs(false).get(BertInputs.ATTENTION_MASK).toFloatArray();
    List<Executable> checks = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (String output : List.of(BertEncoder.LAST_HIDDEN_STATE, BertEncoder.POOLER_OUTPUT, BertEncoder.MEAN_POOLED)) {
      long[] shape = new long[output.equals(BertEncoder.LAST_HIDDEN_STATE) ? 3 : 2];
      double[] expected = ResNet3dTorchScript.readDoubles(dir, output, shape);
      Tensor actual = ours.get(output);
      float[] a = actual.toFloatArray();
      int perToken = output.equals(BertEncoder.LAST_HIDDEN_STATE) ? (int) shape[2] : a.length;
      double maxDiff = 0;
      double maxAbs = 0;
      for (int i = 0; i < Math.min(a.length, expected.length); i++) {
        if (output.equals(BertEncoder.LAST_HIDDEN_STATE) && mask[i / perToken] == 0) {
          continue;
        }
        maxDiff = Math.max(maxDiff, Math.abs(a[i] - expected[i]));
        maxAbs = Math.max(maxAbs, Math.abs(expected[i]));
      }
      report.append(String.format(Locale.ROOT, "  %s max|diff| %.3g (max|value| %.3g)", output, maxDiff, maxAbs));
      double diff = maxDiff;
      checks.add(() -> assertArrayEquals(shape, actual.shape().dims(), name + ": " + output + " shape"));
      checks.add(() -> assertTrue(diff <= TOLERANCE, name + ": " + output + " max |diff| " + diff + " > "
          + TOLERANCE));
    }
    System.out.printf(Locale.ROOT, "bert parity: %s:%s%n", name, report);
    return checks;
  }
}
