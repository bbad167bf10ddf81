package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomDump;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.TransferSyntax;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;
import org.medvision.dicom.testing.Corpus;

/**
 * Sixteen threads reading the same files at once get exactly what one thread gets: the full dump of every element
 * (parsing) and every decoded frame (pixel decoding), both through one shared {@link DicomReader} and through one
 * shared {@link DicomFile} whose frames all threads decode. Synthetic files in four native encodings, deflate and RLE
 * always run; the real sample files add JPEG, JPEG-LS and JPEG 2000 where the test data is present.
 */
class ConcurrentReadTest {
  private static final int THREADS = 16;
  private static final int ROUNDS = 2;
  @TempDir Path dir;

  /** What reading a file yields: its dump and its frames, comparable with equals. */
  private record Contents(String dump, List<List<Integer>> frames) {
    static Contents of(DicomFile file) {
      FrameDecoder decoder = DataSetPixels.decoder(file);
      List<List<Integer>> frames = new ArrayList<>();
      for (int f = 0; f < decoder.frameCount(); f++) {
        frames.add(Arrays.stream(decoder.decode(f)).boxed().toList());
      }
      return new Contents(new DicomDump().render(file), frames);
    }
  }

  @Test
  void synthesisedFilesReadAlikeFromSixteenThreads() throws Exception {
    List<Path> files = new ArrayList<>();
    for (TransferSyntax syntax : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
        TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.EXPLICIT_VR_BIG_ENDIAN,
        TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)) {
      Path out = dir.resolve(syntax.name() + ".dcm");
      new DicomWriter(syntax).write(out, image(16, 12, 3, 11));
      files.add(out);
    }
    Path rle = dir.resolve("rle.dcm");
    new DicomWriter(TransferSyntax.RLE_LOSSLESS).write(rle, rleImage(8, 3, 12));
    files.add(rle);
    readAlike(files);
  }

  @Test
  void sampleFilesOfManyTransferSyntaxesReadAlikeFromSixteenThreads() throws Exception {
    readAlike(List.of("MR_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_RLE.dcm",
        "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm", "SC_rgb_rle_2frame.dcm", "SC_rgb_jpeg_gdcm.dcm",
        "JPEG2000.dcm", "image_dfl.dcm").stream().map(Corpus::pydicom).toList());
  }

  private static void readAlike(List<Path> files) throws Exception {
    DicomReader reader = new DicomReader();
    List<Contents> expected = files.stream().map(f -> Contents.of(reader.read(f))).toList();
    assertTrue(expected.stream().allMatch(c -> !c.frames().isEmpty()), "every file has frames");
    // Each thread reads every file itself, starting at a different one.
    assertEachThreadSees(expected, t -> {
      List<Contents> seen = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        seen.add(Contents.of(reader.read(files.get(i))));
      }
      return seen;
    });
    // All threads decode the frames of the same parsed objects.
    List<DicomFile> shared = files.stream().map(reader::read).toList();
    assertEachThreadSees(expected, t -> shared.stream().map(Contents::of).toList());
  }

  private static void assertEachThreadSees(List<Contents> expected, Function<Integer, List<Contents>> read)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<Contents>>> results = new ArrayList<>();
      for (int r = 0; r < ROUNDS; r++) {
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(pool.submit(() -> read.apply(thread)));
        }
      }
      for (Future<List<Contents>> f : results) {
        List<Contents> seen = f.get();
        for (int i = 0; i < expected.size(); i++) {
          assertEquals(expected.get(i), seen.get(i), "file " + i);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A 16-bit monochrome image of seeded values, {@code frames} frames of rows x columns. */
  private static DataSet image(int rows, int columns, int frames, long seed) {
    DataSet d = header(rows, columns, frames);
    d.setInt(Tags.BITS_ALLOCATED, 16).setInt(Tags.BITS_STORED, 12).setInt(Tags.HIGH_BIT, 11)
        .setInt(Tags.PIXEL_REPRESENTATION, 0);
    byte[] pixels = new byte[rows * columns * frames * 2];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < pixels.length; i += 2) {
      int v = random.nextInt(4096);
      pixels[i] = (byte) v;
      pixels[i + 1] = (byte) (v >>> 8);
    }
    return d.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, pixels));
  }

  /**
   * An 8-bit monochrome image of seeded values in RLE Lossless: per frame a 64-byte header naming one segment, then
   * the segment as literal runs of at most 128 bytes (PS3.5 G.3.1: control byte n - 1, then n bytes).
   */
  private static DataSet rleImage(int rows, int columns, long seed) {
    int frames = 2;
    DataSet d = header(rows, columns, frames);
    d.setInt(Tags.BITS_ALLOCATED, 8).setInt(Tags.BITS_STORED, 8).setInt(Tags.HIGH_BIT, 7)
        .setInt(Tags.PIXEL_REPRESENTATION, 0);
    SplittableRandom random = new SplittableRandom(seed);
    List<byte[]> encoded = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      byte[] raw = new byte[rows * columns];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = (byte) random.nextInt(256);
      }
      int runs = (raw.length + 127) / 128;
      byte[] out = new byte[64 + raw.length + runs];
      out[0] = 1;
      out[4] = 64;
      int at = 64;
      for (int from = 0; from < raw.length; from += 128) {
        int n = Math.min(128, raw.length - from);
        out[at++] = (byte) (n - 1);
        System.arraycopy(raw, from, out, at, n);
        at += n;
      }
      encoded.add(out);
    }
    return d.setBulkData(Tags.PIXEL_DATA, BulkData.encapsulated(encoded));
  }

  private static DataSet header(int rows, int columns, int frames) {
    DataSet d = new DataSet();
    d.setString(Tags.SOP_CLASS_UID, Uids.SECONDARY_CAPTURE_IMAGE_STORAGE);
    d.setString(Tags.SOP_INSTANCE_UID, "1.2.826.0.1.3680043.2.1125.1." + rows + "." + columns + "." + frames);
    d.setString(Tags.PATIENT_NAME, "Concurrent^Reader");
    d.setInt(Tags.ROWS, rows).setInt(Tags.COLUMNS, columns).setInt(Tags.SAMPLES_PER_PIXEL, 1)
        .setString(Tags.PHOTOMETRIC_INTERPRETATION, "MONOCHROME2").setString(Tags.NUMBER_OF_FRAMES,
            Integer.toString(frames));
    return d;
  }
}
