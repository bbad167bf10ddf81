package org.medvision.api.graph.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.medvision.api.graph.Graph;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;

/**
 * Writes the committed seeds of the api fuzz tests with the project's own writers (run once with
 * {@code -Dmedvision.fuzz.writeSeeds=true -Dtest=FuzzSeedWriterTest} from the api module).
 */
@EnabledIfSystemProperty(named = "medvision.fuzz.writeSeeds", matches = "true")
class FuzzSeedWriterTest {
  private static final Path RESOURCES = Path.of("src/test/resources/org/medvision/api");

  @Test
  void writeSeeds() throws IOException {
    Graph graph = GraphFilesTest.everyAttributeKind();
    Weights weights = RandomWeights.initialize(graph, 3);
    Path graphFile = seed("graph/io/GraphFileFuzzTestInputs/readGraphFile", "seed-every-attribute-kind");
    GraphFiles.write(graph, new Weights(weights.tensors(), Map.of("origin", "fuzz seed"), "seed"), graphFile);
    Files.writeString(seed("graph/io/GraphJsonFuzzTestInputs/parseGraphJson", "seed-every-attribute-kind"),
        GraphFiles.toJson(graph), StandardCharsets.UTF_8);
    Files.write(seed("weights/SafetensorsFuzzTestInputs/readSafetensors", "seed-weights"),
        Safetensors.toBytes(new Weights(weights.tensors(), Map.of("note", "seed"), "seed")));
  }

  private static Path seed(String folder, String name) throws IOException {
    Path dir = RESOURCES.resolve(folder);
    Files.createDirectories(dir);
    return dir.resolve(name);
  }
}
