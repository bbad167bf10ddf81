package org.medvision.io.nifti;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Timeout;
import org.medvision.io.fuzz.ScratchFile;

/**
 * Coverage-guided fuzzing of the NIfTI-1/-2 reader, header and voxels: only {@link NiftiFormatException} may escape.
 * The first byte picks the form: 0 a {@code .nii}, 1 a {@code .nii.gz} whose gzip wrapping we add (so mutations
 * reach the header behind valid compression), 2 a {@code .nii.gz} as given (a corrupt gzip stream).
 */
class NiftiFuzzTest {
  /** A small voxel limit, so that a header naming a huge volume fails on the limit rather than allocating. */
  private static final NiftiReader READER = new NiftiReader(1 << 20);

  @FuzzTest
  @Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void readNifti(byte[] input) throws IOException {
    if (input.length == 0) {
      return;
    }
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    int form = (input[0] & 0xFF) % 3;
    var file = switch (form) {
      case 0 -> ScratchFile.write("fuzz.nii", body);
      case 1 -> ScratchFile.write("fuzz.nii.gz", gzip(body));
      default -> ScratchFile.write("fuzz.nii.gz", body);
    };
    try {
      READER.readHeader(file);
      READER.read(file);
    } catch (NiftiFormatException documented) {
      // The contract for a malformed file.
    }
  }

  private static byte[] gzip(byte[] bytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    }
    return out.toByteArray();
  }
}
