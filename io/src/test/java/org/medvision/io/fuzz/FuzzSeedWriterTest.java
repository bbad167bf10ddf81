package org.medvision.io.fuzz;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.io.nifti.NiftiWriter;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/**
 * Writes the committed seeds of the io fuzz tests with the project's own writers and synthetic content (run once with
 * {@code -Dmedvision.fuzz.writeSeeds=true -Dtest=FuzzSeedWriterTest} from the io module). Each seed starts with the
 * selector byte its target reads first.
 */
@EnabledIfSystemProperty(named = "medvision.fuzz.writeSeeds", matches = "true")
class FuzzSeedWriterTest {
  private static final Path RESOURCES = Path.of("src/test/resources/org/medvision/io");

  @TempDir
  Path dir;

  @Test
  void writeSeeds() throws IOException {
    float[] voxels = new float[4 * 3 * 2];
    for (int i = 0; i < voxels.length; i++) {
      voxels[i] = i * 10 - 40;
    }
    Volume volume = Volume.copyOf(new int[] {4, 3, 2}, voxels, Affine.diagonal(0.5, 0.5, 2, 10, 20, 30));
    Path nii = dir.resolve("v.nii");
    NiftiWriter.nifti1().write(volume, nii);
    write("nifti/NiftiFuzzTestInputs/readNifti/seed-nifti1", 0, Files.readAllBytes(nii));
    write("nifti/NiftiFuzzTestInputs/readNifti/seed-nifti1-gz", 1, Files.readAllBytes(nii));
    NiftiWriter.nifti2().write(volume, nii);
    write("nifti/NiftiFuzzTestInputs/readNifti/seed-nifti2", 0, Files.readAllBytes(nii));

    String csv = "dataset/CsvFuzzTestInputs/readCsv/";
    write(csv + "seed-quoted", 0, text("a,\"b \"\"c\"\"\",d\r\n1,\"2\n3\",\n"));
    write(csv + "seed-data-entry", 1, text("Image Index,Finding Labels,Follow-up #,Patient ID,Patient Age,"
        + "Patient Gender,View Position,OriginalImage[Width,Height],OriginalImagePixelSpacing[x,y],\n"
        + "00000001_000.png,Cardiomegaly|Emphysema,0,1,58,M,PA,2682,2749,0.143,0.143,\n"
        + "00000002_000.png,No Finding,0,2,81,M,AP,2500,2048,0.171,0.171,\n"));
    write(csv + "seed-manifest", 2, text("path,labels,patient_id,split\nimages/a.png,Effusion|Mass,p1,train\n"
        + "images/b.png,,p2,test\n"));

    BufferedImage image = new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 6; y++) {
      for (int x = 0; x < 8; x++) {
        image.getRaster().setSample(x, y, 0, x * 30 + y * 5);
      }
    }
    write("image/ImageInputFuzzTestInputs/readImage/seed-grey-png", 0, encode(image, "png"));
    write("image/ImageInputFuzzTestInputs/readImage/seed-grey-jpeg", 1, encode(image, "jpeg"));
    BufferedImage rgb = new BufferedImage(5, 4, BufferedImage.TYPE_INT_RGB);
    rgb.setRGB(1, 1, 0xFF8040);
    write("image/ImageInputFuzzTestInputs/readImage/seed-rgb-png", 0, encode(rgb, "png"));
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, format, out);
    return out.toByteArray();
  }

  private static void write(String path, int selector, byte[] body) throws IOException {
    Path file = RESOURCES.resolve(path);
    Files.createDirectories(file.getParent());
    byte[] bytes = new byte[body.length + 1];
    bytes[0] = (byte) selector;
    System.arraycopy(body, 0, bytes, 1, body.length);
    Files.write(file, bytes);
  }
}
