package org.medvision.cli.footprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Nothing is recorded or sent": each engine runs a model in a child JVM whose home and temp folders are new and
 * empty, and afterwards neither holds a file. This catches ONNX Runtime's telemetry client (a device id and an SQLite
 * event queue under {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime/}, {@code mat-debug-<pid>.log} in the temp
 * folder) and any other state an engine writes. The engines' native-library caches ({@code ~/.djl.ai},
 * {@code ~/.javacpp/cache}) are pointed at this user's existing ones so the test does not unpack a gigabyte; they hold
 * only the libraries from the Maven Central jars (README, "Engines and devices": what each engine leaves on disk).
 */
class NothingRecordedTest {
  /** Folders JNA creates for its own library and deletes the library from at exit; they stay, empty. */
  private static final Set<String> EMPTY_FOLDERS_ALLOWED = Set.of(".cache", ".cache/JNA", ".cache/JNA/temp");

  @ParameterizedTest
  @ValueSource(strings = {"onnx", "djl", "tensorflow"})
  void anEngineRunLeavesNoFileInAFreshHomeOrTempFolder(String engine, @TempDir Path dir)
      throws IOException, InterruptedException {
    Path home = Files.createDirectory(dir.resolve("home"));
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    String realHome = System.getProperty("user.home");
    List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp,
        "-Dorg.bytedeco.javacpp.cachedir=" + Paths.get(realHome, ".javacpp", "cache"),
        "-cp", System.getProperty("java.class.path"), EngineRunMain.class.getName(), engine));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    // A child of a CI runner would inherit variables (CI, GITHUB_ACTIONS, ...) that make ONNX Runtime keep quiet on
    // its own, and maybe ORT_DISABLE_TELEMETRY: drop them so the test sees what a user's machine would.
    env.keySet().removeIf(k -> !Set.of("PATH", "LANG", "LC_ALL").contains(k));
    env.put("HOME", home.toString());
    env.put("TMPDIR", tmp.toString());
    env.put("DJL_CACHE_DIR", Paths.get(realHome, ".djl.ai").toString());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child JVM did not finish");
    assertEquals(0, p.exitValue(), output);
    assertTrue(output.contains("ran "), output);

    List<String> left = new ArrayList<>();
    for (Path root : List.of(home, tmp)) {
      try (Stream<Path> walk = Files.walk(root)) {
        walk.filter(f -> !f.equals(root)).forEach(f -> {
          String rel = root.relativize(f).toString();
          if (!(root == home && Files.isDirectory(f) && EMPTY_FOLDERS_ALLOWED.contains(rel))) {
            left.add(root.getFileName() + "/" + rel);
          }
        });
      }
    }
    assertEquals(List.of(), left, engine + " left these in a fresh home/temp folder; output:\n" + output);
  }
}
