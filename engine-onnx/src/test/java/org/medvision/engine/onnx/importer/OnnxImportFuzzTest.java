package org.medvision.engine.onnx.importer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of ONNX import (protobuf parsing, initializers, attribute and operator translation, graph
 * validation): only {@link OnnxImportException} (with its {@link UnsupportedOnnxException}) may escape. Seeds are tiny
 * models exported by {@code src/test/fuzz/make-seeds.py}.
 */
class OnnxImportFuzzTest {
  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void importModel(byte[] bytes) {
    try {
      OnnxImporter.fromBytes(bytes, "fuzz.onnx", ImportOptions.defaults());
    } catch (OnnxImportException documented) {
      // The contract for a malformed or unsupported model.
    }
  }
}
