package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.task.Acquisition;
import org.medvision.api.task.TaskProvider;

/** tasks and engines, against what the registries hold. */
class ListingCommandsTest {
  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  @Test
  void tasksPrintsEveryTaskWithItsChoices() {
    Cli.Result r = Cli.run("tasks");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    TaskProvider p = Cli.MEDVISION.tasks().get("strokenext");
    assertTrue(r.out().startsWith("strokenext"), r.out());
    assertTrue(r.out().contains("variants:  " + String.join(", ", p.variants()).replace(p.defaultVariant(),
        p.defaultVariant() + " (default)")), r.out());
    assertTrue(r.out().contains("options (--set KEY=VALUE):"), r.out());
    for (String option : List.of("subtask", "fusion", "image_size", "label_smoothing")) {
      assertTrue(r.out().contains(option), option + " listed: " + r.out());
    }
    assertTrue(r.out().contains("one of 3class, presence, subtype"), r.out());
    assertTrue(r.out().contains("--image-size = --set image_size="), r.out());
    assertTrue(r.out().contains("manifest columns [path, label]"), r.out());
    assertTrue(r.out().contains("citation:  " + p.citation()), r.out());
    // StrokeNeXt declares head CT; the line lists the declared sets, sorted, from the task itself.
    Acquisition a = p.create(p.defaultConfig()).acquisition();
    assertEquals(Set.of("CT"), a.modalities());
    assertTrue(r.out().contains("acquired:  modality CT; body part " + String.join(", ", a.bodyParts())
        + " (DICOM inputs outside these are flagged; --strict refuses them)"), r.out());
  }

  @Test
  void tasksJsonParses() {
    Cli.Result r = Cli.run("tasks", "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonArray tasks = JsonParser.parseString(r.out()).getAsJsonArray();
    JsonObject s = tasks.get(0).getAsJsonObject();
    TaskProvider p = Cli.MEDVISION.tasks().get("strokenext");
    assertEquals("strokenext", s.get("name").getAsString());
    assertEquals(p.variants(), strings(s.getAsJsonArray("variants")));
    JsonObject subtask = s.getAsJsonArray("options").get(0).getAsJsonObject();
    assertEquals("subtask", subtask.get("name").getAsString());
    assertEquals(List.of("3class", "presence", "subtype"), strings(subtask.getAsJsonArray("choices")));
    assertEquals("MODEL", subtask.get("scope").getAsString());
    assertEquals(p.defaultConfig().option("image_size"), s.getAsJsonObject("defaultConfig")
        .getAsJsonObject("options").get("image_size").getAsString());
    Acquisition declared = p.create(p.defaultConfig()).acquisition();
    JsonObject acquisition = s.getAsJsonObject("acquisition");
    assertEquals(List.copyOf(declared.modalities()), strings(acquisition.getAsJsonArray("modalities")));
    assertEquals(List.copyOf(declared.bodyParts()), strings(acquisition.getAsJsonArray("bodyParts")));
    assertTrue(strings(acquisition.getAsJsonArray("bodyParts")).contains("HEAD"), acquisition.toString());
  }

  @Test
  void enginesListsOnnxWithCapabilities() {
    Cli.Result r = Cli.run("engines");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    assertTrue(r.out().startsWith("onnx"), r.out());
    assertTrue(r.out().contains("artifact:  org.medvision:medvision-engine-onnx"), r.out());
    assertTrue(r.out().contains("devices:   cpu"), r.out());
    assertTrue(!r.out().contains("version:"), "no probe, so no runtime version: " + r.out());
  }

  @Test
  void enginesProbeJsonHasVersionAndCpu() {
    Cli.Result r = Cli.run("engines", "--probe", "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject onnx = JsonParser.parseString(r.out()).getAsJsonArray().get(0).getAsJsonObject();
    assertEquals("onnx", onnx.get("name").getAsString());
    assertTrue(onnx.get("version").getAsString().startsWith("onnxruntime "), onnx.toString());
    assertTrue(strings(onnx.getAsJsonArray("availableDevices")).contains("cpu"), onnx.toString());
    assertTrue(strings(onnx.getAsJsonArray("dtypes")).contains("float32"), onnx.toString());
    assertTrue(onnx.get("ops").getAsInt() > 0);
  }
}
