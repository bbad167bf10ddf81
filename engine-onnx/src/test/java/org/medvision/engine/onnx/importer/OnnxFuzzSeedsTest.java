package org.medvision.engine.onnx.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed ONNX fuzz seeds import cleanly, so that fuzzing starts past the protobuf parse and reaches operator
 * translation; {@code src/test/fuzz/make-seeds.py} writes them.
 */
class OnnxFuzzSeedsTest {
  @Test
  void everySeedImports() throws Exception {
    Path dir = Path.of(getClass().getResource("OnnxImportFuzzTestInputs/importModel").toURI());
    List<Path> seeds;
    try (Stream<Path> files = Files.list(dir)) {
      seeds = files.filter(p -> p.getFileName().toString().startsWith("seed-")).sorted().toList();
    }
    assertEquals(2, seeds.size()); // the crash-* inputs are regression inputs, not seeds
    for (Path seed : seeds) {
      ImportedModel model = OnnxImporter.fromBytes(Files.readAllBytes(seed), seed.toString(), ImportOptions.defaults());
      assertFalse(model.graph().nodes().isEmpty(), seed.toString());
    }
  }
}
