package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a new user runs into: exit codes that follow one rule, and messages that say what the path actually is. */
class UserErrorsTest {
  @TempDir Path dir;

  private String[] predict(Path weights, String... rest) {
    String[] head = {"predict", "--task", "strokenext", "--variant", "atto", "--subtask", "3class", "--image-size",
        Integer.toString(Fixtures.SIZE), "--weights", weights.toString()};
    String[] all = new String[head.length + rest.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(rest, 0, all, head.length, rest.length);
    return all;
  }

  @Test
  void unknownTaskVariantAndEngineNamesAreUsageMistakes() throws IOException {
    Cli.Result task = Cli.run("info", "--task", "nosuch");
    assertEquals(ExitCodes.USAGE_ERROR, task.code(), task.toString());
    assertTrue(task.err().contains("unknown task 'nosuch'; available:"), task.err());
    Cli.Result variant = Cli.run("info", "--task", "strokenext", "--variant", "huge");
    assertEquals(ExitCodes.USAGE_ERROR, variant.code(), variant.toString());
    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("3class"), 1);
    Cli.Result engine = Cli.run(predict(weights, "--engine", "caffe", Fixtures.png(dir, "a.png", 1).toString()));
    assertEquals(ExitCodes.USAGE_ERROR, engine.code(), engine.toString());
    assertTrue(engine.err().contains("unknown engine 'caffe'"), engine.err());
  }

  @Test
  void aFolderWhereAFileIsExpectedIsCalledAFolder() throws IOException {
    Path folder = Files.createDirectory(dir.resolve("weights"));
    Cli.Result r = Cli.run(predict(folder, Fixtures.png(dir, "a.png", 1).toString()));
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertEquals("medvision: error: weights file " + folder + " is a folder, not a file; give the .safetensors file "
        + "inside it", r.err().strip());
  }

  @Test
  void anSrFolderThatIsAFileSaysSo() throws IOException {
    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("3class"), 1);
    Path blocked = Files.writeString(dir.resolve("sr"), "x");
    Cli.Result r = Cli.run(predict(weights, "--write-sr", blocked.toString(),
        Fixtures.png(dir, "a.png", 1).toString()));
    assertEquals(ExitCodes.RUNTIME_ERROR, r.code(), r.toString());
    assertEquals("medvision: error: output folder " + blocked + " is an existing file; give a folder (it is "
        + "created when missing)", r.err().strip());
  }

  @Test
  void aFolderWithOneUnreadableFileIsAPartialResultWithItsOwnExitCode() throws IOException {
    Path weights = Fixtures.weights(dir, "w.safetensors", Fixtures.atto("3class"), 1);
    Path in = Files.createDirectory(dir.resolve("in"));
    Fixtures.png(in, "good.png", 1);
    // A DICOM preamble and magic, a meta group length, then a Transfer Syntax UID whose length (65,520) runs past the
    // end of the file: garbage that the lenient reader refuses too.
    byte[] broken = new byte[160];
    System.arraycopy(new byte[] {'D', 'I', 'C', 'M', 0x02, 0x00, 0x00, 0x00, 'U', 'L', 0x04, 0x00, 0x20, 0x00, 0x00,
        0x00, 0x02, 0x00, 0x10, 0x00, 'U', 'I', (byte) 0xf0, (byte) 0xff}, 0, broken, 128, 24);
    Files.write(in.resolve("broken.dcm"), broken);
    Cli.Result r = Cli.run(predict(weights, "--input", in.toString()));
    assertEquals(ExitCodes.PARTIAL, r.code(), r.toString());
    assertTrue(r.out().contains("good.png"), r.out());
    assertTrue(r.err().contains("medvision: 1 of 2 files skipped (unreadable"), r.err());
    assertFalse(r.err().contains(in.resolve("broken.dcm") + ": " + in.resolve("broken.dcm")), r.err());

    Files.delete(in.resolve("broken.dcm"));
    assertEquals(ExitCodes.OK, Cli.run(predict(weights, "--input", in.toString())).code());
  }
}
