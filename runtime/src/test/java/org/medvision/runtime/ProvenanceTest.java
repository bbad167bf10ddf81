package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.weights.WeightsDigest;

class ProvenanceTest {
  static Engine engine;

  @TempDir Path dir;

  @BeforeAll
  static void open() {
    engine = Models.MEDVISION.engine("onnx");
  }

  @AfterAll
  static void close() {
    engine.close();
  }

  @Test
  void aCheckpointsProvenanceNamesTaskConfigurationEngineAndWeights() {
    Path weights = Models.checkpoint(dir.resolve("run").resolve("best.safetensors"),
        Models.tinyVolume("wide", "input", "2x8x8", "sampler", "size-balanced"), 1);
    ModelSource model = ModelSource.load(Models.MEDVISION, weights, ModelRequest.none());
    Map<String, Object> p = Provenance.of(model, engine, CompileOptions.defaults());

    assertEquals(List.of("task", "variant", "options", "graph", "engine", "engineVersion", "device", "model",
        "weightsSha256", "members"), List.copyOf(p.keySet()));
    assertEquals(TinyVolumeTaskProvider.NAME, p.get("task"));
    assertEquals("wide", p.get("variant"));
    assertEquals(Map.of("batch", "0", "input", "2x8x8", "sampler", "size-balanced"), p.get("options"));
    assertEquals("tiny-volume-wide", p.get("graph"));
    assertEquals("onnx", p.get("engine"));
    assertEquals(engine.version(), p.get("engineVersion"));
    assertTrue(p.get("engineVersion").toString().startsWith("onnxruntime "), p.get("engineVersion").toString());
    assertEquals("cpu", p.get("device"));
    assertEquals(weights.toString(), p.get("model"));
    String sha = WeightsDigest.sha256(weights);
    assertEquals(sha, p.get("weightsSha256"));
    assertEquals(List.of(Map.of("name", "run", "weights", weights.toAbsolutePath().toString(), "sha256", sha,
        "trainingOptions", Map.of("sampler", "size-balanced"))), p.get("members"));
  }

  @Test
  void anEnsemblesProvenanceNamesEveryMemberAndJoinsTheirDigests() {
    Path a = Models.checkpoint(dir.resolve("a").resolve("best.safetensors"), Models.tinyVolume("narrow"), 1);
    Path b = Models.checkpoint(dir.resolve("b").resolve("best.safetensors"), Models.tinyVolume("narrow", "sampler",
        "size-balanced"), 2);
    ModelSource ensemble = EnsembleFile.write(Models.MEDVISION, dir.resolve("ensemble.json"), List.of(a, b),
        Models.VERSION);
    Map<String, Object> p = Provenance.of(ensemble, engine, CompileOptions.defaults());
    assertEquals(WeightsDigest.sha256(a) + "+" + WeightsDigest.sha256(b), p.get("weightsSha256"));
    assertEquals(Provenance.weightsSha256(ensemble), p.get("weightsSha256"));
    List<?> members = (List<?>) p.get("members");
    assertEquals(2, members.size());
    assertEquals(Map.of("name", "b", "weights", b.toString(), "sha256", WeightsDigest.sha256(b), "trainingOptions",
        Map.of("sampler", "size-balanced")), members.get(1));
    assertEquals(dir.resolve("ensemble.json").toString(), p.get("model"));

    // Random weights have no file; their provenance says so instead of failing.
    Map<String, Object> random = Provenance.of(ModelSource.random(Models.tinyVolume("narrow"), 4), engine,
        CompileOptions.defaults());
    assertEquals("random(seed=4)", random.get("weightsSha256"));
    assertFalse(((Map<?, ?>) ((List<?>) random.get("members")).get(0)).containsKey("trainingOptions"));
  }
}
