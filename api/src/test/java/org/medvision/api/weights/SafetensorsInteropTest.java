package org.medvision.api.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Checks our files against readers and writers we did not write: the Hugging Face {@code safetensors} Python
 * package when it is installed, and otherwise a reader and writer in plain Python (struct + json) that follow the
 * format description. Each test is skipped on machines without the Python it needs.
 */
class SafetensorsInteropTest {
  @TempDir
  Path dir;

  private static String run(String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", "-c", script));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("python3 timed out");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (p.exitValue() != 0) {
      throw new IOException("python3 failed (" + p.exitValue() + "): " + out);
    }
    return out;
  }

  private static boolean pythonCan(String statement) {
    try {
      run(statement);
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static Weights sample() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("conv.weight", Tensor.ofFloats(new float[] {0.25f, -1.5f, 3f, 1e-3f, 7f, -8f}, 2, 3));
    t.put("conv.bias", Tensor.fromFloats(DType.FLOAT16, Shape.of(2), new float[] {0.5f, -2f}));
    t.put("bn.num_batches_tracked", Tensor.ofLongs(Shape.scalar(), 12345L));
    t.put("mask", Tensor.ofBooleans(Shape.of(3), true, false, true));
    return new Weights(t, Map.of("format", "pt"), "sample");
  }

  private static final String STDLIB_READER = String.join("\n",
      "import json, struct, sys",
      "raw = open(sys.argv[1], 'rb').read()",
      "n = struct.unpack('<Q', raw[:8])[0]",
      "assert n % 8 == 0, n",
      "header = json.loads(raw[8:8 + n].decode('utf-8'))",
      "data = raw[8 + n:]",
      "fmt = {'F32': 'f', 'F16': 'e', 'I64': 'q', 'BOOL': '?'}",
      "print('meta', json.dumps(header.pop('__metadata__'), sort_keys=True))",
      "for name, info in header.items():",
      "    b, e = info['data_offsets']",
      "    count = (e - b) // struct.calcsize(fmt[info['dtype']])",
      "    values = struct.unpack('<%d%s' % (count, fmt[info['dtype']]), data[b:e])",
      "    print(name, info['dtype'], info['shape'], [float(v) for v in values])");

  @Test
  void plainPythonReadsOurFiles() throws Exception {
    assumeTrue(pythonCan("import json, struct"), "python3 is not available");
    Path p = dir.resolve("ours.safetensors");
    Safetensors.write(p, sample());
    String expected = String.join("\n",
        "meta {\"format\": \"pt\"}",
        "conv.weight F32 [2, 3] [0.25, -1.5, 3.0, 0.0010000000474974513, 7.0, -8.0]",
        "conv.bias F16 [2] [0.5, -2.0]",
        "bn.num_batches_tracked I64 [] [12345.0]",
        "mask BOOL [3] [1.0, 0.0, 1.0]");
    assertEquals(expected, run(STDLIB_READER, p.toString()));
  }

  private static final String STDLIB_WRITER = String.join("\n",
      "import json, struct, sys",
      "a = struct.pack('<4f', 1.0, -0.5, 2.25, 100.0)",
      "b = struct.pack('<2e', 0.099975586, -3.0)",
      "c = struct.pack('<3q', -1, 0, 2**40)",
      "header = {'__metadata__': {'source': 'python'},",
      "          'layer.weight': {'dtype': 'F32', 'shape': [2, 2], 'data_offsets': [0, 16]},",
      "          'layer.bias': {'dtype': 'F16', 'shape': [2], 'data_offsets': [16, 20]},",
      "          'index': {'dtype': 'I64', 'shape': [3, 1], 'data_offsets': [20, 44]}}",
      "h = json.dumps(header, separators=(',', ':')).encode('utf-8')",
      "h += b' ' * ((8 - len(h) % 8) % 8)",
      "open(sys.argv[1], 'wb').write(struct.pack('<Q', len(h)) + h + a + b + c)");

  @Test
  void weReadPlainPythonFiles() throws Exception {
    assumeTrue(pythonCan("import json, struct"), "python3 is not available");
    Path p = dir.resolve("theirs.safetensors");
    run(STDLIB_WRITER, p.toString());
    Weights w = Safetensors.read(p);
    assertEquals(List.of("layer.weight", "layer.bias", "index"), List.copyOf(w.tensors().keySet()));
    assertArrayEquals(new float[] {1f, -0.5f, 2.25f, 100f}, w.tensors().get("layer.weight").toFloatArray());
    assertEquals(Shape.of(2, 2), w.tensors().get("layer.weight").shape());
    // 0.099975586 is exactly representable in half precision (1638 / 16384).
    assertArrayEquals(new float[] {0.099975586f, -3f}, w.tensors().get("layer.bias").toFloatArray(), 1e-9f);
    assertArrayEquals(new long[] {-1, 0, 1L << 40}, w.tensors().get("index").toLongArray());
    assertEquals(Map.of("source", "python"), w.metadata());
  }

  @Test
  void huggingFaceSafetensorsAgrees() throws Exception {
    assumeTrue(pythonCan("import safetensors.numpy, numpy"), "the safetensors Python package is not installed");
    Path ours = dir.resolve("ours.safetensors");
    Safetensors.write(ours, sample());
    String script = String.join("\n",
        "import sys, numpy as np",
        "from safetensors.numpy import load_file, save_file",
        "t = load_file(sys.argv[1])",
        "print(sorted(t), t['conv.weight'].tolist(), t['conv.bias'].tolist(), int(t['bn.num_batches_tracked']),",
        "      t['mask'].tolist())",
        "save_file({'w': np.arange(6, dtype=np.float32).reshape(2, 3) / 4, 'i': np.array([7, -9], dtype=np.int32)},",
        "          sys.argv[2], metadata={'by': 'hf'})");
    Path theirs = dir.resolve("theirs.safetensors");
    String out = run(script, ours.toString(), theirs.toString());
    assertEquals("['bn.num_batches_tracked', 'conv.bias', 'conv.weight', 'mask'] "
        + "[[0.25, -1.5, 3.0], [0.0010000000474974513, 7.0, -8.0]] [0.5, -2.0] 12345 [True, False, True]", out);
    Weights w = Safetensors.read(theirs);
    assertArrayEquals(new float[] {0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f}, w.tensors().get("w").toFloatArray());
    assertArrayEquals(new long[] {7, -9}, w.tensors().get("i").toLongArray());
    assertEquals(Map.of("by", "hf"), w.metadata());
  }
}
