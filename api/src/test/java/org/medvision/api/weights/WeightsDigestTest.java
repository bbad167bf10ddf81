package org.medvision.api.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;

class WeightsDigestTest {
  @TempDir
  Path dir;

  @Test
  void knownVectorsFromFips180() throws IOException {
    Path abc = Files.writeString(dir.resolve("abc"), "abc", StandardCharsets.US_ASCII);
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", WeightsDigest.sha256(abc));
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", WeightsDigest.sha256(empty));
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        WeightsDigest.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void multiBufferFileMatchesSha256sum() throws Exception {
    byte[] data = new byte[3 * (1 << 20) + 12345]; // spans several read buffers with a partial last one
    new SplittableRandom(1).nextBytes(data);
    Path f = Files.write(dir.resolve("big.bin"), data);
    assertEquals(WeightsDigest.sha256(data), WeightsDigest.sha256(f));
    Process p;
    try {
      p = new ProcessBuilder("sha256sum", f.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      assumeTrue(false, "sha256sum is not available");
      return;
    }
    assumeTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "sha256sum failed");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    assertEquals(out.substring(0, 64), WeightsDigest.sha256(f));
  }

  @Test
  void missingFileNamesTheFile() {
    Path missing = dir.resolve("gone.safetensors");
    MedvisionException e = assertThrows(MedvisionException.class, () -> WeightsDigest.sha256(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }
}
