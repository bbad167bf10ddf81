package org.medvision.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-file replacement: the new bytes under the target's name, nothing left beside it, errors about the target. */
class AtomicFilesTest {
  @TempDir Path dir;

  private List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  @Test
  void bothWritesReplaceTheTargetAndLeaveNoSibling() throws IOException {
    Path target = dir.resolve("header.json");
    Files.writeString(target, "old");
    AtomicFiles.write(target, "plain".getBytes(StandardCharsets.UTF_8));
    assertEquals("plain", Files.readString(target));
    AtomicFiles.writeDurably(target, "durable".getBytes(StandardCharsets.UTF_8));
    assertEquals("durable", Files.readString(target));
    assertEquals(List.of(target), entries());
    AtomicFiles.syncFolder(dir);
    AtomicFiles.syncFolder(dir.resolve("not-there"));
  }

  @Test
  void aSiblingIsHiddenBesideItsTargetAndSyncsAndMovesIntoPlace() throws IOException {
    Path target = dir.resolve("part-00001.jsonl");
    Path sibling = AtomicFiles.createSibling(target, "");
    assertTrue(sibling.getFileName().toString().startsWith(".part-00001.jsonl.")
        && sibling.getFileName().toString().endsWith(".tmp"), sibling.toString());
    Files.write(sibling, new byte[] {1, 2, 3});
    AtomicFiles.sync(sibling);
    AtomicFiles.replace(sibling, target);
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    assertEquals(List.of(target), entries());
  }

  @Test
  void aWriteIntoAMissingFolderNamesTheFolder() {
    Path target = dir.resolve("missing").resolve("x.json");
    IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeDurably(target, new byte[1]));
    assertTrue(e.getMessage().contains("cannot write " + target) && e.getMessage().contains("does not exist"),
        e.getMessage());
  }
}
