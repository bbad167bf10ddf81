package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.task.Task;

class InfoCommandTest {
  @Test
  void jsonCountsAgreeWithTheParameterList() {
    Cli.Result r = Cli.run("info", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--json");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject info = JsonParser.parseString(r.out()).getAsJsonObject();
    long trainable = 0;
    long buffers = 0;
    int tensors = 0;
    for (JsonElement e : info.getAsJsonArray("parameterList")) {
      JsonObject p = e.getAsJsonObject();
      long n = 1;
      for (JsonElement d : p.getAsJsonArray("shape")) {
        n *= d.getAsLong();
      }
      if (p.get("trainable").getAsBoolean()) {
        trainable += n;
        tensors++;
      } else {
        buffers += n;
      }
    }
    assertEquals(trainable, info.get("parameters").getAsLong());
    assertEquals(buffers, info.get("buffers").getAsLong());
    assertEquals(tensors, info.get("parameterTensors").getAsInt());
    assertEquals("atto", info.getAsJsonObject("config").get("variant").getAsString());
    JsonObject image1 = info.getAsJsonArray("inputs").get(0).getAsJsonObject();
    assertEquals("image1", image1.get("name").getAsString());
    assertEquals("[-1,3,32,32]", image1.get("shape").toString());
    assertEquals("image", image1.get("source").getAsString());
    JsonObject logits = info.getAsJsonArray("outputs").get(0).getAsJsonObject();
    assertEquals("[\"normal\",\"ischemic\",\"hemorrhagic\"]", logits.get("labels").toString());
  }

  @Test
  void textShowsCountsWithSeparatorsAndParametersOnRequest() {
    Task task = Fixtures.atto("3class");
    long params = task.graph().parameters().stream().filter(p -> p.role().trainable())
        .mapToLong(ParameterSpec::size).sum();
    Cli.Result r = Cli.run("info", "--task", "strokenext", "--variant", "atto", "--image-size", "32");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    String grouped = String.format(Locale.ROOT, "%,d", params);
    assertTrue(r.out().contains("parameters     " + grouped + " ("
        + String.format(Locale.ROOT, "%.2f M", params / 1e6) + ")"), r.out());
    assertTrue(r.out().contains("per example"), r.out());
    assertTrue(r.out().contains("  image1  float32 [N, 3, 32, 32]  from image"), r.out());
    assertTrue(!r.out().contains("encoder1.stem.0.weight"), "parameters only with --params");

    Cli.Result p = Cli.run("info", "--task", "strokenext", "--variant", "atto", "--image-size", "32", "--params");
    for (ParameterSpec spec : task.graph().parameters()) {
      String line = p.out().lines().filter(l -> l.startsWith(spec.name() + " ")).findFirst().orElse("");
      assertTrue(line.contains(" " + spec.shape() + " ")
          && line.contains(spec.role().name().toLowerCase(Locale.ROOT)), spec.name() + ": " + line);
    }
  }
}
