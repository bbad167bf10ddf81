package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.weights.WeightsDigest;

/** Ensembles of the tiny volume task: members are cheap to write, and its training option (sampler) may differ. */
class EnsembleFileTest {
  @TempDir Path dir;

  /** A run folder {@code runs/name} holding {@code best.safetensors} and its sidecar. */
  private Path run(String name, String variant, long seed, String... options) {
    Models.checkpoint(dir.resolve("runs").resolve(name).resolve("best.safetensors"),
        Models.tinyVolume(variant, options), seed);
    return dir.resolve("runs").resolve(name);
  }

  private ModelSource write(Path out, Path... members) {
    return EnsembleFile.write(Models.MEDVISION, out, List.of(members), Models.VERSION);
  }

  private static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  @Test
  void writesMembersByRelativePathAndDigestAndLoadsThemBack() throws IOException {
    Path uniform = run("uniform", "wide", 1, "input", "4x8x8", "sampler", "uniform");
    Path balanced = run("balanced", "wide", 2, "input", "4x8x8", "sampler", "size-balanced");
    Path out = dir.resolve("dsa").resolve("ensemble.json");
    Files.createDirectories(out.getParent());
    ModelSource written = write(out, uniform, balanced);

    JsonObject doc = json(out);
    assertEquals(EnsembleFile.FORMAT, doc.get("format").getAsString());
    assertEquals(TinyVolumeTaskProvider.NAME, doc.get("task").getAsString());
    assertEquals("wide", doc.get("variant").getAsString());
    assertEquals("mean", doc.get("combination").getAsString());
    // Only model options are shared; the sampler is each member's own.
    JsonObject options = doc.getAsJsonObject("options");
    assertEquals(2, options.size(), options.toString());
    assertEquals("4x8x8", options.get("input").getAsString());
    assertEquals("0", options.get("batch").getAsString());
    JsonArray members = doc.getAsJsonArray("members");
    assertEquals(2, members.size());
    JsonObject second = members.get(1).getAsJsonObject();
    assertEquals("balanced", second.get("name").getAsString());
    assertEquals("../runs/balanced/best.safetensors", second.get("checkpoint").getAsString());
    assertEquals(WeightsDigest.sha256(balanced.resolve("best.safetensors")), second.get("sha256").getAsString());
    assertEquals("size-balanced", second.getAsJsonObject("training_options").get("sampler").getAsString());

    for (ModelSource model : List.of(written, ModelSource.load(Models.MEDVISION, out, ModelRequest.none()))) {
      assertTrue(model.isEnsemble());
      assertEquals(out, model.file());
      assertEquals(Models.tinyVolume("wide", "input", "4x8x8").config(), model.task().config());
      assertEquals(List.of("uniform", "balanced"), model.members().stream().map(ModelSource.Member::name).toList());
      assertEquals(Map.of("sampler", "uniform"), model.members().get(0).trainingOptions());
      assertEquals(Map.of("sampler", "size-balanced"), model.members().get(1).trainingOptions());
      assertEquals(WeightsDigest.sha256(uniform.resolve("best.safetensors")), model.members().get(0).sha256());
    }
    assertTrue(EnsembleFile.isEnsemble(out));
    assertFalse(EnsembleFile.isEnsemble(uniform.resolve("best.json")));
    assertEquals(TinyVolumeTaskProvider.NAME, ModelSource.taskName(out));
  }

  @Test
  void membersAreFoundFromTheEnsembleFilesFolderWhereverItIsMoved() throws IOException {
    Path a = run("a", "narrow", 1);
    Path b = run("b", "narrow", 2);
    Files.writeString(a.resolve("notes.txt"), "kept with the run");
    write(dir.resolve("ensemble.json"), a.resolve("best.safetensors"), b.resolve("best.safetensors"));

    Path moved = dir.resolve("elsewhere").resolve("project");
    copyTree(dir.resolve("runs"), moved.resolve("runs"));
    Files.copy(dir.resolve("ensemble.json"), moved.resolve("ensemble.json"));
    deleteTree(dir.resolve("runs"));

    ModelSource model = ModelSource.load(Models.MEDVISION, moved.resolve("ensemble.json"), ModelRequest.none());
    assertEquals(moved.resolve("runs").resolve("a").resolve("best.safetensors"),
        model.members().get(0).weightsFile());
    assertEquals(moved.resolve("runs").resolve("b").resolve("best.safetensors"),
        model.members().get(1).weightsFile());
  }

  @Test
  void checkpointsOfOneRunGetDistinctNames() {
    Path run = dir.resolve("runs").resolve("x");
    Path best = Models.checkpoint(run.resolve("best.safetensors"), Models.tinyVolume("narrow"), 1);
    Path earlier = Models.checkpoint(run.resolve("epoch5.safetensors"), Models.tinyVolume("narrow"), 2);
    Path other = run("y", "narrow", 3);
    ModelSource model = write(dir.resolve("ensemble.json"), best, earlier, other);
    // Reports and provenance list members by name, so two checkpoints of run x must not both be "x".
    assertEquals(List.of("x/best", "x/epoch5", "y"), model.members().stream().map(ModelSource.Member::name)
        .toList());
  }

  @Test
  void membersOfAnotherTaskVariantOrModelOptionAreRefusedNamingBoth() {
    Path base = run("base", "narrow", 1, "input", "4x8x8");
    Path wide = run("wide", "wide", 2, "input", "4x8x8");
    Path bigger = run("bigger", "narrow", 3, "input", "6x8x8");
    Path stroke = dir.resolve("runs").resolve("stroke");
    Models.checkpoint(stroke.resolve("best.safetensors"), Models.atto("3class"), 4);
    Path out = dir.resolve("ensemble.json");

    assertRefused(out, "ensemble member " + wide + " is variant wide but " + base + " is narrow", base, wide);
    assertRefused(out, "ensemble member " + bigger + " has input=6x8x8 but " + base + " has input=4x8x8", base,
        bigger);
    assertRefused(out, "ensemble member " + stroke + " is for task strokenext but " + base + " is for tiny-volume",
        base, stroke);
    assertRefused(out, "is listed twice", base, base.resolve("best.safetensors"));
    assertRefused(out, "an ensemble needs at least two members, got 1", base);
    assertRefused(out, "ensemble member " + dir.resolve("runs") + " has no best.safetensors", base,
        dir.resolve("runs"));
    assertFalse(Files.exists(out), "nothing is written for a refused ensemble");
  }

  private void assertRefused(Path out, String expected, Path... members) {
    MedvisionException e = assertThrows(MedvisionException.class, () -> write(out, members));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aMemberChangedAfterTheEnsembleWasWrittenIsRefusedByName() throws IOException {
    Path a = run("a", "narrow", 1);
    Path b = run("b", "narrow", 2);
    Path out = dir.resolve("ensemble.json");
    write(out, a, b);
    String recorded = WeightsDigest.sha256(b.resolve("best.safetensors"));
    Models.weights(b.resolve("best.safetensors"), Models.tinyVolume("narrow"), 3);

    MedvisionException e = assertThrows(MedvisionException.class,
        () -> ModelSource.load(Models.MEDVISION, out, ModelRequest.none()));
    assertTrue(e.getMessage().contains(b.resolve("best.safetensors").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("its record says " + recorded), e.getMessage());

    Files.delete(b.resolve("best.safetensors"));
    e = assertThrows(MedvisionException.class, () -> ModelSource.load(Models.MEDVISION, out, ModelRequest.none()));
    assertTrue(e.getMessage().contains("weights file not found: " + b.resolve("best.safetensors")), e.getMessage());
  }

  /** Adds {@code "key": value} to the sidecar of run {@code run}, as a training run records its seed and data. */
  private static void record(Path run, String key, String value) throws IOException {
    Path sidecar = run.resolve("best.json");
    JsonObject doc = json(sidecar);
    doc.addProperty(key, value);
    Files.writeString(sidecar, doc.toString());
  }

  @Test
  void membersOfAnotherSeedOrDataAreRefusedAndTheSharedSeedIsRecorded() throws IOException {
    Path a = run("a", "narrow", 1);
    Path b = run("b", "narrow", 2);
    record(a, "seed", "0");
    record(b, "seed", "3");
    Path out = dir.resolve("ensemble.json");
    assertRefused(out, "ensemble member " + b + " was trained with seed 3 but " + a + " with seed 0", a, b);
    assertFalse(Files.exists(out));
    record(b, "seed", "0");
    record(a, "dataSha256", "aa");
    record(b, "dataSha256", "bb");
    assertRefused(out, "was trained on other data than " + a, a, b);
    record(b, "dataSha256", "aa");
    write(out, a, b);
    assertEquals(0, json(out).get("seed").getAsLong(), "evaluation redraws the split with this seed");
  }

  @Test
  void weightsChangedSinceTrainingOrNotFittingLeaveNoFile() throws IOException {
    Path a = run("a", "narrow", 1);
    Path b = run("b", "narrow", 2);
    Path out = dir.resolve("ensemble.json");
    Files.writeString(out, "the ensemble written before");
    String recorded = WeightsDigest.sha256(b.resolve("best.safetensors"));
    Models.weights(b.resolve("best.safetensors"), Models.tinyVolume("narrow"), 3);
    assertRefused(out, "its sidecar recorded " + recorded + "; the weights changed after training", a, b);

    // Weights of another variant under a sidecar that says narrow: they fit no graph, found only when loading.
    Models.weights(b.resolve("best.safetensors"), Models.tinyVolume("wide"), 3);
    record(b, "weightsSha256", WeightsDigest.sha256(b.resolve("best.safetensors")));
    assertThrows(MedvisionException.class, () -> write(out, a, b));
    assertEquals("the ensemble written before", Files.readString(out), "a refused ensemble replaces nothing");
    try (var listing = Files.list(dir)) {
      assertEquals(List.of("ensemble.json", "runs"), listing.map(p -> p.getFileName().toString()).sorted().toList(),
          "no staged copy left behind");
    }
  }

  @Test
  void aRequestIsCheckedAgainstWhatTheEnsembleRecords() {
    Path out = dir.resolve("ensemble.json");
    write(out, run("a", "narrow", 1), run("b", "narrow", 2));
    MedvisionException variant = assertThrows(MedvisionException.class,
        () -> ModelSource.load(Models.MEDVISION, out, new ModelRequest(null, "wide", Map.of())));
    assertTrue(variant.getMessage().contains("variant 'narrow'") && variant.getMessage().contains("variant 'wide'"),
        variant.getMessage());
    MedvisionException option = assertThrows(MedvisionException.class,
        () -> ModelSource.load(Models.MEDVISION, out, new ModelRequest(null, null, Map.of("input", "6x8x8"))));
    assertTrue(option.getMessage().contains("input '4x8x8'") && option.getMessage().contains("input '6x8x8'"),
        option.getMessage());
    MedvisionException training = assertThrows(MedvisionException.class,
        () -> ModelSource.load(Models.MEDVISION, out, new ModelRequest(null, null, Map.of("sampler", "uniform"))));
    assertTrue(training.getMessage().contains("only affects training"), training.getMessage());
  }

  @Test
  void aDamagedEnsembleFileIsNamed() throws IOException {
    Path out = dir.resolve("ensemble.json");
    Files.writeString(out, "{\"format\": \"medvision-ensemble/1\", \"task\": \"tiny-volume\"}");
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> ModelSource.load(Models.MEDVISION, out, ModelRequest.none()));
    assertTrue(e.getMessage().contains("ensemble file " + out + " lacks its task or members"), e.getMessage());

    Files.writeString(out, "{\"format\": \"medvision-ensemble/1\", \"task\": \"tiny-volume\", \"members\": [{\"name\": "
        + "\"a\", \"checkpoint\": \"../runs/a/best.safetensors\"}]}");
    Models.checkpoint(dir.resolve("runs").resolve("a").resolve("best.safetensors"), Models.tinyVolume("narrow"), 1);
    Files.move(out, dir.resolve("runs").resolve("one.json"));
    e = assertThrows(MedvisionException.class,
        () -> ModelSource.load(Models.MEDVISION, dir.resolve("runs").resolve("one.json"), ModelRequest.none()));
    assertTrue(e.getMessage().contains("lists 1 member(s); an ensemble needs at least two"), e.getMessage());

    Path nameless = dir.resolve("runs").resolve("nameless.json");
    Files.writeString(nameless, "{\"format\": \"medvision-ensemble/1\", \"task\": \"tiny-volume\", \"members\": ["
        + "{\"name\": \"a\", \"checkpoint\": \"a/best.safetensors\"}, {\"name\": \"b\"}]}");
    e = assertThrows(MedvisionException.class, () -> ModelSource.load(Models.MEDVISION, nameless,
        ModelRequest.none()));
    assertTrue(e.getMessage().contains("ensemble file " + nameless + ": member 2 lacks its name or checkpoint"),
        e.getMessage());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
