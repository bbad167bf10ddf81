package org.medvision.api.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.medvision.api.MedvisionException;

/** Content digests of weights files, recorded with every result so it can be traced to the exact checkpoint. */
public final class WeightsDigest {
  private static final int BUFFER_BYTES = 1 << 20;

  private WeightsDigest() {
  }

  /**
   * The SHA-256 of the file's bytes, streamed so files of any size work.
   *
   * @return 64 lowercase hex digits, as {@code sha256sum} prints them
   * @throws MedvisionException naming the file if it cannot be read
   */
  public static String sha256(Path file) {
    MessageDigest digest = newSha256();
    byte[] buffer = new byte[BUFFER_BYTES];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        digest.update(buffer, 0, n);
      }
    } catch (NoSuchFileException e) {
      throw new MedvisionException("cannot hash weights file " + file + ": it does not exist", e);
    } catch (IOException e) {
      throw new MedvisionException("cannot hash weights file " + file + ": " + e, e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of {@code bytes} as 64 lowercase hex digits, e.g. for weights encoded with {@link Safetensors}. */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(newSha256().digest(bytes));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java platform must provide SHA-256", e);
    }
  }
}
