package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module arrows pointing one way (DESIGN.md, "Modules"): reads the main source trees of the sibling modules
 * and rejects any reference, by import or fully qualified name in code, to a package the module must not see. A
 * reference is named by its top-level package ({@code engine}, {@code io}, ...), and within api also by its
 * sub-package ({@code api.engine}), so that io can be kept off the engine SPI while using the rest of api.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.medvision\\.(\\w+)\\.(\\w+)?");
  private static final List<String> ENGINES = List.of("engine-onnx", "engine-djl", "engine-tensorflow");

  /**
   * Every {@code org.medvision.X.} reference in non-comment lines of {@code module}'s main sources, as "file: X", and
   * for X = api also "file: api.Y".
   */
  private static List<String> references(String module) {
    Path src = ROOT.resolve(module).resolve("src/main/java");
    assertTrue(Files.isDirectory(src), "no sources at " + src);
    List<String> found = new ArrayList<>();
    int[] files = {0};
    try (Stream<Path> s = Files.walk(src)) {
      s.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
        files[0]++;
        try {
          for (String line : Files.readAllLines(p)) {
            String t = line.trim();
            if (t.startsWith("*") || t.startsWith("//") || t.startsWith("/*")) {
              continue;
            }
            Matcher m = REFERENCE.matcher(t);
            while (m.find()) {
              found.add(src.relativize(p) + ": " + m.group(1));
              if (m.group(1).equals("api") && m.group(2) != null) {
                found.add(src.relativize(p) + ": api." + m.group(2));
              }
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(files[0] > 0, "no Java files under " + src);
    return found;
  }

  private static void assertNone(String module, List<String> forbidden) {
    List<String> bad = references(module).stream()
        .filter(r -> forbidden.contains(r.substring(r.lastIndexOf(": ") + 2))).toList();
    assertEquals(List.of(), bad, module + " must not reference org.medvision." + forbidden);
  }

  @Test
  void apiSeesNoOtherModule() {
    assertNone("api", List.of("tasks", "io", "engine", "runtime", "train", "cli", "testkit", "dicom"));
  }

  @Test
  void tasksSeeOnlyTheApi() {
    // A paper is its own package in tasks: it declares, the generic modules interpret.
    assertNone("tasks", List.of("engine", "io", "runtime", "train", "cli", "testkit", "dicom"));
  }

  @Test
  void enginesNeverSeeTasksIoOrWhatRunsThem() {
    for (String engine : ENGINES) {
      assertNone(engine, List.of("tasks", "io", "runtime", "train", "cli", "testkit", "dicom"));
    }
  }

  @Test
  void ioReadsDataWithoutEngines() {
    assertNone("io", List.of("engine", "api.engine", "tasks", "runtime", "train", "cli", "testkit"));
  }

  @Test
  void runtimeRunsModelsThroughTheEngineSpiOnly() {
    // Engines are found through the api (Medvision.engine), never linked: an embedding application picks them.
    assertNone("runtime", List.of("engine", "tasks", "train", "cli", "testkit"));
  }

  @Test
  void trainNeverSeesTheCommandLine() {
    assertNone("train", List.of("engine", "tasks", "cli", "testkit"));
  }

  @Test
  void sparkIsOptionalAndRunsModelsThroughTheEngineSpiOnly() {
    // Nothing depends on the spark module, so no other artifact pulls Spark; it finds engines as runtime does.
    for (String module : List.of("api", "dicom", "io", "tasks", "runtime", "train", "cli", "engine-onnx", "engine-djl",
        "engine-tensorflow")) {
      assertNone(module, List.of("spark"));
    }
    assertNone("spark", List.of("engine", "train", "cli", "testkit"));
  }

  @Test
  void theScannerSeesReferencesThatExist() {
    // cli legitimately uses every module; if the scan found none there, the checks above would prove nothing.
    List<String> cli = references("cli").stream().map(r -> r.substring(r.lastIndexOf(": ") + 2)).toList();
    assertTrue(cli.containsAll(List.of("api", "io", "engine", "runtime", "train", "api.engine")), cli.toString());
  }
}
