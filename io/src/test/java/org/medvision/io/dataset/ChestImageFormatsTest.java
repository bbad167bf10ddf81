package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.data.DataSchema;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.dicom.VR;
import org.medvision.io.ProgressListener;
import org.medvision.testkit.fixtures.PythonOracle;

/**
 * Chest radiographs come as 8-bit PNG (ChestX-ray14), 16-bit PNG (other sets, exported films) and DICOM (CR and DX,
 * MONOCHROME2 or MONOCHROME1, 12 bits stored): each loads through a ChestX-ray14 data set into the task's image field.
 *
 * <p>References: the PNG values as Debian's PIL reads them ({@code /usr/bin/python3}), divided by 255 or 65535 in
 * float64 (tolerance 1e-7, float32 rounding); the DICOM values from the LINEAR_EXACT window of PS3.3 C.11.2.1.3.2
 * applied to the stored values written (tolerance 1e-6), turned over for MONOCHROME1 (C.7.6.3.1.2).
 */
class ChestImageFormatsTest {
  private static final int H = 5;
  private static final int W = 6;
  private static final double CENTER = 2000;
  private static final double WIDTH = 3000;

  @TempDir
  Path dir;

  /** A pattern over the full 12-bit range. */
  private static int stored(int x, int y) {
    return (x * 731 + y * 509) % 4096;
  }

  @Test
  void eightAndSixteenBitPngAndDicomAllLoadIntoTheImageField() throws IOException {
    TaskData data = fourImages();
    DataSchema schema = ChestXray14Fixture.schema(H, W);
    ExampleReader reader = ExampleReader.all(schema, null);
    List<float[]> loaded = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Tensor t = reader.read(data.rows().get(i), 0, i).tensors().get("image");
      assertEquals(Shape.of(1, H, W), t.shape());
      loaded.add(t.toFloatArray());
    }
    // DICOM first: it needs no Python.
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        double windowed = Math.max(0, Math.min(1, (stored(x, y) - (CENTER - WIDTH / 2)) / WIDTH));
        assertEquals(windowed, loaded.get(2)[y * W + x], 1e-6, "MONOCHROME2 pixel " + x + "," + y);
        assertEquals(1 - windowed, loaded.get(3)[y * W + x], 1e-6, "MONOCHROME1 pixel " + x + "," + y);
      }
    }
    double[][] pil = pilReference(dir.resolve("cxr/images/00000001_000.png"),
        dir.resolve("cxr/images/00000002_000.png"));
    for (int p = 0; p < 2; p++) {
      for (int k = 0; k < H * W; k++) {
        assertEquals(pil[p][k], loaded.get(p)[k], 1e-7, "png " + p + " pixel " + k);
      }
    }
  }

  @Test
  void aDicomRowThatBreaksARuleThePeersReadPastIsReadAndItsWarningToldOnce() throws IOException {
    TaskData data = fourImages();
    // Patient ID "AB" (even length) becomes "ABC": an odd value length, which dcmtk and gdcm read as given.
    Path file = dir.resolve("cxr/images/00000003_000.dcm");
    byte[] even = {0x10, 0x00, 0x20, 0x00, 'L', 'O', 2, 0, 'A', 'B'};
    byte[] bytes = Files.readAllBytes(file);
    int at = indexOf(bytes, even);
    assertTrue(at > 0, "the writer's Patient ID element");
    byte[] odd = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, odd, 0, at);
    System.arraycopy(new byte[] {0x10, 0x00, 0x20, 0x00, 'L', 'O', 3, 0, 'A', 'B', 'C'}, 0, odd, at, 11);
    System.arraycopy(bytes, at + even.length, odd, at + 11, bytes.length - at - even.length);
    Files.write(file, odd);

    List<String> warnings = new ArrayList<>();
    ExampleReader reader = ExampleReader.all(ChestXray14Fixture.schema(H, W), null).withWarnings(warnings::add);
    Tensor first = reader.read(data.rows().get(2), 1, 2).tensors().get("image");
    // Every epoch reads the file again; the user hears about it once.
    Tensor again = reader.withAugmentation(null).read(data.rows().get(2), 2, 2).tensors().get("image");
    assertEquals(1, warnings.size(), warnings.toString());
    String w = warnings.get(0);
    assertTrue(w.contains(file.toString()) && w.contains("odd value length 3") && w.contains("(0010,0020)"), w);
    double windowed = Math.max(0, Math.min(1, (stored(1, 2) - (CENTER - WIDTH / 2)) / WIDTH));
    assertEquals(windowed, first.toFloatArray()[2 * W + 1], 1e-6);
    assertArrayEquals(first.toFloatArray(), again.toFloatArray());
    // A reader without a listener reads it too, silently.
    assertArrayEquals(first.toFloatArray(), ExampleReader.all(ChestXray14Fixture.schema(H, W), null)
        .read(data.rows().get(2), 1, 2).tensors().get("image").toFloatArray());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Two PNG rows (train/val) and two DICOM rows (test) in the ChestX-ray14 layout under {@code dir/cxr}. */
  private TaskData fourImages() throws IOException {
    Path root = dir.resolve("cxr");
    Path images = Files.createDirectories(root.resolve("images"));
    png(images.resolve("00000001_000.png"), BufferedImage.TYPE_BYTE_GRAY, (x, y) -> stored(x, y) >> 4);
    png(images.resolve("00000002_000.png"), BufferedImage.TYPE_USHORT_GRAY, (x, y) -> stored(x, y) * 16 + x);
    dicom(images.resolve("00000003_000.dcm"), "MONOCHROME2");
    dicom(images.resolve("00000004_000.dcm"), "MONOCHROME1");
    String rows = "00000001_000.png,Effusion,0,1,50,M,PA,2500,2048,0.168,0.168,\n"
        + "00000002_000.png,No Finding,0,2,50,F,PA,2500,2048,0.168,0.168,\n"
        + "00000003_000.dcm,Nodule,0,3,50,M,AP,2500,2048,0.168,0.168,\n"
        + "00000004_000.dcm,Mass,0,4,50,F,PA,2500,2048,0.168,0.168,\n";
    Files.writeString(root.resolve(ChestXray14.DATA_ENTRY), ChestXray14.HEADER + "\n" + rows);
    Files.writeString(root.resolve(ChestXray14.TRAIN_VAL_LIST), "00000001_000.png\n00000002_000.png\n");
    Files.writeString(root.resolve(ChestXray14.TEST_LIST), "00000003_000.dcm\n00000004_000.dcm\n");
    return TaskData.load(root, ChestXray14Fixture.schema(H, W), 1, ProgressListener.NONE);
  }

  @FunctionalInterface
  private interface Pixel {
    int at(int x, int y);
  }

  private static void png(Path file, int type, Pixel value) throws IOException {
    BufferedImage img = new BufferedImage(W, H, type);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        img.getRaster().setSample(x, y, 0, value.at(x, y));
      }
    }
    if (!ImageIO.write(img, "png", file.toFile())) {
      throw new IOException("no PNG writer");
    }
  }

  /** A CR image of the pattern, 12 of 16 bits stored, with its window. */
  private static void dicom(Path file, String photometric) {
    DataSet d = new DataSet();
    d.setString(Tags.SOP_CLASS_UID, VR.UI, Uids.CR_IMAGE_STORAGE);
    d.setString(Tags.SOP_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1." + photometric.length() + file.hashCode());
    d.setString(Tags.STUDY_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.20");
    d.setString(Tags.SERIES_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.21");
    d.setString(Tags.MODALITY, VR.CS, "CR");
    d.setString(Tags.PATIENT_ID, VR.LO, "AB");
    d.setInt(Tags.ROWS, VR.US, H);
    d.setInt(Tags.COLUMNS, VR.US, W);
    d.setInt(Tags.SAMPLES_PER_PIXEL, VR.US, 1);
    d.setString(Tags.PHOTOMETRIC_INTERPRETATION, VR.CS, photometric);
    d.setInt(Tags.BITS_ALLOCATED, VR.US, 16);
    d.setInt(Tags.BITS_STORED, VR.US, 12);
    d.setInt(Tags.HIGH_BIT, VR.US, 11);
    d.setInt(Tags.PIXEL_REPRESENTATION, VR.US, 0);
    d.setDouble(Tags.WINDOW_CENTER, VR.DS, CENTER);
    d.setDouble(Tags.WINDOW_WIDTH, VR.DS, WIDTH);
    d.setString(Tags.VOILUT_FUNCTION, VR.CS, "LINEAR_EXACT");
    ByteBuffer pixels = ByteBuffer.allocate(H * W * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        pixels.putShort((short) stored(x, y));
      }
    }
    d.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, pixels.array()));
    DicomWriter.writeFile(file, d);
  }

  /** Each PNG's pixels as PIL reads them, scaled by the largest value of its bit depth, row-major. */
  private static double[][] pilReference(Path eight, Path sixteen) throws IOException {
    String script = String.join("\n",
        "import sys, numpy as np",
        "from PIL import Image",
        "for path, top in ((sys.argv[1], 255.0), (sys.argv[2], 65535.0)):",
        "    a = np.asarray(Image.open(path)).astype(np.float64) / top",
        "    print(' '.join(repr(float(v)) for v in a.ravel()))");
    PythonOracle.requireImports("PIL, numpy", "python3-pil python3-numpy");
    String[] lines = PythonOracle.python("-c", script, eight.toString(), sixteen.toString()).strip().split("\n");
    double[][] values = new double[2][];
    for (int i = 0; i < 2; i++) {
      String[] parts = lines[i].trim().split(" ");
      values[i] = new double[parts.length];
      for (int k = 0; k < parts.length; k++) {
        values[i][k] = Double.parseDouble(parts[k]);
      }
    }
    return values;
  }
}
