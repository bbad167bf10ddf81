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
 * Keeps the module arrows pointing one way (DESIGN.md): reads the main source trees of the sibling modules and
 * rejects any reference, by import or fully qualified name in code, to a package the module must not see.
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.medvision\\.(\\w+)\\.");

  /** Every {@code org.medvision.X.} reference in non-comment lines of {@code module}'s main sources, as file: X. */
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
    assertNone("api", List.of("tasks", "io", "engine", "cli", "testkit"));
  }

  @Test
  void tasksNeverSeeEngines() {
    assertNone("tasks", List.of("engine", "io", "cli", "testkit"));
  }

  @Test
  void enginesNeverSeeTasksOrIo() {
    assertNone("engine-onnx", List.of("tasks", "io", "cli", "testkit"));
  }

  @Test
  void ioNeverSeesEnginesOrTasks() {
    assertNone("io", List.of("engine", "tasks", "cli", "testkit"));
  }

  @Test
  void theScannerSeesReferencesThatExist() {
    // cli legitimately uses every module; if the scan found none there, the checks above would prove nothing.
    List<String> cli = references("cli").stream().map(r -> r.substring(r.lastIndexOf(": ") + 2)).toList();
    assertTrue(cli.containsAll(List.of("api", "io", "engine")), cli.toString());
  }
}
