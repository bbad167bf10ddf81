package org.medvision.train.eval;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.tensor.Tensor;
import org.medvision.tasks.common.BertEncoder;
import org.medvision.tasks.common.BertInputs;
import org.medvision.tasks.common.text.BertBatch;
import org.medvision.tasks.common.text.BertFolder;
import org.medvision.tasks.common.text.TinyBertFolder;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * The BERT label-prototype graph agrees on ONNX Runtime, DJL and TensorFlow with the reference interpreter (which
 * tasks' BertTorchParityTest holds to an independent PyTorch BERT): the tiny random BERT folder, the fourteen
 * ChestX-ray14 label texts padded to the longest, every output. Hidden states are compared at real tokens only.
 */
class BertCrossEngineParityTest {
  /** The bar for float32 cross-engine parity. */
  private static final double TOLERANCE = 1e-4;
  private static final List<String> OUTPUTS = List.of(BertEncoder.LAST_HIDDEN_STATE, BertEncoder.POOLER_OUTPUT,
      BertEncoder.MEAN_POOLED);

  @TempDir
  Path dir;

  @Test
  void labelPrototypesAgreeOnEveryEngine() {
    BertFolder folder = BertFolder.read(TinyBertFolder.write(dir, 21));
    BertBatch batch = folder.tokenizer().encodeAll(TinyBertFolder.LABELS);
    Graph g = folder.prototypeGraph(batch.length());
    Map<String, Tensor> inputs = batch.inputs(true);
    float[] mask = inputs.get(BertInputs.ATTENTION_MASK).toFloatArray();
    Map<String, Tensor> reference = ReferenceInterpreter.run(g, folder.weights(), inputs);
    List<Executable> checks = new ArrayList<>();
    for (String engineName : List.of("onnx", "djl", "tensorflow")) {
      Map<String, Tensor> out;
      try (Engine engine = TestImages.MEDVISION.engine(engineName);
          CompiledModel model = engine.compile(g, folder.weights(), CompileOptions.defaults())) {
        out = model.run(inputs);
      }
      StringBuilder report = new StringBuilder();
      for (String output : OUTPUTS) {
        float[] expected = reference.get(output).toFloatArray();
        float[] actual = out.get(output).toFloatArray();
        int perRow = output.equals(BertEncoder.LAST_HIDDEN_STATE) ? folder.config().hiddenSize() : actual.length;
        double max = 0;
        for (int i = 0; i < Math.min(expected.length, actual.length); i++) {
          if (perRow != actual.length && mask[i / perRow] == 0) {
            continue;
          }
          max = Math.max(max, Math.abs((double) expected[i] - actual[i]));
        }
        report.append(String.format(Locale.ROOT, "  %s %.3g", output, max));
        double diff = max;
        String what = engineName + " vs reference interpreter, " + output;
        checks.add(() -> assertArrayEquals(reference.get(output).shape().dims(), out.get(output).shape().dims(),
            what + " shape"));
        checks.add(() -> assertTrue(diff <= TOLERANCE, what + ": max |diff| " + diff + " > " + TOLERANCE));
      }
      System.out.printf(Locale.ROOT, "bert cross-engine: %s max|diff|:%s%n", engineName, report);
    }
    assertAll(checks);
  }
}
