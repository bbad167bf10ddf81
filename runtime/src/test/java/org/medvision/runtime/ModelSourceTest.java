package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.KeyMap;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.tasks.strokenext.StrokeNextTaskProvider;

class ModelSourceTest {
  /** Checkpoints the tests only read, written once: StrokeNeXt weights take a while to draw and hash. */
  @TempDir static Path shared;
  /** atto 3class at 32 px, seed 1. */
  static Path plain3class;
  /** atto presence, sum fusion, label smoothing 0.25, in run folder {@code run7}. */
  static Path presence;

  @TempDir Path dir;

  @BeforeAll
  static void checkpoints() {
    plain3class = Models.checkpoint(shared.resolve("best.safetensors"), Models.atto("3class"), 1);
    presence = Models.checkpoint(shared.resolve("run7").resolve("best.safetensors"),
        Models.atto("presence", "fusion", "sum", "label_smoothing", "0.25"), 4);
  }

  private static ModelSource load(Path file, ModelRequest request) {
    return ModelSource.load(Models.MEDVISION, file, request);
  }

  private static ModelRequest options(String... keyValues) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put(keyValues[i], keyValues[i + 1]);
    }
    return new ModelRequest(null, null, m);
  }

  private static void assertSameTensors(Weights expected, Weights actual) {
    assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
    expected.tensors().forEach((name, t) -> assertTrue(t.contentEquals(actual.tensors().get(name)), name));
  }

  @Test
  void aCheckpointRestoresItsTaskConfigurationAndWeights() {
    Task trained = Models.atto("presence", "fusion", "sum", "label_smoothing", "0.25");
    Path weights = presence;
    for (Path file : List.of(weights, weights.resolveSibling("best.json"))) {
      ModelSource model = load(file, ModelRequest.none());
      assertEquals(StrokeNextTaskProvider.NAME, model.task().name());
      assertEquals(trained.config(), model.task().config());
      assertEquals(StrokeNextTaskProvider.labels("presence"), model.task().outputs().get(0).labels());
      assertEquals(file, model.file());
      assertFalse(model.isEnsemble());
      ModelSource.Member member = model.members().get(0);
      assertEquals("run7", member.name());
      assertEquals(WeightsDigest.sha256(weights), member.sha256());
      assertEquals(Map.of("class_weights", "none", "drop_path", "auto", "label_smoothing", "0.25"),
          member.trainingOptions());
      assertSameTensors(Safetensors.read(weights).fitTo(trained.graph()), member.weights());
    }
  }

  @Test
  void aFirstFormatCheckpointLoadsAsTheModelItsOldFieldsDescribe() {
    Path weights = Models.checkpointOfFormat1(dir.resolve("old.safetensors"), "subtype", 3);
    ModelSource model = load(weights, ModelRequest.none());
    assertEquals(Models.atto("subtype").config(), model.task().config());
    assertEquals(StrokeNextTaskProvider.labels("subtype"), model.task().outputs().get(0).labels());
    // The old keys are real options now: asking for another image size is refused like for a current checkpoint.
    MedvisionException e = assertThrows(MedvisionException.class, () -> load(weights, options("image_size", "64")));
    assertTrue(e.getMessage().contains("image_size '32'") && e.getMessage().contains("image_size '64'"),
        e.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "variant    | variant 'atto'             | variant 'femto'",
      "image_size | image_size '32'            | image_size '64'",
      "subtask    | subtask '3class'           | subtask 'presence'",
      "fusion     | fusion 'conv1d'            | fusion 'concat'",
      "task       | task 'strokenext'          | task 'tiny-volume'"})
  void aRequestThatContradictsTheRecordNamesBothValues(String what, String recorded, String asked) {
    Path weights = plain3class;
    String value = asked.substring(asked.indexOf('\'') + 1, asked.length() - 1);
    ModelRequest request = what.equals("task") ? new ModelRequest(value, null, Map.of())
        : what.equals("variant") ? new ModelRequest(null, value, Map.of()) : options(what, value);
    MedvisionException e = assertThrows(MedvisionException.class, () -> load(weights, request));
    assertTrue(e.getMessage().contains(recorded) && e.getMessage().contains(asked), e.getMessage());
    assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
  }

  @Test
  void aRequestThatAgreesWithTheRecordLoadsIncludingValuesWrittenDifferently() {
    Path weights = plain3class;
    ModelSource model = load(weights, new ModelRequest("strokenext", "atto", Map.of("image_size", "032",
        "subtask", "3CLASS")));
    assertEquals(Models.atto("3class").config(), model.task().config());
  }

  @Test
  void aTrainingOptionInTheRequestIsRefusedEvenWhenItMatches() {
    Path weights = plain3class;
    for (String value : List.of("0.1", "0.3")) {
      MedvisionException e = assertThrows(MedvisionException.class,
          () -> load(weights, options("label_smoothing", value)));
      assertTrue(e.getMessage().contains("only affects training")
          && e.getMessage().contains("trained with label_smoothing=0.1"), e.getMessage());
    }
  }

  @Test
  void anUnknownOptionInTheRequestListsTheTasksOptions() {
    Path weights = plain3class;
    MedvisionException e = assertThrows(MedvisionException.class, () -> load(weights, options("imagesize", "32")));
    assertTrue(e.getMessage().contains("imagesize") && e.getMessage().contains("image_size"), e.getMessage());
  }

  @Test
  void missingOrDamagedModelFilesAreNamed() throws Exception {
    Task volume = Models.tinyVolume("narrow");
    Path missing = dir.resolve("nothing.safetensors");
    assertMessage(missing, "model file not found: " + missing);

    Path plain = Models.weights(dir.resolve("plain.safetensors"), volume, 1);
    assertMessage(plain, "weights file " + plain + " has no sidecar (plain.json)");

    Path brokenWeights = Models.weights(dir.resolve("broken.safetensors"), volume, 1);
    Files.writeString(dir.resolve("broken.json"), "{\"format\": ");
    assertMessage(brokenWeights, "checkpoint sidecar " + dir.resolve("broken.json") + " is not valid JSON");

    Path lost = Models.checkpoint(dir.resolve("lost").resolve("best.safetensors"), volume, 1);
    Files.delete(lost);
    assertMessage(dir.resolve("lost").resolve("best.json"), "weights file not found: " + lost.toAbsolutePath());

    Path changed = Models.checkpoint(dir.resolve("changed").resolve("best.safetensors"), volume, 1);
    Models.weights(changed, volume, 2);
    assertMessage(changed, "weights file " + changed.toAbsolutePath() + " has SHA-256 "
        + WeightsDigest.sha256(changed) + " but its record says ");

    Path foreign = Models.checkpoint(dir.resolve("foreign").resolve("best.safetensors"), volume, 1);
    Path sidecar = dir.resolve("foreign").resolve("best.json");
    Files.writeString(sidecar, Files.readString(sidecar).replace("\"tiny-volume\"", "\"chest-xray\""));
    assertMessage(foreign, "is for task 'chest-xray', which is not installed");
  }

  private static void assertMessage(Path file, String expected) {
    MedvisionException e = assertThrows(MedvisionException.class, () -> load(file, ModelRequest.none()));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void plainWeightsLoadForTheTaskTheCallerConfigured() {
    Task task = Models.atto("3class");
    Path weights = Models.weights(dir.resolve("plain.safetensors"), task, 5);
    ModelSource model = ModelSource.ofWeights(task, weights, null);
    assertEquals(task.config(), model.task().config());
    assertEquals("plain.safetensors", model.members().get(0).name());
    assertEquals(WeightsDigest.sha256(weights), model.members().get(0).sha256());
    assertSameTensors(Safetensors.read(weights).fitTo(task.graph()), model.members().get(0).weights());

    MedvisionException missing = assertThrows(MedvisionException.class,
        () -> ModelSource.ofWeights(task, dir.resolve("none.safetensors"), null));
    assertTrue(missing.getMessage().contains("weights file not found: " + dir.resolve("none.safetensors")),
        missing.getMessage());
  }

  @Test
  void plainWeightsRecordingAnotherModelAreRefusedEvenWhenEveryTensorFits() {
    // The tiny volume task's parameters do not depend on its input size; only the recorded metadata tells.
    Path weights = Models.weights(dir.resolve("small.safetensors"), Models.tinyVolume("narrow", "input", "4x8x8"), 1);
    Task other = Models.tinyVolume("narrow", "input", "6x8x8");
    MedvisionException e = assertThrows(MedvisionException.class, () -> ModelSource.ofWeights(other, weights, null));
    assertTrue(e.getMessage().contains("input '4x8x8' (asked: '6x8x8')"), e.getMessage());
  }

  @Test
  void plainWeightsInAForeignLayoutAreReadThroughTheKeyMap() {
    Task task = Models.tinyVolume("narrow");
    Weights ours = Models.randomWeights(task, 9);
    Map<String, Tensor> renamed = new LinkedHashMap<>();
    ours.tensors().forEach((name, t) -> renamed.put("module." + name, t));
    Path foreign = dir.resolve("foreign.safetensors");
    Safetensors.write(foreign, new Weights(renamed, Map.of(), "foreign"));

    KeyMap strip = KeyMap.builder().rename("^module\\.(.*)$", "$1").build();
    assertSameTensors(ours, ModelSource.ofWeights(task, foreign, strip).members().get(0).weights());
    WeightMismatchException unmapped = assertThrows(WeightMismatchException.class,
        () -> ModelSource.ofWeights(task, foreign, null));
    assertTrue(unmapped.getMessage().contains("stem.weight"), unmapped.getMessage());
  }

  @Test
  void randomWeightsAreAFunctionOfTheSeed() {
    Task task = Models.tinyVolume("narrow");
    ModelSource a = ModelSource.random(task, 7);
    assertEquals("random(seed=7)", a.members().get(0).name());
    assertEquals(Path.of("random(seed=7)"), a.file());
    assertSameTensors(a.members().get(0).weights(), ModelSource.random(task, 7).members().get(0).weights());
    float[] other = ModelSource.random(task, 8).members().get(0).weights().tensors().get("stem.weight")
        .toFloatArray();
    assertFalse(java.util.Arrays.equals(a.members().get(0).weights().tensors().get("stem.weight").toFloatArray(),
        other));
  }

  @Test
  void theTaskOfAModelFileIsReadWithoutLoadingIt() {
    Path weights = Models.checkpoint(dir.resolve("best.safetensors"), Models.tinyVolume("wide"), 1);
    assertEquals(TinyVolumeTaskProvider.NAME, ModelSource.taskName(weights));
    assertEquals(TinyVolumeTaskProvider.NAME, ModelSource.taskName(dir.resolve("best.json")));
    assertNull(ModelSource.taskName(Models.weights(dir.resolve("plain.safetensors"), Models.atto("3class"), 1)));
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> ModelSource.taskName(dir.resolve("gone.safetensors")));
    assertTrue(e.getMessage().contains("model file not found: " + dir.resolve("gone.safetensors")), e.getMessage());
  }

  @Test
  void aModelNeedsAMember() {
    Task task = Models.tinyVolume("narrow");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelSource(task, List.of(), dir));
    assertTrue(e.getMessage().contains("at least one member"), e.getMessage());
  }
}
