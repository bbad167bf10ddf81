package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.Task;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.tasks.strokenext.StrokeNextTaskProvider;

class ModelCheckpointTest {
  @TempDir Path dir;

  @Test
  void theSidecarOfWeightsIsTheJsonBesideThemWhenThereIsOne() {
    Path weights = Models.weights(dir.resolve("best.safetensors"), Models.atto("3class"), 1);
    assertEquals(Optional.empty(), ModelCheckpoint.sidecarOf(weights));
    Models.write(dir.resolve("best.json"), "{}");
    assertEquals(Optional.of(dir.resolve("best.json")), ModelCheckpoint.sidecarOf(weights));
  }

  @Test
  void aWrittenSidecarReadsBackAsTheTaskItWasWrittenFor() {
    Task task = Models.atto("presence", "fusion", "sum", "label_smoothing", "0.25");
    Path weights = Models.weights(dir.resolve("export.safetensors"), task, 2);
    Path sidecar = ModelCheckpoint.writeFor(weights, task, "export", Models.VERSION);
    assertEquals(dir.resolve("export.json"), sidecar);

    ModelCheckpoint read = ModelCheckpoint.read(sidecar);
    assertEquals(ModelCheckpoint.FORMAT, read.format());
    assertEquals(StrokeNextTaskProvider.NAME, read.task());
    assertEquals("atto", read.variant());
    assertEquals(task.config().options(), read.options());
    assertEquals(StrokeNextTaskProvider.labels("presence"), read.classes());
    assertEquals(weights.toAbsolutePath(), read.weightsFile());
    assertEquals(WeightsDigest.sha256(weights), read.weightsSha256());
    // No stray temporary file is left beside the sidecar.
    assertEquals(2, dir.toFile().list().length);
  }

  @Test
  void theFirstFormatsTaskFieldsBecomeOptions() {
    Path weights = Models.checkpointOfFormat1(dir.resolve("old.safetensors"), "subtype", 3);
    ModelCheckpoint read = ModelCheckpoint.read(dir.resolve("old.json"));
    assertEquals(ModelCheckpoint.FORMAT_1, read.format());
    assertEquals(Map.of("subtask", "subtype", "fusion", "conv1d", "image_size", "32"), read.options());
    assertEquals(4, read.epoch());
    assertEquals("djl", read.engine());
    assertEquals(weights.toAbsolutePath(), read.weightsFile());
  }

  @Test
  void aSidecarThatCannotBeReadIsNamedWithWhatIsWrong() throws Exception {
    Path missing = dir.resolve("none.json");
    assertMessage(missing, "checkpoint sidecar not found: " + missing);

    Path notJson = dir.resolve("broken.json");
    Files.writeString(notJson, "{\"format\": \"medvision-checkpoint/2\", ");
    assertMessage(notJson, "checkpoint sidecar " + notJson + " is not valid JSON");

    Path array = dir.resolve("array.json");
    Files.writeString(array, "[1, 2]");
    assertMessage(array, "checkpoint sidecar " + array + " is not valid JSON");

    Path other = dir.resolve("other.json");
    Files.writeString(other, "{\"format\": \"someone-else/3\"}");
    assertMessage(other, "is not a medvision checkpoint (format: someone-else/3");

    Path partial = dir.resolve("partial.json");
    Files.writeString(partial, "{\"format\": \"medvision-checkpoint/2\", \"task\": \"strokenext\"}");
    assertMessage(partial, "checkpoint sidecar " + partial + " lacks the task, its configuration or the weights");

    Path wrongType = dir.resolve("wrong-type.json");
    Files.writeString(wrongType, "{\"format\": \"medvision-checkpoint/2\", \"task\": \"strokenext\", \"weightsFile\": "
        + "\"best.safetensors\", \"taskConfig\": {\"variant\": \"atto\", \"options\": {\"subtask\": {\"x\": 1}}}}");
    assertMessage(wrongType, "checkpoint sidecar " + wrongType + " has a field of the wrong type");

    Path badEpoch = dir.resolve("bad-epoch.json");
    Files.writeString(badEpoch, "{\"format\": \"medvision-checkpoint/2\", \"task\": \"strokenext\", \"weightsFile\": "
        + "\"best.safetensors\", \"taskConfig\": {\"variant\": \"atto\"}, \"epoch\": \"last\"}");
    assertMessage(badEpoch, "checkpoint sidecar " + badEpoch + " has a field of the wrong type");
  }

  private static void assertMessage(Path sidecar, String expected) {
    MedvisionException e = assertThrows(MedvisionException.class, () -> ModelCheckpoint.read(sidecar));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
