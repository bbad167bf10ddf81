package org.medvision.dicom;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.testing.Corpus;

/**
 * A seeded mutation fuzzer over real seed files (the peer sample files; the coverage-guided targets are the *FuzzTest classes with @FuzzTest): bit flips, truncations, corrupted length fields and duplicated
 * chunks. Whatever the bytes, only {@link DicomException} may escape the reader (no OutOfMemoryError,
 * StackOverflowError, index errors, hangs). The normal run does a bounded number of iterations; set
 * {@code -Dmedvision.fuzz.iterations=N} for more. A failure prints the seed file, iteration and mutation so it can be
 * replayed and turned into a named regression test in {@link BadInputTest}.
 */
class MutationFuzzTest {
  private static final List<String> SEEDS = List.of("CT_small.dcm", "MR_small_bigendian.dcm",
      "MR_small_implicit.dcm", "image_dfl.dcm", "test-SR.dcm", "SC_rgb_rle_2frame.dcm", "UN_sequence.dcm",
      "ExplVR_LitEndNoMeta.dcm", "liver_1frame.dcm");
  /** Small limits so that mutated lengths hit them quickly rather than allocating. */
  static final DicomReadOptions OPTIONS = DicomReadOptions.DEFAULTS.withMaxInflatedBytes(16 << 20)
      .withMaxValueLength(8 << 20);

  @Test
  void onlyDicomExceptionsEscape() throws IOException {
    int iterations = Integer.getInteger("medvision.fuzz.iterations", 400);
    DicomReader reader = new DicomReader(OPTIONS);
    for (String name : SEEDS) {
      byte[] seed = Files.readAllBytes(Corpus.pydicom(name));
      SplittableRandom random = new SplittableRandom(name.hashCode() * 31L + 17);
      assertTimeoutPreemptively(Duration.ofSeconds(Math.max(30, iterations / 20)), () -> {
        for (int i = 0; i < iterations; i++) {
          long mutationSeed = random.nextLong();
          byte[] mutant = Mutations.mutate(seed, new SplittableRandom(mutationSeed));
          try {
            DicomFile file = reader.read(mutant, name);
            touch(file.dataSet());
          } catch (DicomException expected) {
            // The contract: malformed input is a DicomException.
          } catch (RuntimeException | Error e) {
            fail(name + " iteration " + i + " mutation seed " + mutationSeed + ": " + e, e);
          }
        }
      });
    }
  }

  /** Exercises the typed getters on every element, as a consumer would. */
  static void touch(DataSet dataSet) {
    for (DataElement element : dataSet) {
      dataSet.strings(element.tag());
      dataSet.text(element.tag());
      for (DataSet item : element.items()) {
        touch(item);
      }
    }
    new DicomDump().render(dataSet);
  }

  /** The mutation operators. */
  static final class Mutations {
    private Mutations() {}

    static byte[] mutate(byte[] seed, SplittableRandom random) {
      byte[] out = seed.clone();
      int rounds = 1 + random.nextInt(3);
      for (int r = 0; r < rounds; r++) {
        switch (random.nextInt(4)) {
          case 0:
            int at = random.nextInt(out.length);
            out[at] ^= (byte) (1 << random.nextInt(8));
            break;
          case 1:
            out = Arrays.copyOf(out, random.nextInt(out.length));
            if (out.length == 0) {
              return out;
            }
            break;
          case 2:
            out = corruptLength(out, random);
            break;
          default:
            out = duplicateChunk(out, random);
        }
      }
      return out;
    }

    /** Overwrites 2 or 4 bytes after an element-header-like position with an extreme or random length. */
    private static byte[] corruptLength(byte[] bytes, SplittableRandom random) {
      if (bytes.length < 8) {
        return bytes;
      }
      int at = random.nextInt(bytes.length - 4);
      long[] choices = {0xFFFFFFFFL, 0xFFFFFFFEL, 0x7FFFFFFFL, 1, 3, random.nextInt(1 << 20)};
      long value = choices[random.nextInt(choices.length)];
      for (int k = 0; k < 4; k++) {
        bytes[at + k] = (byte) (value >>> (8 * k));
      }
      return bytes;
    }

    private static byte[] duplicateChunk(byte[] bytes, SplittableRandom random) {
      if (bytes.length < 2) {
        return bytes;
      }
      int from = random.nextInt(bytes.length);
      int length = 1 + random.nextInt(Math.min(512, bytes.length - from));
      int to = random.nextInt(bytes.length);
      byte[] out = new byte[bytes.length + length];
      System.arraycopy(bytes, 0, out, 0, to);
      System.arraycopy(bytes, from, out, to, length);
      System.arraycopy(bytes, to, out, to + length, bytes.length - to);
      return out;
    }
  }
}
