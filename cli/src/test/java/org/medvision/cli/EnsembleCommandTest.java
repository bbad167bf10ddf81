package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.task.Task;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.runtime.ModelCheckpoint;

class EnsembleCommandTest {
  @TempDir
  Path dir;

  /** Random atto weights in {@code dir/name/best.safetensors}, with the sidecar a training run writes. */
  private Path run(String name, long seed, Map<String, String> options) throws IOException {
    Map<String, String> all = new java.util.HashMap<>(Map.of("subtask", "3class", "image_size", "32"));
    all.putAll(options);
    Task task = Cli.MEDVISION.task("strokenext", Cli.MEDVISION.tasks().get("strokenext").configure("atto", all));
    Path runDir = Files.createDirectories(dir.resolve(name));
    Path weights = Fixtures.weights(runDir, "best.safetensors", task, seed);
    ModelCheckpoint.writeFor(weights, task, "best", "test");
    return runDir;
  }

  private static JsonObject probabilities(Cli.Result r) {
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    return JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("predictions").get(0).getAsJsonObject()
        .getAsJsonObject("logits").getAsJsonObject("probabilities");
  }

  @Test
  void ensembleOfRunsDifferingInTrainingOptionsAveragesTheirProbabilities() throws IOException {
    Path a = run("a", 1, Map.of());
    Path b = run("b", 2, Map.of("label_smoothing", "0.2"));
    Path out = dir.resolve("ens");
    Files.createDirectories(out);
    Cli.Result r = Cli.run("ensemble", "--members", a + "," + b, "--out", out.toString(), "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    JsonArray members = json.getAsJsonArray("members");
    assertEquals(2, members.size());
    assertEquals(WeightsDigest.sha256(b.resolve("best.safetensors")),
        members.get(1).getAsJsonObject().get("sha256").getAsString());
    assertEquals("0.2", members.get(1).getAsJsonObject().getAsJsonObject("trainingOptions").get("label_smoothing")
        .getAsString());
    Path file = out.resolve("ensemble.json");
    assertTrue(Files.readString(file).contains("\"checkpoint\": \"../a/best.safetensors\""), "paths relative to "
        + "the file so the folder can move: " + Files.readString(file));

    Path image = Fixtures.png(dir, "x.png", 3);
    JsonObject pa = probabilities(Cli.run("predict", "--model", a.resolve("best.safetensors").toString(), "--json",
        image.toString()));
    JsonObject pb = probabilities(Cli.run("predict", "--model", b.resolve("best.safetensors").toString(), "--json",
        image.toString()));
    Cli.Result ensemble = Cli.run("predict", "--model", file.toString(), "--json", image.toString());
    JsonObject pe = probabilities(ensemble);
    for (String label : pe.keySet()) {
      double mean = (pa.get(label).getAsDouble() + pb.get(label).getAsDouble()) / 2;
      assertEquals(mean, pe.get(label).getAsDouble(), 1e-6, label);
    }
    JsonArray provenance = JsonParser.parseString(ensemble.out()).getAsJsonObject().getAsJsonObject("provenance")
        .getAsJsonArray("members");
    assertEquals(2, provenance.size(), "every result names every member");
  }

  @Test
  void membersOfDifferentModelOptionsAreRefusedNamingBoth() throws IOException {
    Path a = run("a", 1, Map.of());
    Path c = run("c", 3, Map.of("subtask", "presence"));
    Path out = dir.resolve("ensemble.json");
    Cli.Result r = Cli.run("ensemble", "--members", a + "," + c, "--out", out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertTrue(r.err().contains("ensemble member " + c + " has subtask=presence but " + a + " has subtask=3class"),
        r.err());
    assertFalse(Files.exists(out), "nothing written on error");
  }

  @Test
  void oneMemberIsAUsageErrorAndAnExistingFileNeedsForce() throws IOException {
    Path a = run("a", 1, Map.of());
    Path b = run("b", 2, Map.of());
    assertEquals(ExitCodes.USAGE_ERROR, Cli.run("ensemble", "--members", a.toString(), "--out",
        dir.resolve("e.json").toString()).code());
    Path out = dir.resolve("e.json");
    assertEquals(ExitCodes.OK, Cli.run("ensemble", "--members", a + "," + b, "--out", out.toString()).code());
    Cli.Result again = Cli.run("ensemble", "--members", a + "," + b, "--out", out.toString());
    assertEquals(ExitCodes.RUNTIME_ERROR, again.code());
    assertTrue(again.err().contains(out + " exists; use --force to replace it"), again.err());
    assertEquals(ExitCodes.OK, Cli.run("ensemble", "--members", a + "," + b, "--out", out.toString(), "--force")
        .code());
  }
}
